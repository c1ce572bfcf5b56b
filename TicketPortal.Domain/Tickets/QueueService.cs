using Microsoft.EntityFrameworkCore;
using TicketPortal.Domain.People;
using TicketPortal.Domain.Persistence;
using TicketPortal.Domain.Workflows;

namespace TicketPortal.Domain.Tickets;

/// <summary>Group queues for wall screens: what nobody has taken yet, and what is about to breach.</summary>
public sealed class QueueService(IDbContextFactory<PortalDbContext> dbFactory, WorkflowCatalog catalog, TimeProvider clock)
{
    /// <summary>A queue lists at most this many tickets per half; a wall screen cannot show more.</summary>
    public const int Limit = 50;

    /// <summary>The groups whose queue the viewer may watch: their own, or every group for an admin.</summary>
    public async Task<IReadOnlyList<GroupView>> GroupsAsync(Viewer viewer, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var groups = await db.Groups.AsNoTracking().OrderBy(g => g.Name).ToListAsync(ct);
        return groups.Where(g => viewer.IsAdmin || g.MemberIds.Contains(viewer.UserId))
            .Select(g => new GroupView(g.Id, g.Name, g.MemberIds.Count)).ToList();
    }

    /// <summary>
    /// The group's open tickets in the projects the viewer works in: those routed to the group with no assignee
    /// (oldest first), and those of the group or its members whose most urgent clock breaches soon (most urgent first).
    /// </summary>
    public async Task<QueueView> QueueAsync(int groupId, Viewer viewer, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var group = await db.Groups.AsNoTracking().FirstOrDefaultAsync(g => g.Id == groupId, ct) ?? throw DomainException.NotFound($"Group {groupId}");
        if (!viewer.IsAdmin && !group.MemberIds.Contains(viewer.UserId))
        {
            throw new DomainException(DomainErrorKind.Forbidden, $"Only members of {group.Name} watch its queue.");
        }
        var access = await Access.LoadAsync(db, viewer, catalog, ct);
        var projects = (await db.Projects.AsNoTracking().ToListAsync(ct)).Where(access.IsStaffIn).ToDictionary(p => p.Id);
        var projectIds = projects.Keys.ToList();
        var open = projects.Values.SelectMany(p => catalog.For(p).Statuses.Where(s => s.Category != StatusCategory.Done).Select(s => s.Name)).Distinct().ToList();
        var members = group.MemberIds;
        var rows = await db.Tickets.AsNoTracking().Include(t => t.Assignee).Include(t => t.Journal)
            .Where(t => projectIds.Contains(t.ProjectId) && open.Contains(t.Status)
                && (t.GroupId == groupId || (t.AssigneeId != null && members.Contains(t.AssigneeId))))
            .OrderBy(t => t.CreatedAt)
            .ToListAsync(ct);
        var now = clock.GetUtcNow();
        var tickets = rows
            .Select(t => (Ticket: t, Workflow: catalog.For(projects[t.ProjectId])))
            .Where(t => t.Workflow.FindStatus(t.Ticket.Status)?.Category != StatusCategory.Done)
            .Select(t => (t.Ticket, Card: BoardCard.From(t.Ticket, t.Workflow, now, staff: true, viewer.UserId)))
            .ToList();
        var unassigned = tickets.Where(t => t.Ticket.AssigneeId is null && t.Ticket.GroupId == groupId).Select(t => t.Card).Take(Limit).ToList();
        var breaching = tickets.Select(t => t.Card).Where(c => c.Sla is { BreachingSoon: true }).OrderBy(c => c.Sla!.Remaining).Take(Limit).ToList();
        return new QueueView(group.Id, group.Name, unassigned, breaching);
    }
}
