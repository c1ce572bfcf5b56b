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
        // Pooled: a context per use case is cheap to take, and the mail intake takes several per message.
        services.AddPooledDbContextFactory<PortalDbContext>(o => o.UseSqlite(connectionString, PortalDbContext.Sqlite).AddInterceptors(new Persistence.SqliteBusyWait()));
        services.AddSingleton(new WorkflowCatalog(WorkflowLoader.LoadPresets(workflowDirectory)));
        services.AddSingleton<TicketService>();
        services.AddSingleton<ProjectService>();
        services.AddSingleton<QueueService>();
        services.AddSingleton<MarkdownRenderer>();
        services.AddSingleton<People.NotificationService>();
        services.AddSingleton(TimeProvider.System);
        return services;
    }

    /// <summary>
    /// Mail: the outbox and its transport (SMTP when a host is configured, else the pickup directory), and the IMAP
    /// poller when an IMAP host is configured.
    /// </summary>
    public static IServiceCollection AddPortalMail(this IServiceCollection services, Mail.MailSettings settings)
    {
        Mail.MailParser.RegisterEncodings();
        _ = MimeKit.MailboxAddress.Parse(settings.From); // a bad sender address stops the start
        services.AddSingleton(settings);
        services.AddSingleton<Mail.IMailTransport>(string.IsNullOrWhiteSpace(settings.Smtp.Host)
            ? new Mail.PickupDirectoryTransport(settings.PickupDirectory)
            : new Mail.SmtpTransport(settings.Smtp));
        services.AddSingleton<Mail.OutboxSender>();
        services.AddSingleton<Mail.TicketMail>();
        services.AddSingleton<Mail.MailIntake>();
        services.AddSingleton<Mail.IInboundMail>(sp => sp.GetRequiredService<Mail.MailIntake>());
        services.AddSingleton<People.CustomerService>();
        services.AddSingleton<People.CustomerLinkService>();
        if (settings.Imap.Enabled)
        {
            services.AddSingleton<Mail.ImapPoller>();
        }
        return services;
    }

    /// <summary>Releases: the docs space (a GitBook repository), the notes and their mail.</summary>
    public static IServiceCollection AddPortalReleases(this IServiceCollection services, Releases.DocsSettings settings)
    {
        services.AddSingleton(settings);
        services.AddSingleton<Releases.DocsRepository>();
        services.AddSingleton<Releases.ReleaseMail>();
        services.AddSingleton<Releases.ReleaseService>();
        services.AddSingleton<Releases.ReleasePages>();
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
