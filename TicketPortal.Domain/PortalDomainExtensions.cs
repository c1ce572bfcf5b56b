using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TicketPortal.Domain.Git;
using TicketPortal.Domain.Persistence;
using TicketPortal.Domain.Tickets;
using TicketPortal.Domain.Workflows;

namespace TicketPortal.Domain;

public static class PortalDomainExtensions
{
    /// <summary>The domain: database, workflow presets (validated now, so a bad preset stops the start) and use cases.</summary>
    public static IServiceCollection AddPortalDomain(
        this IServiceCollection services, string connectionString, string dataDirectory, string? workflowDirectory = null)
    {
        services.AddSingleton(new AttachmentStore(Path.Combine(dataDirectory, "attachments")));
        services.AddDbContextFactory<PortalDbContext>(o => o.UseSqlite(connectionString, s => s.UseQuerySplittingBehavior(QuerySplittingBehavior.SplitQuery)));
        services.AddSingleton(new WorkflowCatalog(WorkflowLoader.LoadPresets(workflowDirectory)));
        services.AddSingleton<TicketService>();
        services.AddSingleton<ProjectService>();
        services.AddSingleton<QueueService>();
        services.AddSingleton<People.NotificationService>();
        services.AddSingleton(TimeProvider.System);
        return services;
    }

    /// <summary>Git: the settings (keywords, the portal's address for full ticket links), the scanner and its use cases.</summary>
    public static IServiceCollection AddPortalGit(this IServiceCollection services, GitSettings settings)
    {
        _ = settings.Keywords(); // bad keywords stop the start, as a bad workflow preset does
        services.AddSingleton(settings);
        services.AddSingleton<GitScanner>();
        services.AddSingleton<GitService>();
        return services;
    }
}
