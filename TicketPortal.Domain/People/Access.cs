using Microsoft.EntityFrameworkCore;
using TicketPortal.Domain.Persistence;
using TicketPortal.Domain.Tickets;
using TicketPortal.Domain.Workflows;

namespace TicketPortal.Domain.People;

/// <summary>Who is asking: a signed-in user or a token holder.</summary>
/// <param name="Tickets">
/// For a customer who came by the link in a mail: the tickets those links opened, and nothing else. Null for everyone
/// who signed in, whose roles decide.
/// </param>
public sealed record Viewer(string UserId, bool IsAdmin, IReadOnlySet<int>? Tickets = null)
{
    /// <summary>A link session: never staff, never admin, only its own tickets.</summary>
    public bool IsLinkSession => Tickets is not null;

    public bool MaySee(int ticketNumber) => Tickets?.Contains(ticketNumber) ?? true;
}

/// <summary>A viewer's roles per project, and the visibility rules that follow from them.</summary>
public sealed class Access(Viewer viewer, IReadOnlyDictionary<int, IReadOnlySet<string>> rolesByProject, WorkflowCatalog catalog)
{
    public Viewer Viewer { get; } = viewer;

    public static async Task<Access> LoadAsync(PortalDbContext db, Viewer viewer, WorkflowCatalog catalog, CancellationToken ct)
    {
        var rows = await db.Memberships.Where(m => m.UserId == viewer.UserId)
            .Select(m => new { m.ProjectId, m.Role }).ToListAsync(ct);
        var roles = rows.GroupBy(r => r.ProjectId)
            .ToDictionary(g => g.Key, g => (IReadOnlySet<string>)g.Select(r => r.Role).ToHashSet(StringComparer.OrdinalIgnoreCase));
        return new Access(viewer, roles, catalog);
    }

    /// <summary>The viewer's roles in the project; a link session holds only the customer roles among them.</summary>
    public IReadOnlySet<string> RolesIn(Project project)
    {
        var roles = rolesByProject.GetValueOrDefault(project.Id) ?? new HashSet<string>();
        if (!Viewer.IsLinkSession)
        {
            return roles;
        }
        var customerRoles = catalog.For(project).CustomerRoles;
        return roles.Where(r => customerRoles.Contains(r, StringComparer.OrdinalIgnoreCase)).ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    public Actor ActorIn(Project project) => new(Viewer.UserId, RolesIn(project), Viewer.IsAdmin && !Viewer.IsLinkSession);

    /// <summary>Staff see every ticket of the project and internal notes; customers and outsiders do not.</summary>
    public bool IsStaffIn(Project project)
    {
        if (Viewer.IsLinkSession)
        {
            return false;
        }
        if (Viewer.IsAdmin)
        {
            return true;
        }
        var customerRoles = catalog.For(project).CustomerRoles;
        return RolesIn(project).Any(r => !customerRoles.Contains(r, StringComparer.OrdinalIgnoreCase));
    }

    /// <summary>
    /// The role half of <see cref="IsStaffIn"/> in SQL: a membership in a role that is not one of the project's customer
    /// roles. Counted rather than written as <c>!roles.Contains(m.Role)</c>, whose SQL EF Core builds again on every call.
    /// Without customer roles every membership is staff, said outright: a compiled query cannot hold an empty list.
    /// </summary>
    public static System.Linq.Expressions.Expression<Func<Membership, bool>> StaffRole(IReadOnlyList<string> customerRoles) =>
        customerRoles.Count == 0 ? m => true : m => customerRoles.Count(r => r == m.Role) == 0;

    /// <summary>Is the user staff in the project by <see cref="StaffRole"/>: compiled, as the mail intake asks it for every new ticket.</summary>
    internal static Task<bool> IsStaffAsync(PortalDbContext db, string userId, Project project, WorkflowCatalog catalog, CancellationToken ct) =>
        StaffQuery.For(db, catalog.For(project).CustomerRoles)(db, userId, project.Id, ct);

    private static readonly CompiledQuery<IReadOnlyList<string>, Func<PortalDbContext, string, int, CancellationToken, Task<bool>>> StaffQuery =
        new(customerRoles =>
        {
            var staffRole = StaffRole(customerRoles);
            return EF.CompileAsyncQuery((PortalDbContext db, string userId, int projectId, CancellationToken ct) =>
                db.Memberships.Where(staffRole).Any(m => m.UserId == userId && m.ProjectId == projectId));
        });

    public bool CanSee(Ticket ticket, Project project) => IsStaffIn(project) || (ticket.ReporterId == Viewer.UserId && Viewer.MaySee(ticket.Number));

    /// <summary>The same rule as <see cref="CanSee"/> in SQL, for the tickets of a project the viewer is not staff in.</summary>
    public System.Linq.Expressions.Expression<Func<Ticket, bool>> OwnTickets(int projectId)
    {
        var me = Viewer.UserId;
        if (Viewer.Tickets is { } scope)
        {
            var numbers = scope.ToList();
            return t => t.ProjectId == projectId && t.ReporterId == me && numbers.Contains(t.Number);
        }
        return t => t.ProjectId == projectId && t.ReporterId == me;
    }

    public IReadOnlyList<int> StaffProjectIds(IEnumerable<Project> projects) =>
        projects.Where(IsStaffIn).Select(p => p.Id).ToList();
}
