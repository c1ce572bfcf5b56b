using Microsoft.EntityFrameworkCore;
using TicketPortal.Domain.People;
using TicketPortal.Domain.Persistence;
using TicketPortal.Domain.Workflows;

namespace TicketPortal.Domain.Tickets;

public sealed record ProjectView(string Key, string Name, string Preset, IReadOnlyList<string> Trackers);

public sealed record MemberView(string Email, string Name, IReadOnlyList<string> Roles);

/// <summary>Projects and members as a viewer may see them: admins see all, others the projects they belong to.</summary>
public sealed class ProjectService(IDbContextFactory<PortalDbContext> dbFactory, WorkflowCatalog catalog)
{
    public async Task<IReadOnlyList<ProjectView>> ListAsync(Viewer viewer, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var projects = db.Projects.AsNoTracking();
        if (!viewer.IsAdmin)
        {
            var mine = db.Memberships.Where(m => m.UserId == viewer.UserId).Select(m => m.ProjectId);
            projects = projects.Where(p => mine.Contains(p.Id));
        }
        return await projects.OrderBy(p => p.Key).Select(p => new ProjectView(p.Key, p.Name, p.Preset, p.Trackers)).ToListAsync(ct);
    }

    public async Task<IReadOnlyList<MemberView>> MembersAsync(string key, Viewer viewer, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var project = await VisibleProjectAsync(db, key, viewer, ct);
        if (!(await Access.LoadAsync(db, viewer, catalog, ct)).IsStaffIn(project))
        {
            throw new DomainException(DomainErrorKind.Forbidden, $"Only staff of {project.Key} may list its members.");
        }
        var rows = await db.Memberships.Where(m => m.ProjectId == project.Id)
            .Select(m => new { m.User!.Email, m.User.DisplayName, m.Role }).ToListAsync(ct);
        return rows.GroupBy(r => r.Email ?? "").OrderBy(g => g.Key)
            .Select(g => new MemberView(g.Key, g.First().DisplayName, g.Select(r => r.Role).Order().ToList())).ToList();
    }

    /// <summary>What the new-ticket form offers: trackers, and whether the viewer may create there.</summary>
    public async Task<(ProjectView Project, WorkflowDefinition Workflow, bool CanCreate, bool IsStaff)> DetailsAsync(
        string key, Viewer viewer, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var project = await VisibleProjectAsync(db, key, viewer, ct);
        var access = await Access.LoadAsync(db, viewer, catalog, ct);
        var workflow = catalog.For(project);
        return (new ProjectView(project.Key, project.Name, project.Preset, project.Trackers), workflow,
            WorkflowEngine.CanCreate(workflow, access.ActorIn(project)), access.IsStaffIn(project));
    }

    private static async Task<Project> VisibleProjectAsync(PortalDbContext db, string key, Viewer viewer, CancellationToken ct)
    {
        var project = await db.Projects.AsNoTracking().SingleOrDefaultAsync(p => p.Key == key.ToUpperInvariant(), ct);
        var member = project is not null && await db.Memberships.AnyAsync(m => m.ProjectId == project.Id && m.UserId == viewer.UserId, ct);
        return project is not null && (viewer.IsAdmin || member) ? project : throw DomainException.NotFound($"Project {key}");
    }
}
