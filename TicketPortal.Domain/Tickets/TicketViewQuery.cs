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
        var userIds = journal.Select(j => j.AuthorId)
            .Concat(ticket.Checklist.SelectMany(c => new[] { c.AssigneeId, c.DoneById }).OfType<string>())
            .Distinct().ToList();
        var emails = await db.Users.Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Email ?? u.Id, ct);
        string Email(string? id) => id is null ? "" : emails.GetValueOrDefault(id, id);
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
            Person(ticket.Reporter!),
            ticket.Assignee is null ? null : Person(ticket.Assignee),
            group,
            staff ? ticket.Labels : [],
            ticket.FieldValues.Where(f => Shown(f.Key)).ToDictionary(StringComparer.OrdinalIgnoreCase),
            !staff ? [] : ticket.Checklist.Select(c => new ChecklistItemView(c.Id, c.Text, c.Done, c.AssigneeId is null ? null : Email(c.AssigneeId),
                c.DoneById is null ? null : Email(c.DoneById))).ToList(),
            !staff ? [] : ticket.Links.Select(l => new LinkView(l.Type.ToApiName(), l.Number)).ToList(),
            ticket.Attachments.Where(a => staff || !a.IsInternal).Select(a => new AttachmentView(a.Id, a.FileName, a.ContentType, a.Size, a.IsInternal)).ToList(),
            journal.Select(j => new JournalEntryView(j.At, Email(j.AuthorId), j.Note, j.IsInternal,
                j.Changes.Where(c => Shown(c.Field)).Select(c => new ChangeView(c.Field, c.Old, c.New)).ToList())).ToList(),
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

    public static PersonView Person(PortalUser user) => new(user.Email ?? "", user.Name);
}
