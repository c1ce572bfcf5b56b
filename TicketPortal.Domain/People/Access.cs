using Microsoft.EntityFrameworkCore;
using TicketPortal.Domain.Persistence;
using TicketPortal.Domain.Tickets;
using TicketPortal.Domain.Workflows;

namespace TicketPortal.Domain.People;

/// <summary>Who is asking: a signed-in user or a token holder.</summary>
public sealed record Viewer(string UserId, bool IsAdmin);

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

    public IReadOnlySet<string> RolesIn(Project project) =>
        rolesByProject.GetValueOrDefault(project.Id) ?? new HashSet<string>();

    public Actor ActorIn(Project project) => new(Viewer.UserId, RolesIn(project), Viewer.IsAdmin);

    /// <summary>Staff see every ticket of the project and internal notes; customers and outsiders do not.</summary>
    public bool IsStaffIn(Project project)
    {
        if (Viewer.IsAdmin)
        {
            return true;
        }
        var customerRoles = catalog.For(project).CustomerRoles;
        return RolesIn(project).Any(r => !customerRoles.Contains(r, StringComparer.OrdinalIgnoreCase));
    }

    public bool CanSee(Ticket ticket, Project project) => IsStaffIn(project) || ticket.ReporterId == Viewer.UserId;

    public IReadOnlyList<int> StaffProjectIds(IEnumerable<Project> projects) =>
        projects.Where(IsStaffIn).Select(p => p.Id).ToList();
}
