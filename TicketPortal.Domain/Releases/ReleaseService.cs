using Microsoft.EntityFrameworkCore;
using TicketPortal.Domain.Mail;
using TicketPortal.Domain.People;
using TicketPortal.Domain.Persistence;
using TicketPortal.Domain.Tickets;
using TicketPortal.Domain.Workflows;

namespace TicketPortal.Domain.Releases;

/// <summary>Releases: make a draft from finished tickets, edit it, and publish it to the docs space, the tickets and people's mail.</summary>
public sealed class ReleaseService(
    IDbContextFactory<PortalDbContext> dbFactory,
    WorkflowCatalog catalog,
    TicketService tickets,
    DocsRepository docs,
    DocsSettings settings,
    ReleaseMail mail,
    TimeProvider clock)
{
    public async Task<IReadOnlyList<ReleaseSummary>> ListAsync(string? projectKey, Viewer viewer, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var access = await Access.LoadAsync(db, viewer, catalog, ct);
        var projects = (await db.Projects.AsNoTracking().ToListAsync(ct))
            .Where(p => MayRelease(access, p) && (projectKey is null || p.Key == projectKey.ToUpperInvariant()))
            .ToDictionary(p => p.Id);
        var ids = projects.Keys.ToList();
        var releases = await db.Releases.AsNoTracking().Where(r => ids.Contains(r.ProjectId)).ToListAsync(ct);
        return releases
            .OrderByDescending(r => SemanticVersion.Parse(r.Version))
            .Select(r => new ReleaseSummary(projects[r.ProjectId].Key, r.Version, r.Name, ReleaseDate.Format(r.GoLiveDate), r.State.ToString(), r.Items.Count, r.PublishedAt))
            .ToList();
    }

    /// <summary>The project's tickets that could go into a release now, and not already in a draft.</summary>
    public async Task<IReadOnlyList<ReleaseCandidate>> CandidatesAsync(string projectKey, Viewer viewer, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var project = await ManagedProjectAsync(db, projectKey, viewer, ct);
        var ready = await ReadyTicketsAsync(db, project, ct);
        return ready.Select(t => new ReleaseCandidate(t.Number, t.Title, t.Status, t.FieldValues.GetValueOrDefault("milestone"))).ToList();
    }

    public async Task<ReleaseView> CreateAsync(CreateRelease command, Viewer viewer, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var project = await ManagedProjectAsync(db, command.Project, viewer, ct);
        var version = SemanticVersion.Parse(command.Version);
        var goLive = ParseDate(command.GoLiveDate) ?? throw DomainException.Invalid("goLiveDate: required, as yyyy-MM-dd (e.g. 2026-12-01).");
        await EnsureNewVersionAsync(db, version, ct);
        List<int> numbers;
        if (command.Tickets is { Count: > 0 } chosen)
        {
            await EnsureReadyAsync(db, project, chosen, null, ct);
            numbers = [.. chosen.Distinct()];
        }
        else if (!string.IsNullOrWhiteSpace(command.Milestone))
        {
            numbers = [.. (await ReadyTicketsAsync(db, project, ct)).Where(t => string.Equals(t.FieldValues.GetValueOrDefault("milestone"), command.Milestone.Trim(), StringComparison.OrdinalIgnoreCase)).Select(t => t.Number)];
        }
        else
        {
            numbers = [.. (await ReadyTicketsAsync(db, project, ct)).Select(t => t.Number)];
        }
        if (numbers.Count == 0)
        {
            throw new DomainException(DomainErrorKind.RequirementMissing,
                $"tickets: a release needs at least one release-ready ticket, and {project.Key} has none{(command.Milestone is null ? "" : $" in milestone '{command.Milestone}'")}.");
        }
        var release = new Release(project.Id, version, command.Name, goLive, viewer.UserId, clock.GetUtcNow(), numbers);
        if (command.Intro is not null)
        {
            release.OverrideIntro(command.Intro);
        }
        db.Releases.Add(release);
        await SaveAsync(db, release, ct);
        return await ViewAsync(db, project, release, ct);
    }

    public async Task<ReleaseView> GetAsync(string projectKey, string version, Viewer viewer, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var project = await ManagedProjectAsync(db, projectKey, viewer, ct);
        return await ViewAsync(db, project, await FindAsync(db, project, version, ct), ct);
    }

    public async Task<ReleaseView> UpdateAsync(string projectKey, string version, UpdateRelease command, Viewer viewer, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var project = await ManagedProjectAsync(db, projectKey, viewer, ct);
        var release = await FindAsync(db, project, version, ct);
        if (command.Revision is { } revision && revision != release.Revision)
        {
            throw new DomainException(DomainErrorKind.Conflict, $"Release {release.Version} was changed by someone else meanwhile. Reload it and try again.");
        }
        if (command.Name is not null)
        {
            release.Rename(command.Name);
        }
        if (command.GoLiveDate is not null)
        {
            release.Reschedule(ParseDate(command.GoLiveDate) ?? throw DomainException.Invalid("goLiveDate: use yyyy-MM-dd (e.g. 2026-12-01)."));
        }
        if (command.ResetIntro)
        {
            release.OverrideIntro(null);
        }
        else if (command.Intro is not null)
        {
            release.OverrideIntro(command.Intro);
        }
        if (command.Add is { Count: > 0 } add)
        {
            await EnsureReadyAsync(db, project, add, release.Id, ct);
            release.AddTickets(add);
        }
        foreach (var number in command.Remove ?? [])
        {
            release.RemoveTicket(number);
        }
        foreach (var (number, note) in command.Notes ?? new Dictionary<int, string?>())
        {
            release.OverrideNote(number, note);
        }
        if (release.Items.Count == 0)
        {
            throw new DomainException(DomainErrorKind.RequirementMissing, $"remove: release {release.Version} would have no tickets left; a release needs at least one.");
        }
        await SaveAsync(db, release, ct);
        return await ViewAsync(db, project, release, ct);
    }

    /// <summary>
    /// Publishes a draft: the page is committed and tagged in the docs space, then in one transaction the release is
    /// marked published, its tickets stamped and moved by the release trigger, and the mails queued. A publish cut off
    /// between the two finds its commit and finishes; a published release answers 409.
    /// </summary>
    public async Task<PublishOutcome> PublishAsync(string projectKey, string version, Viewer viewer, IProgress<string>? progress = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var project = await ManagedProjectAsync(db, projectKey, viewer, ct);
        var release = await FindAsync(db, project, version, ct);
        if (release.State == ReleaseState.Published)
        {
            throw new DomainException(DomainErrorKind.Conflict, $"Release {release.Version} of {project.Key} is already published (commit {release.CommitSha?[..7]}); nothing was done.");
        }
        progress?.Report($"Checking the {release.Items.Count} tickets");
        var numbers = release.Items.Select(i => i.TicketNumber).ToList();
        var loaded = await LoadTicketsAsync(db, numbers, ct);
        await EnsureReadyAsync(db, project, numbers, release.Id, ct, loaded);
        var semver = SemanticVersion.Parse(release.Version);
        var notes = await NotesAsync(db, project, release, ct, loaded);
        var publisher = await db.Users.AsNoTracking().SingleAsync(u => u.Id == viewer.UserId, ct);
        progress?.Report("Committing the notes to the docs space");
        var commit = await docs.PublishAsync(new DocsPublication(project.Key, project.Name, semver, release.GoLiveDate,
            ReleaseNotesWriter.Write(notes.Input), publisher.Name, publisher.Email ?? "ticketportal@localhost", clock.GetUtcNow()), ct);
        progress?.Report($"Completing {numbers.Count} tickets and queuing the mails");
        var mails = 0;
        var published = release;
        int moved;
        try
        {
            moved = await tickets.ReleaseTicketsAsync(numbers, release.Version, viewer.UserId, async publishing =>
            {
                published = await publishing.Releases.SingleAsync(r => r.Id == release.Id, ct);
                if (published.Revision != release.Revision)
                {
                    throw new DomainException(DomainErrorKind.Conflict, $"Release {release.Version} was changed or published by someone else meanwhile. Reload it and try again.");
                }
                published.MarkPublished(viewer.UserId, clock.GetUtcNow(), commit.Sha);
                var queued = mail.Compose(notes.Input, notes.Recipients, clock.GetUtcNow());
                publishing.Outbox.AddRange(queued);
                mails = queued.Count;
            }, ct);
        }
        catch when (commit.Created)
        {
            // The database refused (a ticket or the draft changed meanwhile): the docs space must not keep the page either.
            await docs.UndoAsync(semver, commit.Sha);
            throw;
        }
        progress?.Report("Pushing the docs space");
        var pushError = await docs.PushAsync(ct);
        progress?.Report("Published");
        var statuses = (await numbers.QueryInChunksAsync(chunk => db.Tickets.AsNoTracking().Where(t => chunk.Contains(t.Number))
            .Select(t => new { t.Number, t.Status }).ToListAsync(ct))).ToDictionary(t => t.Number, t => t.Status);
        var after = notes with { Entries = [.. notes.Entries.Select(e => e with { Status = statuses.GetValueOrDefault(e.Number, e.Status) })] };
        return new PublishOutcome(View(project, published, after), commit.Created, pushError, moved, mails);
    }

    private async Task<Project> ManagedProjectAsync(PortalDbContext db, string projectKey, Viewer viewer, CancellationToken ct)
    {
        var project = await TicketService.FindProjectAsync(db, projectKey, ct);
        var access = await Access.LoadAsync(db, viewer, catalog, ct);
        if (MayRelease(access, project))
        {
            return project;
        }
        var roles = catalog.For(project).ReleaseRoles;
        throw new DomainException(DomainErrorKind.Forbidden,
            $"Only {(roles.Count == 0 ? "staff" : string.Join(" or ", roles))} of {project.Key} may make and publish its releases.");
    }

    private bool MayRelease(Access access, Project project)
    {
        var roles = catalog.For(project).ReleaseRoles;
        return access.IsStaffIn(project) && (access.Viewer.IsAdmin || roles.Count == 0 || access.RolesIn(project).Overlaps(roles));
    }

    private static async Task<Release> FindAsync(PortalDbContext db, Project project, string version, CancellationToken ct) =>
        await db.Releases.SingleOrDefaultAsync(r => r.ProjectId == project.Id && r.Version == version, ct)
            ?? throw DomainException.NotFound($"Release {version} of {project.Key}");

    private static async Task EnsureNewVersionAsync(PortalDbContext db, SemanticVersion version, CancellationToken ct)
    {
        var text = version.ToString();
        var taken = await db.Releases.AsNoTracking().Where(r => r.Version == text).Select(r => r.ProjectId).FirstOrDefaultAsync(ct);
        if (taken != 0)
        {
            var owner = await db.Projects.AsNoTracking().Where(p => p.Id == taken).Select(p => p.Key).SingleAsync(ct);
            throw new DomainException(DomainErrorKind.Conflict,
                $"version: {text} is already used by a release of {owner}; the docs space holds one page and one tag per version.");
        }
    }

    /// <summary>The project's release-ready tickets that no draft holds.</summary>
    private async Task<List<Ticket>> ReadyTicketsAsync(PortalDbContext db, Project project, CancellationToken ct)
    {
        var workflow = catalog.For(project);
        var held = await db.Releases.AsNoTracking().Where(r => r.ProjectId == project.Id && r.State == ReleaseState.Draft)
            .SelectMany(r => r.Items.Select(i => i.TicketNumber)).ToListAsync(ct);
        var heldSet = held.ToHashSet();
        var statuses = TicketService.ReleaseReadyStatuses(workflow);
        var candidates = await db.Tickets.AsNoTracking().Include(t => t.Project)
            .Where(t => t.ProjectId == project.Id && statuses.Contains(t.Status)).OrderBy(t => t.Number).ToListAsync(ct);
        return candidates.Where(t => !heldSet.Contains(t.Number) && tickets.IsReleaseReady(workflow, t)).ToList();
    }

    /// <summary>Refuses, naming each, tickets that are not the project's, not release-ready, or held by another draft.</summary>
    private async Task EnsureReadyAsync(PortalDbContext db, Project project, IReadOnlyList<int> numbers, int? release, CancellationToken ct,
        IReadOnlyDictionary<int, Ticket>? loaded = null)
    {
        var workflow = catalog.For(project);
        var distinct = numbers.Distinct().ToList();
        var found = loaded ?? await LoadTicketsAsync(db, distinct, ct);
        var held = (await distinct.QueryInChunksAsync(chunk => db.Releases.AsNoTracking()
                .Where(r => r.State == ReleaseState.Draft && r.Id != release)
                .SelectMany(r => r.Items, (r, i) => new { i.TicketNumber, r.Version })
                .Where(h => chunk.Contains(h.TicketNumber))
                .ToListAsync(ct)))
            .ToDictionary(h => h.TicketNumber, h => h.Version);
        var problems = distinct.Select(n => found.GetValueOrDefault(n) switch
        {
            null => $"tickets: #{n} does not exist.",
            { ProjectId: var id } when id != project.Id => $"tickets: #{n} belongs to another project, not {project.Key}.",
            { } t when t.FieldValues.TryGetValue(TicketService.ReleaseField, out var shipped) => $"tickets: #{n} was already released in {shipped}.",
            _ when held.TryGetValue(n, out var draft) => $"tickets: #{n} is already in the draft of {draft}.",
            { } t when !tickets.IsReleaseReady(workflow, t) => $"tickets: #{n} is {t.Status}, not release-ready.",
            _ => null,
        }).OfType<string>().ToList();
        if (problems.Count > 0)
        {
            throw new DomainException(DomainErrorKind.RequirementMissing, problems[0], problems);
        }
    }

    private static async Task<Dictionary<int, Ticket>> LoadTicketsAsync(PortalDbContext db, IEnumerable<int> numbers, CancellationToken ct) =>
        (await numbers.QueryInChunksAsync(chunk => db.Tickets.AsNoTracking().Include(t => t.Project).Include(t => t.Reporter)
            .Where(t => chunk.Contains(t.Number)).ToListAsync(ct))).ToDictionary(t => t.Number);

    private sealed record Notes(ReleaseNotesInput Input, IReadOnlyList<(string Email, string Name)> Recipients, IReadOnlyList<ReleaseEntryView> Entries, string GeneratedIntro);

    /// <summary>The notes as they stand: generated from the tickets now, with the overrides a person made.</summary>
    private async Task<Notes> NotesAsync(PortalDbContext db, Project project, Release release, CancellationToken ct, IReadOnlyDictionary<int, Ticket>? loaded = null)
    {
        var rows = loaded ?? await LoadTicketsAsync(db, release.Items.Select(i => i.TicketNumber), ct);
        var entries = release.Items.Where(i => rows.ContainsKey(i.TicketNumber)).Select(i =>
        {
            var t = rows[i.TicketNumber];
            var generated = t.FieldValues.GetValueOrDefault("releaseNote") ?? "";
            var ux = string.Equals(t.FieldValues.GetValueOrDefault("uxChange"), "true", StringComparison.OrdinalIgnoreCase);
            return new ReleaseEntryView(t.Number, t.Title, t.Tracker, t.Status, ChangeCategories.Of(t.Labels, t.Tracker).ToString(), ux,
                i.NoteOverride ?? generated, generated, i.NoteOverride is not null, settings.TicketUrl(t.Number));
        }).OrderBy(e => e.Number).ToList();
        var generatedIntro = GeneratedIntro(project, entries);
        var memberships = await db.Memberships.AsNoTracking().Include(m => m.User).Where(m => m.ProjectId == project.Id).ToListAsync(ct);
        var customerRoles = catalog.For(project).CustomerRoles;
        var staff = memberships.Where(m => !customerRoles.Contains(m.Role, StringComparer.OrdinalIgnoreCase)).Select(m => m.User!).DistinctBy(u => u.Id).ToDictionary(u => u.Id);
        // Contributors: the staff who worked on the tickets (wrote in their journals) or own them.
        var authors = await rows.Values.Select(t => t.Id).QueryInChunksAsync(chunk =>
            db.JournalEntries.AsNoTracking().Where(j => chunk.Contains(j.TicketId)).Select(j => j.AuthorId).Distinct().ToListAsync(ct));
        var contributors = authors.Concat(rows.Values.Select(t => t.AssigneeId).OfType<string>())
            .Where(staff.ContainsKey).Select(id => staff[id].PublicName).Distinct().Order(StringComparer.Ordinal).ToList();
        var input = new ReleaseNotesInput(project.Key, project.Name, SemanticVersion.Parse(release.Version), release.Name, release.GoLiveDate,
            release.IntroOverride ?? generatedIntro,
            entries.Select(e => e.ToEntry(e.Note)).ToList(),
            contributors);
        var recipients = memberships.Select(m => m.User!).Concat(rows.Values.Select(t => t.Reporter!))
            .Where(u => u is not null && !string.IsNullOrWhiteSpace(u.Email))
            .Select(u => (Email: u.Email!, u.Name))
            .DistinctBy(r => r.Email.ToUpperInvariant())
            .OrderBy(r => r.Email, StringComparer.OrdinalIgnoreCase)
            .ToList();
        return new Notes(input, recipients, entries, generatedIntro);
    }

    private async Task<ReleaseView> ViewAsync(PortalDbContext db, Project project, Release release, CancellationToken ct) =>
        View(project, release, await NotesAsync(db, project, release, ct));

    private ReleaseView View(Project project, Release release, Notes notes) =>
        new(project.Key, project.Name, release.Version, release.Name, ReleaseDate.Format(release.GoLiveDate), release.State.ToString(),
            notes.Input.Intro, notes.GeneratedIntro, release.IntroOverride is not null, notes.Entries, notes.Input.Contributors,
            ReleaseNotesWriter.Write(notes.Input), release.CommitSha, docs.CommitLink(release.CommitSha), release.PublishedAt,
            settings.PageUrl(release.Version), release.Revision);

    private static string GeneratedIntro(Project project, IReadOnlyList<ReleaseEntryView> entries)
    {
        var ux = entries.Count(e => e.UxChange);
        return $"This release of {project.Name} brings {(entries.Count == 1 ? "1 change" : $"{entries.Count} changes")}" +
            (ux == 0 ? "." : $"; {(ux == 1 ? "1 of them changes" : $"{ux} of them change")} what users see, listed first.");
    }

    private static DateOnly? ParseDate(string? text) =>
        string.IsNullOrWhiteSpace(text)
            ? null
            : ReleaseDate.TryParse(text, out var date)
                ? date
                : throw DomainException.Invalid($"goLiveDate: '{text}' is not a date as yyyy-MM-dd (e.g. 2026-12-01).");

    private static async Task SaveAsync(PortalDbContext db, Release release, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new DomainException(DomainErrorKind.Conflict, $"Release {release.Version} was changed by someone else meanwhile. Reload it and try again.");
        }
        catch (DbUpdateException e) when (e.InnerException?.Message.Contains("UNIQUE", StringComparison.Ordinal) == true)
        {
            throw new DomainException(DomainErrorKind.Conflict, $"version: {release.Version} was taken by another release meanwhile.");
        }
    }
}
