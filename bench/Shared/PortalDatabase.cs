using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using TicketPortal.Domain;
using TicketPortal.Domain.Persistence;

namespace TicketPortal.BenchShared;

/// <summary>The portal's SQLite file in a data directory, named, opened and migrated as TicketPortal/Setup/PortalSetupExtensions.cs does it.</summary>
internal static class PortalDatabase
{
    public static string File(string dataDirectory) => Path.Combine(dataDirectory, "portal.db");

    public static string ConnectionString(string dataDirectory) => $"Data Source={File(dataDirectory)};Default Timeout=30;Pooling=True";

    /// <summary>The options of an unpooled connection for setting up and seeding, so its pragmas never reach the connections being measured.</summary>
    public static DbContextOptions<PortalDbContext> Unpooled(string dataDirectory) =>
        new DbContextOptionsBuilder<PortalDbContext>().UseSqlite($"Data Source={File(dataDirectory)};Pooling=False").Options;

    /// <summary>Applies the domain's migrations and switches to WAL, like the host at start.</summary>
    public static async Task MigrateAsync(string dataDirectory, CancellationToken ct)
    {
        await using var db = new PortalDbContext(Unpooled(dataDirectory));
        await db.Database.MigrateAsync(ct);
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
    }

    /// <summary>The domain exactly as the host registers it for a data directory, optionally with interceptors to watch the SQL.</summary>
    public static IServiceCollection Services(string dataDirectory, params IInterceptor[] interceptors)
    {
        var services = new ServiceCollection().AddPortalDomain(ConnectionString(dataDirectory), dataDirectory);
        if (interceptors.Length > 0)
        {
            services.ConfigureDbContext<PortalDbContext>(o => o.AddInterceptors(interceptors));
        }
        return services;
    }
}
