using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using TicketPortal.Domain.People;
using TicketPortal.Domain.Persistence;
using TicketPortal.Domain.Tickets;

namespace TicketPortal.Domain.Git;

public sealed record GitScanResult(string Repository, int Commits, int References, int Applied, string? Error);

public sealed record GitScanTotals(int Commits, int References, int Applied, IReadOnlyList<GitScanResult> Repositories);

public sealed record RepositoryView(
    int Id, string Name, string Path, string? Remote, string Branch, string? CommitUrl, bool HasWebhookSecret, IReadOnlyList<string> ClosingBranches,
    string? Tip, DateTimeOffset? LastScanAt, string? LastError, bool Imported, int Commits, int References, int Applied, int? Scanning);

public sealed record CommitView(string Repository, string Sha, string ShortSha, string? Url, string Branch, string Author, string Subject,
    DateTimeOffset CommittedAt, string Kind, string Outcome, int? MinutesSpent);

/// <summary>
/// The git use cases: scan one or all repositories (one scan at a time per repository), apply what the commits say to
/// tickets exactly once, and let admins edit repositories and preview what a commit message would do.
/// </summary>
public sealed class GitService(
    IDbContextFactory<PortalDbContext> dbFactory, TicketService tickets, GitScanner scanner, GitSettings settings, TimeProvider clock)
{
    public const string CommitTrigger = "commit";
    public const string ReopenTrigger = "reopen";

    private static readonly CommitOutcome LinkedOnImport = new(false, "linked on first import");

    private readonly ConcurrentDictionary<int, SemaphoreSlim> _locks = new();
    private readonly ConcurrentDictionary<int, int> _scanning = new();
    private (string Keys, CommitReferenceGrammar Grammar)? _grammar;

    /// <summary>What a pasted commit message would reference, read with the portal's keywords and project keys.</summary>
    public async Task<ParsedCommit> PreviewAsync(string message, CancellationToken ct = default) => (await GrammarAsync(ct)).Parse(message);

    /// <summary>The grammar of this moment: the configured keywords, and only the project keys that exist (so UTF-8 is no ticket).</summary>
    private async Task<CommitReferenceGrammar> GrammarAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var keys = string.Join(",", await db.Projects.AsNoTracking().Select(p => p.Key).OrderBy(k => k).ToListAsync(ct));
        var cached = _grammar;
        if (cached?.Keys != keys)
        {
            // Building the grammar compiles its expressions; it is rebuilt only when projects come or go.
            cached = (keys, new CommitReferenceGrammar(settings.Keywords(), settings.PortalUrl, keys.Split(',', StringSplitOptions.RemoveEmptyEntries)));
            _grammar = cached;
        }
        return cached.Value.Grammar;
    }

    /// <summary>The repository's webhook secret: empty when it has none, null when there is no such repository.</summary>
    public async Task<string?> WebhookSecretAsync(string name, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var repository = await db.Repositories.AsNoTracking().FirstOrDefaultAsync(r => r.Name == name, ct);
        return repository is null ? null : repository.WebhookSecret ?? "";
    }

    /// <summary>Adds the repositories named in configuration that the database does not hold yet (admins' edits win afterwards).</summary>
    public async Task SeedAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        foreach (var configured in settings.Repositories)
        {
            if (!await db.Repositories.AnyAsync(r => r.Name == configured.Name, ct))
            {
                var path = string.IsNullOrWhiteSpace(configured.Path) && configured.Remote is not null ? System.IO.Path.Combine(settings.FetchDirectory, configured.Name) : configured.Path;
                db.Repositories.Add(new WatchedRepository(configured.ToSettings() with { Path = path }));
            }
        }
        await db.SaveChangesAsync(ct);
    }

    public async Task<IReadOnlyList<RepositoryView>> RepositoriesAsync(Viewer viewer, CancellationToken ct = default)
    {
        EnsureAdmin(viewer);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return (await db.Repositories.AsNoTracking().OrderBy(r => r.Name).ToListAsync(ct)).Select(View).ToList();
    }

    public async Task<RepositoryView> SaveAsync(int? id, RepositorySettings changes, Viewer viewer, CancellationToken ct = default)
    {
        EnsureAdmin(viewer);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.Repositories.AnyAsync(r => r.Name == changes.Name && r.Id != id, ct))
        {
            throw DomainException.Invalid($"name: a repository named '{changes.Name}' exists already.");
        }
        WatchedRepository repository;
        if (id is { } existing)
        {
            repository = await db.Repositories.FirstOrDefaultAsync(r => r.Id == existing, ct) ?? throw DomainException.NotFound($"Repository {existing}");
            repository.Update(changes);
        }
        else
        {
            repository = new WatchedRepository(changes);
            db.Repositories.Add(repository);
        }
        await db.SaveChangesAsync(ct);
        return View(repository);
    }

    /// <summary>The commits that reference a ticket, across repositories; staff only, like the internal notes they write.</summary>
    public async Task<IReadOnlyList<CommitView>> CommitsOfAsync(int number, Viewer viewer, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (ticket, access) = await tickets.LoadVisibleAsync(db, number, viewer, ct);
        if (!access.IsStaffIn(ticket.Project!))
        {
            return [];
        }
        var links = await db.CommitLinks.AsNoTracking().Where(l => l.TicketNumber == number).OrderBy(l => l.CommittedAt).ThenBy(l => l.Id).ToListAsync(ct);
        var repositories = await db.Repositories.AsNoTracking().ToDictionaryAsync(r => r.Id, ct);
        return links.Select(l => new CommitView(repositories[l.RepositoryId].Name, l.SeenSha, l.SeenSha[..7], repositories[l.RepositoryId].LinkTo(l.SeenSha), l.Branch,
            l.Author, l.Subject, l.CommittedAt, l.Kind.ToString().ToLowerInvariant(), l.Outcome, l.MinutesSpent)).ToList();
    }

    public async Task<GitScanTotals> ScanAllAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var names = await db.Repositories.AsNoTracking().OrderBy(r => r.Name).Select(r => r.Name).ToListAsync(ct);
        var results = new List<GitScanResult>();
        foreach (var name in names)
        {
            results.Add(await ScanAsync(name, ct));
        }
        return new GitScanTotals(results.Sum(r => r.Commits), results.Sum(r => r.References), results.Sum(r => r.Applied), results);
    }

    /// <summary>Fetches (for a remote) and scans one repository; a failure is stored on the repository and nothing is applied.</summary>
    public async Task<GitScanResult> ScanAsync(string name, CancellationToken ct = default)
    {
        WatchedRepository repository;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            repository = await db.Repositories.AsNoTracking().FirstOrDefaultAsync(r => r.Name == name, ct) ?? throw DomainException.NotFound($"Repository '{name}'");
        }
        var gate = _locks.GetOrAdd(repository.Id, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            _scanning[repository.Id] = 0;
            var grammar = await GrammarAsync(ct);
            var findings = await Task.Run(() => scanner.Scan(repository, grammar, settings.CredentialsFor(name), walked => _scanning[repository.Id] = walked), ct);
            return await ApplyAsync(repository, findings, ct);
        }
        catch (Exception e) when (e is GitScanException or LibGit2Sharp.LibGit2SharpException or DomainException { Kind: DomainErrorKind.Conflict })
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var stored = await db.Repositories.SingleAsync(r => r.Id == repository.Id, ct);
            stored.RecordError(clock.GetUtcNow(), e.Message);
            await db.SaveChangesAsync(ct);
            return new GitScanResult(name, 0, 0, 0, e.Message);
        }
        finally
        {
            _scanning.TryRemove(repository.Id, out _);
            gate.Release();
        }
    }

    private async Task<GitScanResult> ApplyAsync(WatchedRepository repository, ScanFindings findings, CancellationToken ct)
    {
        var plan = await PlanAsync(repository, findings, ct);
        var applied = 0;
        await tickets.ApplyCommitNotesAsync(plan.Notes, (db, outcomes) =>
        {
            // A reference row says it was noted; a verb's row (and a revert's) keeps what the workflow made of its note.
            var links = plan.Links.Select(l => l.Create(l.Outcome ?? outcomes[l.Note!.Value])).ToList();
            applied = links.Count(l => l.Applied);
            CommitLedgerWriter.Insert(db, links);
            db.Repositories.Attach(repository);
            repository.RecordScan(clock.GetUtcNow(), findings.Tips, findings.Walked, plan.References, applied);
        }, ct);
        return new GitScanResult(repository.Name, findings.Walked, plan.References, applied, null);
    }

    /// <summary>A ledger row to write: with a fixed outcome, or with the outcome of the note it belongs to.</summary>
    private sealed record PlannedLink(int? Note, CommitOutcome? Outcome, Func<CommitOutcome, CommitLink> Create);

    private sealed record LedgerRow(string Sha, int TicketNumber, CommitLinkKind Kind, bool Applied);

    private sealed record Plan(List<CommitNote> Notes, List<PlannedLink> Links, int References);

    /// <summary>Decides, against the ledger, what is new: which references to note and which verbs to act on.</summary>
    private async Task<Plan> PlanAsync(WatchedRepository repository, ScanFindings findings, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var known = (await findings.Commits.SelectMany(c => c.Parsed.References).Select(r => r.Number).QueryInChunksAsync(numbers =>
                db.Tickets.AsNoTracking().Where(t => numbers.Contains(t.Number)).Select(t => new { t.Number, t.Project!.Key }).ToListAsync(ct)))
            .ToDictionary(t => t.Number, t => t.Key);
        var ledger = await findings.Commits.Select(c => c.LogicalSha).Concat(findings.Commits.Select(c => c.Parsed.RevertedCommit).OfType<string>()).QueryInChunksAsync(shas =>
            db.CommitLinks.AsNoTracking().Where(l => shas.Contains(l.Sha)).Select(l => new LedgerRow(l.Sha, l.TicketNumber, l.Kind, l.Applied)).ToListAsync(ct));
        var done = ledger.Select(l => (l.Sha, l.TicketNumber, l.Kind)).ToHashSet();
        var users = (await findings.Commits.Select(c => c.AuthorEmail.ToUpperInvariant()).QueryInChunksAsync(emails =>
            db.Users.AsNoTracking().Where(u => emails.Contains(u.NormalizedEmail!)).Select(u => new { Email = u.NormalizedEmail!, u.Id }).ToListAsync(ct)))
            .ToDictionary(u => u.Email, u => u.Id);
        var now = clock.GetUtcNow();
        var plan = new Plan([], [], 0);
        var references = 0;

        int Note(CommitNote note)
        {
            plan.Notes.Add(note);
            return plan.Notes.Count - 1;
        }

        void Link(ScannedCommit commit, int number, CommitLinkKind kind, int? note, CommitOutcome? outcome)
        {
            done.Add((commit.LogicalSha, number, kind));
            plan.Links.Add(new PlannedLink(note, outcome, result => new CommitLink(commit, number, kind, repository.Id, result, now)));
        }

        foreach (var commit in findings.Commits)
        {
            var author = users.GetValueOrDefault(commit.AuthorEmail.ToUpperInvariant()) ?? Workflows.Actor.SystemId;
            var line = Line(repository, commit);
            foreach (var reference in commit.Parsed.References)
            {
                if (!known.TryGetValue(reference.Number, out var key) || (reference.ProjectKey is not null && reference.ProjectKey != key))
                {
                    continue;
                }
                references++;
                var noted = done.Contains((commit.LogicalSha, reference.Number, CommitLinkKind.Reference));
                if (findings.FirstImport)
                {
                    if (!noted)
                    {
                        Link(commit, reference.Number, CommitLinkKind.Reference, null, LinkedOnImport);
                    }
                    continue;
                }
                var kind = reference.Action switch
                {
                    ReferenceAction.Close => CommitLinkKind.Close,
                    ReferenceAction.Reopen => CommitLinkKind.Reopen,
                    ReferenceAction.Refer => CommitLinkKind.Reference,
                };
                var acts = kind != CommitLinkKind.Reference && commit.OnClosingBranch && !done.Contains((commit.LogicalSha, reference.Number, kind));
                if (!noted)
                {
                    // One note per commit and ticket; when the verb acts too, its step goes with that note.
                    var text = acts || kind == CommitLinkKind.Reference ? line : $"{line}\n\nIt will {Verb(kind)} the ticket once it reaches {string.Join(" or ", repository.ClosingBranches)}.";
                    var note = Note(new CommitNote(reference.Number, author, text, acts ? Trigger(kind) : null, Values(commit)));
                    Link(commit, reference.Number, CommitLinkKind.Reference, note, CommitOutcome.Noted);
                    if (acts)
                    {
                        Link(commit, reference.Number, kind, note, null);
                    }
                }
                else if (acts)
                {
                    Link(commit, reference.Number, kind, Note(new CommitNote(reference.Number, author, $"{line}\n\nIt reached {commit.Branch}.", Trigger(kind), Values(commit))), null);
                }
            }
            if (!findings.FirstImport && commit.Parsed.RevertedCommit is { } reverted)
            {
                foreach (var target in ledger.Where(l => l.Sha == reverted && l.Kind == CommitLinkKind.Reference).Select(l => l.TicketNumber).Distinct())
                {
                    if (done.Contains((commit.LogicalSha, target, CommitLinkKind.Revert)))
                    {
                        continue;
                    }
                    var closedIt = ledger.Any(l => l.Sha == reverted && l.TicketNumber == target && l.Kind == CommitLinkKind.Close && l.Applied);
                    var reopen = settings.RevertReopens && closedIt && commit.OnClosingBranch;
                    Link(commit, target, CommitLinkKind.Revert,
                        Note(new CommitNote(target, author, $"{line}\n\nIt reverts {reverted[..7]}, which referenced this ticket.", reopen ? ReopenTrigger : null, Values(commit))), null);
                }
            }
        }
        return plan with { References = references };
    }

    private static string Trigger(CommitLinkKind kind) => kind == CommitLinkKind.Reopen ? ReopenTrigger : CommitTrigger;

    private static string Verb(CommitLinkKind kind) => kind == CommitLinkKind.Reopen ? "reopen" : "close";

    private static Dictionary<string, string> Values(ScannedCommit commit)
    {
        var values = new Dictionary<string, string> { ["sha"] = commit.Sha, ["branch"] = commit.Branch };
        if (commit.Tag is not null)
        {
            values["tag"] = commit.Tag;
        }
        return values;
    }

    /// <summary>The journal line of a commit: short hash (linked when the repository has a commit URL), author, branch, first line.</summary>
    private static string Line(WatchedRepository repository, ScannedCommit commit)
    {
        var hash = repository.LinkTo(commit.Sha) is { } url ? $"[{commit.ShortSha}]({url})" : $"`{commit.ShortSha}`";
        var spent = commit.Parsed.TimeSpent is { } time ? $" Time spent: {(int)time.TotalHours}h {time.Minutes:00}m." : "";
        return $"Commit {hash} by {commit.Author} on {commit.Branch} ({repository.Name}): {commit.Subject}{spent}";
    }

    private RepositoryView View(WatchedRepository r) => new(
        r.Id, r.Name, r.Path, r.Remote, r.Branch, r.CommitUrl, r.WebhookSecret is not null, r.ClosingBranches, r.Tips.GetValueOrDefault(r.Branch),
        r.LastScanAt, r.LastError, r.Imported, r.Commits, r.References, r.Applied, _scanning.TryGetValue(r.Id, out var walked) ? walked : null);

    private static void EnsureAdmin(Viewer viewer)
    {
        if (!viewer.IsAdmin)
        {
            throw new DomainException(DomainErrorKind.Forbidden, "Only admins manage repositories.");
        }
    }
}
