using TicketPortal.Domain.Mail;

namespace TicketPortal.Jobs;

/// <summary>Polls the IMAP mailbox at the configured interval; a message leaves the folder only after the intake took it.</summary>
public sealed class MailPollJob(ImapPoller poller, MailSettings settings, TimeProvider clock, ILogger<MailPollJob> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(settings.Imap.PollInterval, clock);
        do
        {
            try
            {
                var received = await poller.PollAsync(stoppingToken);
                if (received > 0)
                {
                    log.LogInformation("Received {Count} mail(s) from IMAP.", received);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogError(e, "Polling the IMAP mailbox failed; trying again in {Interval}.", settings.Imap.PollInterval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
