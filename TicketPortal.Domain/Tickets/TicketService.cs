using System.Data;
using Microsoft.EntityFrameworkCore;
using TicketPortal.Domain.People;
using TicketPortal.Domain.Persistence;
using TicketPortal.Domain.Workflows;

namespace TicketPortal.Domain.Tickets;

/// <summary>The ticket use cases: each loads, checks, changes, journals and saves in one short-lived context.</summary>
public sealed class TicketService(
    IDbContextFactory<PortalDbContext> dbFactory,
    WorkflowCatalog catalog,
    ITicketEvents events,
    AttachmentStore attachments,
    TimeProvider clock)
{
    public async Task<TicketView> CreateAsync(CreateTicket command, Viewer viewer, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(IsolationLevel.Serializable, ct);
        var project = await FindProjectAsync(db, command.Project, ct);
        var access = await Access.LoadAsync(db, viewer, catalog, ct);
        var workflow = catalog.For(project);
        if (!WorkflowEngine.CanCreate(workflow, access.ActorIn(project)))
        {
            throw new DomainException(DomainErrorKind.Forbidden, $"You may not create tickets in {project.Key}.");
        }
        var priority = ParsePriority(command.Priority);
        var reporterId = viewer.UserId;
        if (!string.IsNullOrWhiteSpace(command.ReporterEmail))
        {
            if (!access.IsStaffIn(project))
            {
                throw new DomainException(DomainErrorKind.Forbidden, "reporterEmail: only staff may report on behalf of someone else.");
            }
            reporterId = (await FindUserAsync(db, command.ReporterEmail, ct)).Id;
        }

        var ticket = Ticket.Open(await NextNumberAsync(db, ct), project, command.Tracker, command.Title,
            command.Description ?? "", priority, reporterId, workflow.StartStatus, clock.GetUtcNow());
        db.Tickets.Add(ticket);
        await SaveAsync(db, tx, ct, ticket);
        return await ViewAsync(db, ticket.Number, access, ct);
    }

    public async Task<TicketView> GetAsync(int number, Viewer viewer, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var access = await Access.LoadAsync(db, viewer, catalog, ct);
        return await ViewAsync(db, number, access, ct);
    }

    public async Task<IReadOnlyList<TransitionView>> AvailableTransitionsAsync(int number, Viewer viewer, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (ticket, access) = await LoadVisibleAsync(db, number, viewer, ct);
        var workflow = catalog.For(ticket.Project!);
        return WorkflowEngine.Available(workflow, Snapshot(ticket), access.ActorIn(ticket.Project!))
            .Select(t => new TransitionView(t.Id, t.Name, t.To ?? ticket.Status, t.Requires))
            .ToList();
    }

    public async Task<TicketView> AddNoteAsync(int number, string text, bool isInternal, int? version, Viewer viewer, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw DomainException.Invalid("text: a note needs text.");
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(IsolationLevel.Serializable, ct);
        var (ticket, access) = await LoadVisibleAsync(db, number, viewer, ct);
        if (isInternal && !access.IsStaffIn(ticket.Project!))
        {
            throw new DomainException(DomainErrorKind.Forbidden, "internal: only staff may write internal notes.");
        }
        ticket.EnsureVersion(version);
        ticket.Record(viewer.UserId, clock.GetUtcNow(), text, isInternal);
        await SaveAsync(db, tx, ct, ticket);
        return await ViewAsync(db, number, access, ct);
    }

    public async Task<TicketView> TransitionAsync(int number, TakeTransition command, Viewer viewer, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(IsolationLevel.Serializable, ct);
        var (ticket, access) = await LoadVisibleAsync(db, number, viewer, ct);
        ticket.EnsureVersion(command.Version);
        var fields = command.Fields ?? new Dictionary<string, string>();
        var decision = WorkflowEngine.Decide(catalog.For(ticket.Project!), Snapshot(ticket), access.ActorIn(ticket.Project!),
            new TransitionInput(command.Transition, command.Comment, fields));
        var accepted = decision switch
        {
            TransitionAccepted a => a,
            TransitionRefused r => throw Refusal(r),
            _ => throw new InvalidOperationException("Unknown decision."),
        };
        var changed = new List<Ticket> { ticket };
        await ApplyAsync(db, ticket, accepted, viewer.UserId, command.Comment, changed, ct);
        await RunFollowUpsAsync(db, ticket, viewer.UserId, changed, ct);
        await SaveAsync(db, tx, ct, [.. changed]);
        return await ViewAsync(db, number, access, ct);
    }

    public async Task<TicketView> TickChecklistAsync(int number, int itemId, bool done, int? version, Viewer viewer, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(IsolationLevel.Serializable, ct);
        var (ticket, access) = await LoadVisibleAsync(db, number, viewer, ct);
        if (!access.IsStaffIn(ticket.Project!))
        {
            throw new DomainException(DomainErrorKind.Forbidden, "Only project staff may tick checklist items.");
        }
        ticket.EnsureVersion(version);
        ticket.TickChecklistItem(ticket.Record(viewer.UserId, clock.GetUtcNow(), null, isInternal: false), itemId, done, viewer.UserId);
        var changed = new List<Ticket> { ticket };
        await RunFollowUpsAsync(db, ticket, viewer.UserId, changed, ct);
        await SaveAsync(db, tx, ct, [.. changed]);
        return await ViewAsync(db, number, access, ct);
    }

    public async Task<TicketView> AttachAsync(
        int number, string fileName, string contentType, Stream content, int? version, Viewer viewer, CancellationToken ct = default)
    {
        var name = Path.GetFileName(fileName ?? "").Trim();
        if (name.Length is 0 or > 255)
        {
            throw DomainException.Invalid("file: a file name of 1 to 255 characters is required.");
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (ticket, _) = await LoadVisibleAsync(db, number, viewer, ct);
        ticket.EnsureVersion(version);
        var (storedName, size) = await attachments.SaveAsync(content, Attachment.MaxSize, ct);
        try
        {
            await using var tx = await db.Database.BeginTransactionAsync(IsolationLevel.Serializable, ct);
            ticket.Attach(ticket.Record(viewer.UserId, clock.GetUtcNow(), null, isInternal: false), name,
                string.IsNullOrWhiteSpace(contentType) ? "application/octet-stream" : contentType, size, storedName);
            await SaveAsync(db, tx, ct, ticket);
        }
        catch
        {
            attachments.Delete(storedName);
            throw;
        }
        return await ViewAsync(db, number, await Access.LoadAsync(db, viewer, catalog, ct), ct);
    }

    /// <summary>An attachment's metadata and content, for a viewer who may see the ticket.</summary>
    public async Task<(AttachmentView Attachment, Stream Content)> OpenAttachmentAsync(int number, int attachmentId, Viewer viewer, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (ticket, _) = await LoadVisibleAsync(db, number, viewer, ct);
        var attachment = ticket.Attachments.FirstOrDefault(a => a.Id == attachmentId)
            ?? throw DomainException.NotFound($"Attachment {attachmentId} of ticket #{number}");
        return (new AttachmentView(attachment.Id, attachment.FileName, attachment.ContentType, attachment.Size), attachments.OpenRead(attachment.StoredName));
    }

    /// <summary>Fires an external trigger (a commit, a release) on a ticket; true when an automation moved it.</summary>
    public async Task<bool> FireAsync(int number, string trigger, string authorId, string note, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(IsolationLevel.Serializable, ct);
        var ticket = await LoadAsync(db, number, ct);
        var changed = new List<Ticket> { ticket };
        if (!await RunAutomationAsync(db, ticket, AutomationTrigger.External, trigger, authorId, note, changed, ct))
        {
            return false;
        }
        await RunFollowUpsAsync(db, ticket, authorId, changed, ct);
        await SaveAsync(db, tx, ct, [.. changed]);
        return true;
    }

    /// <summary>Takes every time-in-status automation that is due; safe to run again at any time.</summary>
    public async Task<int> RunTimedAutomationsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var moved = 0;
        foreach (var project in await db.Projects.ToListAsync(ct))
        {
            foreach (var automation in catalog.For(project).Automations.Where(a => a.On == AutomationTrigger.TimeInStatus))
            {
                var dueBefore = now - TimeSpan.FromDays(automation.Days);
                var numbers = await db.Tickets
                    .Where(t => t.ProjectId == project.Id && t.Status == automation.Status && t.StatusChangedAt <= dueBefore)
                    .Select(t => t.Number).ToListAsync(ct);
                foreach (var number in numbers)
                {
                    db.ChangeTracker.Clear();
                    await using var tx = await db.Database.BeginTransactionAsync(IsolationLevel.Serializable, ct);
                    var ticket = await LoadAsync(db, number, ct);
                    var changed = new List<Ticket> { ticket };
                    if (await RunAutomationAsync(db, ticket, AutomationTrigger.TimeInStatus, null, Actor.SystemId, null, changed, ct))
                    {
                        await RunFollowUpsAsync(db, ticket, Actor.SystemId, changed, ct);
                        await SaveAsync(db, tx, ct, [.. changed]);
                        moved++;
                    }
                }
            }
        }
        return moved;
    }

    public async Task<TicketListResult> ListAsync(TicketQuery query, Viewer viewer, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var access = await Access.LoadAsync(db, viewer, catalog, ct);
        return await TicketListQuery.RunAsync(db, catalog, access, query, ct);
    }

    private async Task ApplyAsync(
        PortalDbContext db, Ticket ticket, TransitionAccepted accepted, string authorId, string? comment, List<Ticket> changed, CancellationToken ct)
    {
        var entry = ticket.Record(authorId, clock.GetUtcNow(), comment, isInternal: false);
        if (accepted.LabelToAdd is not null)
        {
            ticket.AddLabel(entry, accepted.LabelToAdd);
        }
        foreach (var (name, value) in accepted.FieldChanges)
        {
            ticket.SetField(entry, name, value);
        }
        ticket.ChangeStatus(entry, accepted.ToStatus);
        foreach (var effect in accepted.Effects)
        {
            await new EffectRunner(db, catalog, clock).RunAsync(ticket, entry, effect, authorId, changed, ct);
        }
    }

    /// <summary>Automations that follow a change: a completed checklist, and linked tickets waiting for this one to be done.</summary>
    private async Task RunFollowUpsAsync(PortalDbContext db, Ticket ticket, string authorId, List<Ticket> changed, CancellationToken ct)
    {
        await RunAutomationAsync(db, ticket, AutomationTrigger.ChecklistComplete, null, authorId, null, changed, ct);
        if (catalog.For(ticket.Project!).FindStatus(ticket.Status)?.Category != StatusCategory.Done)
        {
            return;
        }
        foreach (var link in ticket.Links.ToList())
        {
            var other = changed.FirstOrDefault(t => t.Number == link.Number) ?? await LoadAsync(db, link.Number, ct);
            if (!changed.Contains(other))
            {
                changed.Add(other);
            }
            await RunAutomationAsync(db, other, AutomationTrigger.LinkedTicketDone, link.Type.Inverse().ToApiName(), Actor.SystemId,
                null, changed, ct, ticket);
        }
    }

    private async Task<bool> RunAutomationAsync(
        PortalDbContext db, Ticket ticket, AutomationTrigger trigger, string? name, string authorId, string? note,
        List<Ticket> changed, CancellationToken ct, Ticket? source = null)
    {
        var workflow = catalog.For(ticket.Project!);
        var automation = WorkflowEngine.Triggered(workflow, Snapshot(ticket), trigger, clock.GetUtcNow(), name);
        if (automation is null)
        {
            return false;
        }
        var decision = WorkflowEngine.Decide(workflow, Snapshot(ticket), Actor.System, new TransitionInput(automation.Transition, null, new Dictionary<string, string>()));
        if (decision is not TransitionAccepted accepted)
        {
            return false;
        }
        var text = note ?? Fill(automation.Note, source ?? ticket);
        await ApplyAsync(db, ticket, accepted, authorId, text, changed, ct);
        return true;
    }

    private static string? Fill(string? template, Ticket source) =>
        template is null
            ? null
            : source.Fields.Aggregate(template, (text, f) => text.Replace("{" + f.Name + "}", f.Value, StringComparison.OrdinalIgnoreCase));

    internal static TicketSnapshot Snapshot(Ticket t) => new(
        t.Status, t.Tracker, t.ReporterId, t.AssigneeId, t.Labels, t.FieldValues, t.Checklist.Select(i => i.Done).ToList(), t.StatusChangedAt);

    private static DomainException Refusal(TransitionRefused refused) => refused.Kind switch
    {
        RefusalKind.Unknown => new DomainException(DomainErrorKind.Invalid, refused.Message, refused.Problems),
        RefusalKind.WrongStatus => new DomainException(DomainErrorKind.Conflict, refused.Message, refused.Problems),
        RefusalKind.Forbidden => new DomainException(DomainErrorKind.Forbidden, refused.Message, refused.Problems),
        RefusalKind.RequirementMissing => new DomainException(DomainErrorKind.RequirementMissing, refused.Message, refused.Problems),
    };

    private async Task<(Ticket, Access)> LoadVisibleAsync(PortalDbContext db, int number, Viewer viewer, CancellationToken ct)
    {
        var ticket = await LoadAsync(db, number, ct);
        var access = await Access.LoadAsync(db, viewer, catalog, ct);
        if (!access.CanSee(ticket, ticket.Project!))
        {
            // Not telling a stranger the ticket exists.
            throw DomainException.NotFound($"Ticket #{number}");
        }
        return (ticket, access);
    }

    internal static async Task<Ticket> LoadAsync(PortalDbContext db, int number, CancellationToken ct) =>
        await db.Tickets.Include(t => t.Project).SingleOrDefaultAsync(t => t.Number == number, ct)
            ?? throw DomainException.NotFound($"Ticket #{number}");

    internal static async Task<Project> FindProjectAsync(PortalDbContext db, string key, CancellationToken ct) =>
        await db.Projects.SingleOrDefaultAsync(p => p.Key == key.ToUpperInvariant(), ct)
            ?? throw DomainException.Invalid($"project: unknown project '{key}'.");

    private static async Task<PortalUser> FindUserAsync(PortalDbContext db, string email, CancellationToken ct) =>
        await db.Users.SingleOrDefaultAsync(u => u.NormalizedEmail == email.ToUpperInvariant(), ct)
            ?? throw DomainException.Invalid($"reporterEmail: no user with e-mail '{email}'.");

    private static Priority ParsePriority(string? priority) =>
        string.IsNullOrWhiteSpace(priority)
            ? Priority.Normal
            : Enum.TryParse<Priority>(priority, ignoreCase: true, out var p) && Enum.IsDefined(p)
                ? p
                : throw DomainException.Invalid($"priority: '{priority}' is not one of {string.Join(", ", Enum.GetNames<Priority>())}.");

    internal static async Task<int> NextNumberAsync(PortalDbContext db, CancellationToken ct) =>
        (await db.Tickets.MaxAsync(t => (int?)t.Number, ct) ?? 0) + 1;

    private async Task SaveAsync(PortalDbContext db, Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction tx, CancellationToken ct, params Ticket[] tickets)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new DomainException(DomainErrorKind.Conflict,
                $"Ticket {string.Join(", ", tickets.Select(t => t.Reference))} was changed by someone else meanwhile. Reload it and try again.");
        }
        foreach (var ticket in tickets)
        {
            var project = ticket.Project ?? await db.Projects.SingleAsync(p => p.Id == ticket.ProjectId, ct);
            events.Publish(new TicketChanged(ticket.Number, project.Key, project.Id, ticket.ReporterId, ticket.Status, ticket.Version));
        }
    }

    private async Task<TicketView> ViewAsync(PortalDbContext db, int number, Access access, CancellationToken ct) =>
        await TicketViewQuery.RunAsync(db, catalog, access, number, ct);
}
