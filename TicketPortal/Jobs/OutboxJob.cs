using TicketPortal.Domain.Mail;

namespace TicketPortal.Jobs;

/// <summary>Delivers the outbox every few seconds; a message is marked sent only after its transport took it.</summary>
public sealed class OutboxJob(OutboxSender sender, MailSettings settings, TimeProvider clock, ILogger<OutboxJob> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(settings.SendInterval, clock);
        do
        {
            try
            {
                var sent = await sender.SendDueAsync(stoppingToken);
                if (sent > 0)
                {
                    log.LogInformation("Delivered {Count} mail(s).", sent);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogError(e, "Delivering the outbox failed; trying again in {Interval}.", settings.SendInterval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
