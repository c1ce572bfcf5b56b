using Microsoft.EntityFrameworkCore;
using TicketPortal.Domain.Persistence;
using TicketPortal.Domain.Tickets;
using TicketPortal.Tests.Support;

namespace TicketPortal.Tests.Domain;

public sealed class CompiledQueryTests
{
    [Fact]
    public async Task AQuery_IsCompiledOncePerModelAndKey_AndRunsOnEveryModel()
    {
        using var folder = new TempFolder();
        var file = $"Data Source={Path.Combine(folder.Path, "compiled.db")};Pooling=False";
        var shared = new DbContextOptionsBuilder<PortalDbContext>().UseSqlite(file, PortalDbContext.Sqlite).Options;
        // A second host in the same process, configured a little differently: its own EF Core services, so its own model.
        var own = new DbContextOptionsBuilder<PortalDbContext>().UseSqlite(file, PortalDbContext.Sqlite).EnableDetailedErrors().Options;
        await using (var db = new PortalDbContext(shared))
        {
            await db.Database.MigrateAsync();
            db.Projects.AddRange(new Project("SUP", "Support", "support-gatekeeper", ["Incident"]), new Project("OPS", "Operations", "timer-review", ["Task"]));
            await db.SaveChangesAsync();
        }
        var compiled = new List<string>();
        var projectsNamed = new CompiledQuery<string, Func<PortalDbContext, CancellationToken, Task<int>>>(key =>
        {
            compiled.Add(key);
            return EF.CompileAsyncQuery((PortalDbContext db, CancellationToken ct) => db.Projects.Count(p => p.Key == key));
        });

        var counts = new List<int>();
        var models = new HashSet<object>(ReferenceEqualityComparer.Instance);
        foreach (var (options, key) in new[] { (shared, "SUP"), (own, "SUP"), (shared, "SUP"), (shared, "NOPE"), (own, "SUP") })
        {
            await using var db = new PortalDbContext(options);
            models.Add(db.Model);
            counts.Add(await projectsNamed.For(db, key)(db, CancellationToken.None));
        }

        Assert.Equal(2, models.Count);
        Assert.Equal([1, 1, 1, 0, 1], counts);
        Assert.Equal(["SUP", "SUP", "NOPE"], compiled);
    }
}
