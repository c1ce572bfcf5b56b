using System.Data;
using Microsoft.EntityFrameworkCore;
using TicketPortal.Domain.People;
using TicketPortal.Domain.Persistence;
using TicketPortal.Domain.Workflows;

namespace TicketPortal.Domain.Tickets;

/// <summary>The ticket use cases: each loads, checks, changes, journals and saves in one short-lived context.</summary>
public sealed partial class TicketService(
    IDbContextFactory<PortalDbContext> dbFactory,
    WorkflowCatalog catalog,
    ITicketEvents events,
    AttachmentStore attachments,
    Mail.TicketMail mail,
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

        var staff = access.IsStaffIn(project);
        var hintsOnly = workflow.CustomerHints && !staff;
        var changed = new List<Ticket>();
        var runner = new EffectRunner(db, catalog, clock);
        var ticket = await runner.OpenAsync(project, command.Tracker, command.Title, command.Description ?? "",
            hintsOnly ? Priority.Normal : priority, reporterId, viewer.UserId, changed, ct);
        if (hintsOnly && (command.Priority is not null || command.AssigneeEmail is not null))
        {
            ticket.Record(viewer.UserId, clock.GetUtcNow(), Hint(command, priority), isInternal: false);
        }
        else if (!string.IsNullOrWhiteSpace(command.AssigneeEmail))
        {
            if (!staff)
            {
                throw new DomainException(DomainErrorKind.Forbidden, "assigneeEmail: only staff may assign tickets.");
            }
            var assignee = await runner.MemberAsync(ticket, command.AssigneeEmail, [], "assigneeEmail", ct);
            await runner.SetAssigneeAsync(ticket, ticket.Journal[0], assignee, ct);
        }
        await SaveAsync(db, tx, ct, [.. changed]);
        return await ViewAsync(db, ticket.Number, access, ct);
    }

    private static string Hint(CreateTicket command, Priority priority) =>
        string.Join(" ", new[]
        {
            command.Priority is null ? null : $"Suggested priority: {priority}.",
            command.AssigneeEmail is null ? null : $"Suggested assignee: {command.AssigneeEmail}.",
        }.OfType<string>()) + " (A customer's suggestion, kept as a hint; support decides.)";

    /// <summary>Assigns the ticket to a staff member (or nobody), within the tracker's assignable roles.</summary>
    public async Task<TicketView> AssignAsync(int number, string? email, int? version, Viewer viewer, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(IsolationLevel.Serializable, ct);
        var (ticket, access) = await LoadStaffAsync(db, number, viewer, "assign tickets", ct);
        ticket.EnsureVersion(version);
        if (!WorkflowEngine.CanReassign(catalog.For(ticket.Project!), Snapshot(ticket), access.ActorIn(ticket.Project!)))
        {
            throw new DomainException(DomainErrorKind.Forbidden,
                $"Ticket #{number} cannot be reassigned by you in '{ticket.Status}'; its workflow assigns through its steps.");
        }
        var runner = new EffectRunner(db, catalog, clock);
        var roles = catalog.For(ticket.Project!).AssignableRoles(ticket.Tracker) ?? [];
        var userId = string.IsNullOrWhiteSpace(email) ? null : await runner.MemberAsync(ticket, email, roles, "assignee", ct);
        await runner.SetAssigneeAsync(ticket, ticket.Record(viewer.UserId, clock.GetUtcNow(), null, isInternal: false), userId, ct);
        await SaveAsync(db, tx, ct, ticket);
        return await ViewAsync(db, number, access, ct);
    }

    /// <summary>Gives a checklist item to a staff member (or nobody).</summary>
    public async Task<TicketView> AssignChecklistItemAsync(int number, int itemId, string? email, int? version, Viewer viewer, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(IsolationLevel.Serializable, ct);
        var (ticket, access) = await LoadStaffAsync(db, number, viewer, "assign checklist items", ct);
        ticket.EnsureVersion(version);
        var userId = string.IsNullOrWhiteSpace(email) ? null : await new EffectRunner(db, catalog, clock).MemberAsync(ticket, email, [], "assignee", ct);
        if (ticket.FindChecklistItem(itemId).AssigneeId == userId)
        {
            return await ViewAsync(db, number, access, ct);
        }
        ticket.AssignChecklistItem(ticket.Record(viewer.UserId, clock.GetUtcNow(), null, isInternal: false), itemId, userId, email);
        await SaveAsync(db, tx, ct, ticket);
        return await ViewAsync(db, number, access, ct);
    }

    /// <summary>Takes one transition on many tickets, each on its own; what is refused is reported, not thrown.</summary>
    public async Task<BulkResult> TransitionManyAsync(BulkTransition command, Viewer viewer, CancellationToken ct = default)
    {
        var numbers = command.Numbers ?? await OpenTicketsOfAsync(command, viewer, ct);
        var taken = new List<int>();
        var refused = new List<BulkRefusal>();
        foreach (var number in numbers)
        {
            try
            {
                await TransitionAsync(number, new TakeTransition(command.Transition, command.Comment, command.Fields, null, command.CommentInternal), viewer, ct);
                taken.Add(number);
            }
            catch (DomainException e)
            {
                refused.Add(new BulkRefusal(number, e.Message));
            }
        }
        return new BulkResult(taken, refused);
    }

    private async Task<List<int>> OpenTicketsOfAsync(BulkTransition command, Viewer viewer, CancellationToken ct)
    {
        if (command.Project is null || command.Assignee is null)
        {
            throw DomainException.Invalid("numbers: list the tickets, or give project and assignee to take every open ticket of that person.");
        }
        var page = await ListAsync(new TicketQuery(Project: command.Project, Assignee: command.Assignee, PageSize: TicketQuery.MaxPageSize), viewer, ct);
        return page.Items.Where(i => i.StatusCategory != StatusCategory.Done.ToApiName()).Select(i => i.Number).ToList();
    }

    /// <summary>The cards of a project's board: every visible ticket in a visible status, with its most urgent running clock.</summary>
    public async Task<IReadOnlyList<BoardCard>> BoardAsync(string projectKey, Viewer viewer, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var project = await FindProjectAsync(db, projectKey, ct);
        var access = await Access.LoadAsync(db, viewer, catalog, ct);
        var workflow = catalog.For(project);
        var visible = workflow.Statuses.Where(s => !s.Hidden).Select(s => s.Name).ToList();
        var tickets = db.Tickets.AsNoTracking().Include(t => t.Assignee).Include(t => t.Journal)
            .Where(t => t.ProjectId == project.Id && visible.Contains(t.Status));
        var staff = access.IsStaffIn(project);
        if (!staff)
        {
            tickets = tickets.Where(access.OwnTickets(project.Id));
        }
        var now = clock.GetUtcNow();
        var rows = await tickets.OrderByDescending(t => t.UpdatedAt).Take(BoardLimit).ToListAsync(ct);
        return rows.Select(t => BoardCard.From(t, workflow, now, staff, viewer.UserId)).ToList();
    }

    /// <summary>A board shows the most recently changed tickets; older ones are in the list.</summary>
    public const int BoardLimit = 500;

    /// <summary>Open tickets per staff member of a project, against the WIP limit; for the lead to see who is over.</summary>
    public async Task<IReadOnlyList<WorkloadView>> WorkloadAsync(string projectKey, Viewer viewer, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var project = await FindProjectAsync(db, projectKey, ct);
        var access = await Access.LoadAsync(db, viewer, catalog, ct);
        if (!access.IsStaffIn(project))
        {
            throw new DomainException(DomainErrorKind.Forbidden, $"Only staff of {project.Key} may see its workload.");
        }
        var workflow = catalog.For(project);
        var open = workflow.Statuses.Where(s => s.Category != StatusCategory.Done).Select(s => s.Name).ToList();
        var counts = await db.Tickets.Where(t => t.ProjectId == project.Id && t.AssigneeId != null && open.Contains(t.Status))
            .GroupBy(t => t.AssigneeId!).Select(g => new { UserId = g.Key, Open = g.Count() }).ToDictionaryAsync(g => g.UserId, g => g.Open, ct);
        var members = await db.Memberships.Where(Access.StaffRole(workflow.CustomerRoles)).Where(m => m.ProjectId == project.Id)
            .Select(m => new { m.UserId, m.User!.Email, m.User.DisplayName }).Distinct().ToListAsync(ct);
        return members
            .Select(m => new WorkloadView(m.Email ?? "", m.DisplayName, counts.GetValueOrDefault(m.UserId), workflow.WipLimit,
                workflow.WipLimit is { } limit && counts.GetValueOrDefault(m.UserId) > limit))
            .OrderByDescending(w => w.Open).ThenBy(w => w.Email).ToList();
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
        return WorkflowEngine.Available(workflow, Snapshot(ticket), await ActorAsync(db, access, ticket.Project!, ct))
            .Select(t => new TransitionView(t.Id, t.Name, t.To ?? ticket.Status, t.Requires, t.Offers))
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
        EnsureStaffForInternal(access, ticket, isInternal, "notes");
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
        EnsureStaffForInternal(access, ticket, command.CommentInternal, "comments");
        ticket.EnsureVersion(command.Version);
        var fields = command.Fields ?? new Dictionary<string, string>();
        var decision = WorkflowEngine.Decide(catalog.For(ticket.Project!), Snapshot(ticket), await ActorAsync(db, access, ticket.Project!, ct),
            new TransitionInput(command.Transition, command.Comment, fields));
        var accepted = decision switch
        {
            TransitionAccepted a => a,
            TransitionRefused r => throw Refusal(r),
            _ => throw new InvalidOperationException("Unknown decision."),
        };
        var changed = new List<Ticket> { ticket };
        await ApplyAsync(db, ticket, accepted, viewer.UserId, command.CommentInternal ? null : command.Comment, changed, ct, access);
        if (command.CommentInternal)
        {
            ticket.Record(viewer.UserId, clock.GetUtcNow(), command.Comment, isInternal: true);
        }
        await RunFollowUpsAsync(db, ticket, viewer.UserId, changed, ct);
        await SaveAsync(db, tx, ct, [.. changed]);
        return await ViewAsync(db, number, access, ct);
    }

    public async Task<TicketView> TickChecklistAsync(int number, int itemId, bool done, int? version, Viewer viewer, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(IsolationLevel.Serializable, ct);
        var (ticket, access) = await LoadStaffAsync(db, number, viewer, "tick checklist items", ct);
        ticket.EnsureVersion(version);
        if (ticket.FindChecklistItem(itemId).Done == done)
        {
            return await ViewAsync(db, number, access, ct);
        }
        ticket.TickChecklistItem(ticket.Record(viewer.UserId, clock.GetUtcNow(), null, isInternal: false), itemId, done, viewer.UserId);
        var changed = new List<Ticket> { ticket };
        await RunFollowUpsAsync(db, ticket, viewer.UserId, changed, ct);
        await SaveAsync(db, tx, ct, [.. changed]);
        return await ViewAsync(db, number, access, ct);
    }

    public async Task<TicketView> AttachAsync(
        int number, string fileName, string contentType, Stream content, int? version, Viewer viewer, bool isInternal = false, CancellationToken ct = default)
    {
        var name = Path.GetFileName(fileName ?? "").Trim();
        if (name.Length is 0 or > 255)
        {
            throw DomainException.Invalid("file: a file name of 1 to 255 characters is required.");
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (ticket, access) = await LoadVisibleAsync(db, number, viewer, ct);
        EnsureStaffForInternal(access, ticket, isInternal, "attachments");
        ticket.EnsureVersion(version);
        var (storedName, size) = await attachments.SaveAsync(content, Attachment.MaxSize, ct);
        try
        {
            await using var tx = await db.Database.BeginTransactionAsync(IsolationLevel.Serializable, ct);
            ticket.Attach(ticket.Record(viewer.UserId, clock.GetUtcNow(), null, isInternal), name,
                string.IsNullOrWhiteSpace(contentType) ? "application/octet-stream" : contentType, size, storedName);
            await SaveAsync(db, tx, ct, ticket);
        }
        catch
        {
            attachments.Delete(storedName);
            throw;
        }
        return await ViewAsync(db, number, access, ct);
    }

    /// <summary>An attachment's metadata and content, for a viewer who may see the ticket (and, for internal ones, is staff).</summary>
    public async Task<(AttachmentView Attachment, Stream Content)> OpenAttachmentAsync(int number, int attachmentId, Viewer viewer, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (ticket, access) = await LoadVisibleAsync(db, number, viewer, ct);
        var attachment = ticket.Attachments.FirstOrDefault(a => a.Id == attachmentId && (!a.IsInternal || access.IsStaffIn(ticket.Project!)))
            ?? throw DomainException.NotFound($"Attachment {attachmentId} of ticket #{number}");
        return (new AttachmentView(attachment.Id, attachment.FileName, attachment.ContentType, attachment.Size, attachment.IsInternal),
            attachments.OpenRead(attachment.StoredName));
    }

    /// <summary>Fires an external trigger (a commit, a release) on a ticket; true when an automation moved it.</summary>
    public async Task<bool> FireAsync(int number, string trigger, string authorId, string note, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(IsolationLevel.Serializable, ct);
        var ticket = await LoadAsync(db, number, ct);
        var changed = new List<Ticket> { ticket };
        if (await RunAutomationAsync(db, ticket, AutomationTrigger.External, trigger, authorId, note, changed, ct) is null)
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
                    if (await RunAutomationAsync(db, ticket, AutomationTrigger.TimeInStatus, null, Actor.SystemId, null, changed, ct) is not null)
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

    /// <summary>
    /// Journals each breached SLA clock once (keyed by clock and due time) and tells the assignee; a breach still open after
    /// the workflow's grace time, or on a ticket nobody owns, is escalated once to the escalation roles. Safe to run again.
    /// </summary>
    public async Task<(int Breaches, int Escalations)> RecordSlaBreachesAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var (breaches, escalations) = (0, 0);
        foreach (var project in await db.Projects.AsNoTracking().ToListAsync(ct))
        {
            var workflow = catalog.For(project);
            if (workflow.Sla is not { } sla)
            {
                continue;
            }
            var open = workflow.Statuses.Where(s => s.Category != StatusCategory.Done).Select(s => s.Name).ToList();
            var numbers = await db.Tickets.Where(t => t.ProjectId == project.Id && open.Contains(t.Status)).Select(t => t.Number).ToListAsync(ct);
            var leads = await db.Memberships.Where(m => m.ProjectId == project.Id && sla.EscalateTo.Contains(m.Role))
                .Select(m => m.UserId).Distinct().ToListAsync(ct);
            foreach (var number in numbers)
            {
                db.ChangeTracker.Clear();
                await using var tx = await db.Database.BeginTransactionAsync(IsolationLevel.Serializable, ct);
                var ticket = await db.Tickets.Include(t => t.Project).Include(t => t.Journal).SingleAsync(t => t.Number == number, ct);
                var done = ticket.Journal.SelectMany(j => j.Changes).Select(c => (c.Field, c.New)).ToHashSet();
                var breached = TicketSla.For(ticket, ticket.Journal, workflow, now).Where(c => c.Breached && !c.Met).ToList();
                var fresh = breached.Where(c => !done.Contains((Ticket.SlaBreachPrefix + c.Name, Ticket.DueKey(c.DueAt)))).ToList();
                var escalate = breached
                    .Where(c => !done.Contains((Ticket.SlaEscalationPrefix + c.Name, Ticket.DueKey(c.DueAt))))
                    .Where(c => ticket.AssigneeId is null || now >= sla.Calendar.Add(c.DueAt, TimeSpan.FromHours(sla.EscalateAfterHours)))
                    .ToList();
                if (fresh.Count == 0 && escalate.Count == 0)
                {
                    continue;
                }
                var entry = ticket.Record(Actor.SystemId, now, Describe(fresh, escalate), isInternal: true);
                foreach (var clockState in fresh)
                {
                    ticket.RecordSlaBreach(entry, clockState.Name, clockState.DueAt);
                    if (ticket.AssigneeId is { } owner)
                    {
                        db.Notifications.Add(new Notification(owner, number, $"#{number} {ticket.Title}: SLA {clockState.Name} breached.", now));
                        await mail.QueueSlaBreachAsync(db, ticket, clockState.Name, clockState.DueAt, [owner], "You own this ticket.", now, ct);
                    }
                }
                foreach (var clockState in escalate)
                {
                    ticket.RecordSlaEscalation(entry, clockState.Name, clockState.DueAt);
                    db.Notifications.AddRange(leads.Select(lead =>
                        new Notification(lead, number, $"#{number} {ticket.Title}: SLA {clockState.Name} breached and escalated to you.", now)));
                    await mail.QueueSlaBreachAsync(db, ticket, clockState.Name, clockState.DueAt, leads,
                        ticket.AssigneeId is null ? "Nobody owns this ticket, so it is escalated to you." : "It is still breached, so it is escalated to you.", now, ct);
                }
                await SaveAsync(db, tx, ct, ticket);
                (breaches, escalations) = (breaches + fresh.Count, escalations + escalate.Count);
            }
        }
        return (breaches, escalations);
    }

    private static string Describe(List<Sla.SlaState> breached, List<Sla.SlaState> escalated) =>
        string.Join(" ", new[]
        {
            breached.Count == 0 ? null : $"SLA breached: {string.Join(", ", breached.Select(b => b.Name))}.",
            escalated.Count == 0 ? null : $"SLA escalated: {string.Join(", ", escalated.Select(b => b.Name))}.",
        }.OfType<string>());

    public async Task<TicketListResult> ListAsync(TicketQuery query, Viewer viewer, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var access = await Access.LoadAsync(db, viewer, catalog, ct);
        return await TicketListQuery.RunAsync(db, catalog, access, query, ct);
    }

    /// <summary>Takes an accepted step in one journal entry, which it returns.</summary>
    private async Task<JournalEntry> ApplyAsync(
        PortalDbContext db, Ticket ticket, TransitionAccepted accepted, string authorId, string? comment, List<Ticket> changed, CancellationToken ct,
        Access? access = null)
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
            await new EffectRunner(db, catalog, clock, access).RunAsync(ticket, entry, effect, authorId, changed, ct);
        }
        return entry;
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

    /// <summary>Takes the step of the automation the trigger fires, if any; returns its journal entry, or null when none applied.</summary>
    private async Task<JournalEntry?> RunAutomationAsync(
        PortalDbContext db, Ticket ticket, AutomationTrigger trigger, string? name, string authorId, string? note,
        List<Ticket> changed, CancellationToken ct, Ticket? source = null)
    {
        var workflow = catalog.For(ticket.Project!);
        var automation = WorkflowEngine.Triggered(workflow, Snapshot(ticket), trigger, clock.GetUtcNow(), name);
        if (automation is null)
        {
            return null;
        }
        var decision = WorkflowEngine.Decide(workflow, Snapshot(ticket), Actor.System, new TransitionInput(automation.Transition, null, new Dictionary<string, string>()));
        if (decision is not TransitionAccepted accepted)
        {
            return null;
        }
        var text = note ?? Fill(automation.Note, source ?? ticket);
        return await ApplyAsync(db, ticket, accepted, authorId, text, changed, ct);
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

    private static void EnsureStaffForInternal(Access access, Ticket ticket, bool isInternal, string what)
    {
        if (isInternal && !access.IsStaffIn(ticket.Project!))
        {
            throw new DomainException(DomainErrorKind.Forbidden, $"internal: only staff may add internal {what}.");
        }
    }

    /// <summary>The viewer as the engine sees them in a project, with the open tickets they own for the WIP limit.</summary>
    private async Task<Actor> ActorAsync(PortalDbContext db, Access access, Project project, CancellationToken ct)
    {
        var open = catalog.For(project).Statuses.Where(s => s.Category != StatusCategory.Done).Select(s => s.Name).ToList();
        var owned = await db.Tickets.CountAsync(t => t.ProjectId == project.Id && t.AssigneeId == access.Viewer.UserId && open.Contains(t.Status), ct);
        return access.ActorIn(project) with { OpenAssignments = owned };
    }

    private async Task<(Ticket, Access)> LoadStaffAsync(PortalDbContext db, int number, Viewer viewer, string what, CancellationToken ct)
    {
        var (ticket, access) = await LoadVisibleAsync(db, number, viewer, ct);
        return access.IsStaffIn(ticket.Project!)
            ? (ticket, access)
            : throw new DomainException(DomainErrorKind.Forbidden, $"Only staff of {ticket.Project!.Key} may {what}.");
    }

    internal async Task<(Ticket Ticket, Access Access)> LoadVisibleAsync(PortalDbContext db, int number, Viewer viewer, CancellationToken ct)
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
        await FindAsync(db, number, ct) ?? throw DomainException.NotFound($"Ticket #{number}");

    /// <summary>The ticket with its project, or null when there is no such ticket.</summary>
    internal static Task<Ticket?> FindAsync(PortalDbContext db, int number, CancellationToken ct) =>
        db.Tickets.Include(t => t.Project).SingleOrDefaultAsync(t => t.Number == number, ct);

    internal static async Task<Project> FindProjectAsync(PortalDbContext db, string key, CancellationToken ct) =>
        await db.Projects.SingleOrDefaultAsync(p => p.Key == key.ToUpperInvariant(), ct)
            ?? throw DomainException.Invalid($"project: unknown project '{key}'.");

    private static async Task<PortalUser> FindUserAsync(PortalDbContext db, string email, CancellationToken ct) =>
        await Users.ByEmailAsync(db, email, ct)
            ?? throw DomainException.Invalid($"reporterEmail: no user with e-mail '{email}'.");

    private static Priority ParsePriority(string? priority) =>
        string.IsNullOrWhiteSpace(priority)
            ? Priority.Normal
            : Enum.TryParse<Priority>(priority, ignoreCase: true, out var p) && Enum.IsDefined(p)
                ? p
                : throw DomainException.Invalid($"priority: '{priority}' is not one of {string.Join(", ", Enum.GetNames<Priority>())}.");

    internal static async Task<int> NextNumberAsync(PortalDbContext db, CancellationToken ct) =>
        (await db.Tickets.MaxAsync(t => (int?)t.Number, ct) ?? 0) + 1;

    private Task SaveAsync(PortalDbContext db, Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction tx, CancellationToken ct, params Ticket[] tickets) =>
        SaveAsync(db, tx, tellCustomers: true, ct, tickets);

    /// <summary>Saves and commits, with the customer mails the changes send unless the caller sends its own (a release).</summary>
    private async Task SaveAsync(
        PortalDbContext db, Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction tx, bool tellCustomers, CancellationToken ct, params Ticket[] tickets)
    {
        var changes = await StageAsync(db, tellCustomers, ct, tickets);
        await tx.CommitAsync(ct);
        Publish(changes);
    }

    /// <summary>
    /// Saves the changes and the customer mails they send into the caller's transaction, without committing; the caller
    /// publishes what this returns once its transaction has committed.
    /// </summary>
    internal async Task<IReadOnlyList<TicketChanged>> StageAsync(PortalDbContext db, bool tellCustomers, CancellationToken ct, params Ticket[] tickets)
    {
        if (tellCustomers)
        {
            await mail.QueueAsync(db, tickets, clock.GetUtcNow(), ct);
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new DomainException(DomainErrorKind.Conflict,
                $"Ticket {string.Join(", ", tickets.Select(t => t.Reference))} was changed by someone else meanwhile. Reload it and try again.");
        }
        var changes = new List<TicketChanged>(tickets.Length);
        foreach (var ticket in tickets)
        {
            var project = ticket.Project ?? await db.Projects.SingleAsync(p => p.Id == ticket.ProjectId, ct);
            changes.Add(new TicketChanged(ticket.Number, project.Key, project.Id, ticket.ReporterId, ticket.Status, ticket.Version));
        }
        return changes;
    }

    /// <summary>Tells live pages about committed changes.</summary>
    internal void Publish(IEnumerable<TicketChanged> changes)
    {
        foreach (var change in changes)
        {
            events.Publish(change);
        }
    }

    private async Task<TicketView> ViewAsync(PortalDbContext db, int number, Access access, CancellationToken ct) =>
        await TicketViewQuery.RunAsync(db, catalog, access, number, clock.GetUtcNow(), ct);
}
