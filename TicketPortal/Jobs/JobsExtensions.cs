namespace TicketPortal.Jobs;

public static class JobsExtensions
{
    public static void AddPortalJobs(this WebApplicationBuilder builder)
    {
        builder.Services.AddHostedService<AutomationJob>();
        builder.Services.AddHostedService<GitWatchJob>();
        builder.Services.AddHostedService<OutboxJob>();
    }
}
