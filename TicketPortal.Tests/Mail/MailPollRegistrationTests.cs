using MailKit.Security;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TicketPortal.Domain.Mail;
using TicketPortal.Jobs;
using TicketPortal.Tests.Api;
using TicketPortal.Tests.Support;

namespace TicketPortal.Tests.Mail;

public sealed class MailPollRegistrationTests
{
    [Fact]
    public void WithoutAnImapHost_NoMailIsPolled()
    {
        using var portal = new PortalFactory();

        Assert.DoesNotContain(portal.Services.GetServices<IHostedService>(), s => s is MailPollJob);
    }

    [Fact]
    public void AnImapHost_StartsTheMailPollJob_WithTheConfiguredSettings()
    {
        using var factory = new PortalFactory();
        // Nothing listens on the port: the job's polls fail and are logged, the portal runs on.
        using var portal = WithImap(factory, ("Host", "127.0.0.1"), ("Port", FreePort.Pick().ToString()), ("Username", "intake"),
            ("Security", "None"), ("Folder", "Support"), ("PollInterval", "00:05:00"), ("Project", "SUP"));

        var imap = portal.Services.GetRequiredService<MailSettings>().Imap;

        Assert.Contains(portal.Services.GetServices<IHostedService>(), s => s is MailPollJob);
        Assert.Equal((SecureSocketOptions.None, "Support", "Processed", TimeSpan.FromMinutes(5), "SUP"),
            (imap.Security, imap.Folder, imap.ProcessedFolder, imap.PollInterval, imap.Project));
    }

    [Fact]
    public void AnImapHostWithoutAUsername_StopsTheStart()
    {
        using var factory = new PortalFactory();
        using var portal = WithImap(factory, ("Host", "127.0.0.1"));

        var error = Assert.Throws<InvalidOperationException>(() => portal.Services);

        Assert.Contains("Portal:Mail:Imap:Username", error.Message);
    }

    private static WebApplicationFactory<Program> WithImap(PortalFactory factory, params (string Key, string Value)[] settings) =>
        factory.WithWebHostBuilder(builder =>
        {
            foreach (var (key, value) in settings)
            {
                builder.UseSetting($"Portal:Mail:Imap:{key}", value);
            }
            builder.ConfigureTestServices(services => services.AddSingleton<IInboundMail, NoIntake>());
        });

    /// <summary>Stands in for the intake, which these tests are not about.</summary>
    private sealed class NoIntake : IInboundMail
    {
        public Task<InboundReceipt> ReceiveAsync(byte[] raw, string? project, CancellationToken ct = default) =>
            throw new InvalidOperationException("No mail is expected here.");
    }
}
