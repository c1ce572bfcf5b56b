using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using TicketPortal.Domain.People;
using TicketPortal.Domain.Persistence;
using TicketPortal.Domain.Workflows;

namespace TicketPortal.Domain.Tickets;

/// <summary>The filtered, paged ticket list; visibility and hidden statuses are applied in SQL.</summary>
public static class TicketListQuery
{
    public static readonly IReadOnlyList<string> Views = ["all", "mine", "reported", "hidden"];
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
        var view = query.View ?? "all";
        var tickets = db.Tickets.AsNoTracking().Where(VisibleIn(projects, catalog, access, view, query.IncludeHidden));

        if (!string.IsNullOrWhiteSpace(query.Status))
        {
            tickets = tickets.Where(t => t.Status == query.Status);
        }
        tickets = view switch
        {
            "mine" => tickets.Where(t => t.AssigneeId == me),
            "reported" => tickets.Where(t => t.ReporterId == me),
            _ => tickets,
        };
        if (!string.IsNullOrWhiteSpace(query.Assignee))
        {
            tickets = query.Assignee switch
            {
                "none" => tickets.Where(t => t.AssigneeId == null),
                "me" => tickets.Where(t => t.AssigneeId == me),
                _ => tickets.Where(t => t.Assignee!.NormalizedEmail == query.Assignee.ToUpperInvariant()),
            };
        }
        if (!string.IsNullOrWhiteSpace(query.Q))
        {
            var q = query.Q.Trim().TrimStart('#');
            tickets = int.TryParse(q, out var number)
                ? tickets.Where(t => t.Number == number || t.Title.Contains(q))
                : tickets.Where(t => t.Title.Contains(q));
        }

        var total = await tickets.CountAsync(ct);
        var rows = await Sort(tickets, query.Sort)
            .Skip((query.Page - 1) * query.PageSize).Take(query.PageSize)
            .Select(t => new { t.Number, t.ProjectId, t.Title, t.Status, Assignee = t.Assignee!.Email, t.UpdatedAt })
            .ToListAsync(ct);
        var byId = projects.ToDictionary(p => p.Id);
        var items = rows.Select(r => new TicketSummary(r.Number, byId[r.ProjectId].Key, r.Title, r.Status,
            (catalog.For(byId[r.ProjectId]).FindStatus(r.Status)?.Category ?? StatusCategory.Open).ToApiName(), r.Assignee, r.UpdatedAt)).ToList();
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

    /// <summary>Per project: which tickets the viewer may see (all for staff, own for others) in which statuses.</summary>
    private static Expression<Func<Ticket, bool>> VisibleIn(
        IReadOnlyList<Project> projects, WorkflowCatalog catalog, Access access, string view, bool includeHidden)
    {
        var t = Expression.Parameter(typeof(Ticket), "t");
        Expression body = Expression.Constant(false);
        foreach (var project in projects)
        {
            var hidden = catalog.For(project).Statuses.Where(s => s.Hidden).Select(s => s.Name).ToList();
            Expression<Func<Ticket, bool>> part = (access.IsStaffIn(project), view, includeHidden) switch
            {
                (_, "hidden", _) when hidden.Count == 0 => x => false,
                (true, "hidden", _) => x => x.ProjectId == project.Id && hidden.Contains(x.Status),
                (false, "hidden", _) => x => x.ProjectId == project.Id && x.ReporterId == access.Viewer.UserId && hidden.Contains(x.Status),
                (true, _, true) => x => x.ProjectId == project.Id,
                (false, _, true) => x => x.ProjectId == project.Id && x.ReporterId == access.Viewer.UserId,
                (true, _, false) => x => x.ProjectId == project.Id && !hidden.Contains(x.Status),
                (false, _, false) => x => x.ProjectId == project.Id && x.ReporterId == access.Viewer.UserId && !hidden.Contains(x.Status),
            };
            body = Expression.OrElse(body, Expression.Invoke(part, t));
        }
        return Expression.Lambda<Func<Ticket, bool>>(body, t);
    }
}
