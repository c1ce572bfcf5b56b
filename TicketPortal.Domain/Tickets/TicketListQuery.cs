using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using TicketPortal.Domain.People;
using TicketPortal.Domain.Persistence;
using TicketPortal.Domain.Workflows;

namespace TicketPortal.Domain.Tickets;

/// <summary>The filtered, paged ticket list; visibility and hidden statuses are applied in SQL.</summary>
public static class TicketListQuery
{
    public const string ViewAll = "all";
    public const string ViewNew = "new";
    public const string ViewMine = "mine";
    public const string ViewMyClosed = "my-closed";
    public const string ViewReported = "reported";
    public const string ViewUnassignedInMyGroup = "unassigned-in-my-group";
    public const string ViewHidden = "hidden";

    /// <summary>The saved views: New issues, My tickets, My closed tickets, Reported by me, Unassigned in my group, Recycle bin.</summary>
    public static readonly IReadOnlyList<string> Views = [ViewAll, ViewNew, ViewMine, ViewMyClosed, ViewReported, ViewUnassignedInMyGroup, ViewHidden];
    public static readonly IReadOnlyList<string> Sorts = ["updatedAt", "-updatedAt", "number", "-number", "title", "-title", "status", "-status"];

    public static async Task<TicketListResult> RunAsync(PortalDbContext db, WorkflowCatalog catalog, Access access, TicketQuery query, CancellationToken ct)
    {
        Validate(query);
        var projects = await db.Projects.AsNoTracking().ToListAsync(ct);
        if (query.Project is not null)
        {
            projects = projects.Where(p => string.Equals(p.Key, query.Project, StringComparison.OrdinalIgnoreCase)).ToList();
            if (projects.Count == 0)
            {
                throw DomainException.Invalid($"project: unknown project '{query.Project}'.");
            }
        }
        var me = access.Viewer.UserId;
        // Labels and staff addresses are staff's: a customer can neither read them nor filter by them.
        var staffIn = access.StaffProjectIds(projects);
        var view = query.View ?? ViewAll;
        var tickets = db.Tickets.AsNoTracking().Where(VisibleIn(projects, catalog, access, view, query.IncludeHidden));

        if (!string.IsNullOrWhiteSpace(query.Status))
        {
            var status = projects.Select(p => catalog.For(p).FindStatus(query.Status)?.Name).FirstOrDefault(n => n is not null)
                ?? throw DomainException.Invalid($"status: no project here has a status '{query.Status}'.");
            tickets = tickets.Where(t => t.Status == status);
        }
        switch (view)
        {
            case ViewMine:
                tickets = tickets.Where(t => t.AssigneeId == me);
                break;
            case ViewMyClosed:
                tickets = tickets.Where(t => t.AssigneeId == me || t.ReporterId == me);
                break;
            case ViewReported:
                tickets = tickets.Where(t => t.ReporterId == me);
                break;
            case ViewUnassignedInMyGroup:
                var groups = await db.Groups.AsNoTracking().ToListAsync(ct);
                var mine = groups.Where(g => g.MemberIds.Contains(me)).Select(g => (int?)g.Id).ToList();
                tickets = tickets.Where(t => t.AssigneeId == null && mine.Contains(t.GroupId));
                break;
        }
        if (!string.IsNullOrWhiteSpace(query.Assignee))
        {
            tickets = query.Assignee switch
            {
                "none" => tickets.Where(t => t.AssigneeId == null),
                "me" => tickets.Where(t => t.AssigneeId == me),
                _ => tickets.Where(t => staffIn.Contains(t.ProjectId) && t.Assignee!.NormalizedEmail == query.Assignee.ToUpperInvariant()),
            };
        }
        if (!string.IsNullOrWhiteSpace(query.Label))
        {
            tickets = tickets.Where(t => staffIn.Contains(t.ProjectId) && t.Labels.Contains(query.Label));
        }
        if (!string.IsNullOrWhiteSpace(query.Q))
        {
            var q = query.Q.Trim().TrimStart('#').ToLowerInvariant();
            tickets = int.TryParse(q, out var number)
                ? tickets.Where(t => t.Number == number || t.Title.ToLower().Contains(q))
                : tickets.Where(t => t.Title.ToLower().Contains(q));
        }

        var total = await tickets.CountAsync(ct);
        var rows = await Sort(tickets, query.Sort)
            .Skip((query.Page - 1) * query.PageSize).Take(query.PageSize)
            // Only what the name rule reads of the assignee, not the whole account.
            .Select(t => new
            {
                t.Number, t.ProjectId, t.Title, t.Status, t.UpdatedAt, t.Labels,
                Assignee = t.Assignee == null ? null : new PortalUser { Id = t.Assignee.Id, Email = t.Assignee.Email, DisplayName = t.Assignee.DisplayName },
            })
            .ToListAsync(ct);
        var byId = projects.ToDictionary(p => p.Id);
        var items = rows.Select(r =>
        {
            var staff = staffIn.Contains(r.ProjectId);
            return new TicketSummary(r.Number, byId[r.ProjectId].Key, r.Title, r.Status,
                (catalog.For(byId[r.ProjectId]).FindStatus(r.Status)?.Category ?? StatusCategory.Open).ToApiName(),
                r.Assignee is null ? null : PersonView.Seen(r.Assignee, staff, me).Label(staff), r.UpdatedAt, staff ? r.Labels : []);
        }).ToList();
        return new TicketListResult(items, total, query.Page, query.PageSize);
    }

    private static void Validate(TicketQuery query)
    {
        if (query.Page < 1)
        {
            throw DomainException.Invalid("page: must be 1 or more.");
        }
        if (query.PageSize is < 1 or > TicketQuery.MaxPageSize)
        {
            throw DomainException.Invalid($"pageSize: must be between 1 and {TicketQuery.MaxPageSize}.");
        }
        if (query.View is not null && !Views.Contains(query.View))
        {
            throw DomainException.Invalid($"view: '{query.View}' is not one of {string.Join(", ", Views)}.");
        }
        if (query.Sort is not null && !Sorts.Contains(query.Sort))
        {
            throw DomainException.Invalid($"sort: '{query.Sort}' is not one of {string.Join(", ", Sorts)}.");
        }
    }

    private static IQueryable<Ticket> Sort(IQueryable<Ticket> tickets, string? sort) => sort switch
    {
        "updatedAt" => tickets.OrderBy(t => t.UpdatedAt).ThenBy(t => t.Number),
        "number" => tickets.OrderBy(t => t.Number),
        "-number" => tickets.OrderByDescending(t => t.Number),
        "title" => tickets.OrderBy(t => t.Title).ThenBy(t => t.Number),
        "-title" => tickets.OrderByDescending(t => t.Title).ThenBy(t => t.Number),
        "status" => tickets.OrderBy(t => t.Status).ThenBy(t => t.Number),
        "-status" => tickets.OrderByDescending(t => t.Status).ThenBy(t => t.Number),
        _ => tickets.OrderByDescending(t => t.UpdatedAt).ThenByDescending(t => t.Number),
    };

    /// <summary>Per project: the statuses the view shows, and all tickets for staff or only their own for others.</summary>
    private static Expression<Func<Ticket, bool>> VisibleIn(
        IReadOnlyList<Project> projects, WorkflowCatalog catalog, Access access, string view, bool includeHidden)
    {
        var t = Expression.Parameter(typeof(Ticket), "t");
        Expression body = Expression.Constant(false);
        foreach (var project in projects)
        {
            var statuses = StatusesOf(catalog.For(project), view, includeHidden);
            var projectId = project.Id;
            Expression<Func<Ticket, bool>> inStatus = x => statuses.Contains(x.Status);
            Expression<Func<Ticket, bool>> part = access.IsStaffIn(project) ? x => x.ProjectId == projectId : access.OwnTickets(projectId);
            body = Expression.OrElse(body, Expression.AndAlso(Expression.Invoke(part, t), Expression.Invoke(inStatus, t)));
        }
        return Expression.Lambda<Func<Ticket, bool>>(body, t);
    }

    private static List<string> StatusesOf(WorkflowDefinition workflow, string view, bool includeHidden)
    {
        var statuses = view switch
        {
            ViewHidden => workflow.Statuses.Where(s => s.Hidden),
            ViewMyClosed => workflow.StatusesIn(StatusCategory.Done),
            ViewNew => workflow.StatusesIn(StatusCategory.New).Where(s => includeHidden || !s.Hidden),
            ViewMine or ViewUnassignedInMyGroup => workflow.Statuses.Where(s => s.Category != StatusCategory.Done && (includeHidden || !s.Hidden)),
            _ => workflow.Statuses.Where(s => includeHidden || !s.Hidden),
        };
        return statuses.Select(s => s.Name).ToList();
    }
}
