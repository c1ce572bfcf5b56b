using Microsoft.EntityFrameworkCore;
using TicketPortal.Domain.People;
using TicketPortal.Domain.Persistence;
using TicketPortal.Domain.Workflows;

namespace TicketPortal.Domain.Tickets;

/// <summary>Reads one ticket as a viewer may see it: customers get public journal entries only.</summary>
internal static class TicketViewQuery
{
    public static async Task<TicketView> RunAsync(PortalDbContext db, WorkflowCatalog catalog, Access access, int number, DateTimeOffset now, CancellationToken ct)
    {
        var ticket = await db.Tickets.AsNoTracking()
            .Include(t => t.Project).Include(t => t.Reporter).Include(t => t.Assignee).Include(t => t.Journal)
            .SingleOrDefaultAsync(t => t.Number == number, ct);
        if (ticket is null || !access.CanSee(ticket, ticket.Project!))
        {
            throw DomainException.NotFound($"Ticket #{number}");
        }
        var staff = access.IsStaffIn(ticket.Project!);
        var workflow = catalog.For(ticket.Project!);
        var shown = staff ? null : CustomerFields(workflow);
        bool Shown(string field) => shown?.Contains(field) ?? true;
        var journal = ticket.Journal.Where(j => staff || (!j.IsInternal && (j.Note is not null || j.Changes.Any(c => Shown(c.Field)))))
            .OrderBy(j => j.At).ThenBy(j => j.Id).ToList();
        var me = access.Viewer.UserId;
        var userIds = journal.Select(j => j.AuthorId)
            .Concat(ticket.Checklist.SelectMany(c => new[] { c.AssigneeId, c.DoneById }).OfType<string>())
            .Distinct().ToList();
        var users = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, ct);
        string Who(string? id) => id is null ? "" : users.TryGetValue(id, out var user) ? PersonView.Seen(user, staff, me).Label(staff) : id;
        var people = await PeopleNamedAsync(db, staff, workflow, journal, ticket.FieldValues, ct);
        // Fields that name a person hold an e-mail address: a customer reads the person's name instead.
        string? Value(string field, string? value) =>
            staff || value is null || !IsPersonField(workflow, field) ? value
                : people.TryGetValue(value, out var user) ? PersonView.Seen(user, staff, me).Name : PortalUser.Unnamed;
        var group = ticket.GroupId is null ? null : await db.Groups.Where(g => g.Id == ticket.GroupId).Select(g => g.Name).SingleAsync(ct);

        return new TicketView(
            ticket.Number,
            ticket.Project!.Key,
            ticket.Tracker,
            ticket.Title,
            ticket.Description,
            ticket.Status,
            (workflow.FindStatus(ticket.Status)?.Category ?? StatusCategory.Open).ToApiName(),
            ticket.Priority.ToString(),
            PersonView.Seen(ticket.Reporter!, staff, me),
            ticket.Assignee is null ? null : PersonView.Seen(ticket.Assignee, staff, me),
            group,
            staff ? ticket.Labels : [],
            ticket.FieldValues.Where(f => Shown(f.Key)).ToDictionary(f => f.Key, f => Value(f.Key, f.Value)!, StringComparer.OrdinalIgnoreCase),
            !staff ? [] : ticket.Checklist.Select(c => new ChecklistItemView(c.Id, c.Text, c.Done, c.AssigneeId is null ? null : Who(c.AssigneeId),
                c.DoneById is null ? null : Who(c.DoneById))).ToList(),
            !staff ? [] : ticket.Links.Select(l => new LinkView(l.Type.ToApiName(), l.Number)).ToList(),
            ticket.Attachments.Where(a => staff || !a.IsInternal).Select(a => new AttachmentView(a.Id, a.FileName, a.ContentType, a.Size, a.IsInternal)).ToList(),
            journal.Select(j => new JournalEntryView(j.At, Who(j.AuthorId), j.Note, j.IsInternal,
                j.Changes.Where(c => Shown(c.Field)).Select(c => new ChangeView(c.Field, Value(c.Field, c.Old), Value(c.Field, c.New))).ToList())).ToList(),
            !staff ? [] : TicketSla.For(ticket, ticket.Journal, workflow, now)
                .Select(c => new SlaView(c.Name, c.DueAt, c.Remaining, c.Paused, c.Breached, c.Met)).ToList(),
            ticket.CreatedAt,
            ticket.UpdatedAt,
            ticket.Version,
            WorkflowEngine.CanReassign(workflow, TicketService.Snapshot(ticket), access.ActorIn(ticket.Project!)));
    }

    /// <summary>What a customer sees change: the ticket's life, its public files and the fields the workflow marks public.</summary>
    private static HashSet<string> CustomerFields(WorkflowDefinition workflow) =>
        new(["created", "status", "assignee", "attachment", "priority", TicketService.ReleaseField, .. workflow.Fields.Where(f => f.Public).Select(f => f.Name)],
            StringComparer.OrdinalIgnoreCase);

    /// <summary>The assignee, and the workflow's fields that hold a person by e-mail address.</summary>
    private static bool IsPersonField(WorkflowDefinition workflow, string field) =>
        string.Equals(field, "assignee", StringComparison.OrdinalIgnoreCase)
        || workflow.Fields.Any(f => f.Type == FieldType.User && string.Equals(f.Name, field, StringComparison.OrdinalIgnoreCase));

    /// <summary>For a customer, the people the journal and the fields name by address, by that address; staff need none.</summary>
    private static async Task<Dictionary<string, PortalUser>> PeopleNamedAsync(
        PortalDbContext db, bool staff, WorkflowDefinition workflow, IEnumerable<JournalEntry> journal, IReadOnlyDictionary<string, string> fields, CancellationToken ct)
    {
        var people = new Dictionary<string, PortalUser>(StringComparer.OrdinalIgnoreCase);
        if (staff)
        {
            return people;
        }
        var addresses = journal.SelectMany(j => j.Changes).Where(c => IsPersonField(workflow, c.Field)).SelectMany(c => new[] { c.Old, c.New })
            .Concat(fields.Where(f => IsPersonField(workflow, f.Key)).Select(f => f.Value))
            .OfType<string>().Select(a => a.ToUpperInvariant()).Distinct().ToList();
        foreach (var user in await db.Users.AsNoTracking().Where(u => addresses.Contains(u.NormalizedEmail!)).ToListAsync(ct))
        {
            people.TryAdd(user.Email!, user);
        }
        return people;
    }
}
