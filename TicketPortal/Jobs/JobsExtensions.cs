using TicketPortal.Domain.Mail;

namespace TicketPortal.Jobs;

public static class JobsExtensions
{
    public static void AddPortalJobs(this WebApplicationBuilder builder)
    {
        builder.Services.AddHostedService<AutomationJob>();
        builder.Services.AddHostedService<GitWatchJob>();
        builder.Services.AddHostedService<OutboxJob>();
        // The mail setup registers a poller only when an IMAP host is configured.
        if (builder.Services.Any(s => s.ServiceType == typeof(ImapPoller)))
        {
            builder.Services.AddHostedService<MailPollJob>();
        }
    }
}
