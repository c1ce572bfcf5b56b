using TicketPortal.Domain.Tickets;

namespace TicketPortal.Jobs;

/// <summary>Every minute: time-in-status automations and SLA breaches. The state lives in the tickets, so a restart loses nothing.</summary>
public sealed class AutomationJob(TicketService tickets, TimeProvider clock, ILogger<AutomationJob> log) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        do
        {
            try
            {
                var moved = await tickets.RunTimedAutomationsAsync(stoppingToken);
                var (breaches, escalations) = await tickets.RecordSlaBreachesAsync(stoppingToken);
                if (moved + breaches + escalations > 0)
                {
                    log.LogInformation("Timed automations moved {Moved} ticket(s); {Breaches} SLA breach(es), {Escalations} escalation(s).",
                        moved, breaches, escalations);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogError(e, "Timed automations failed; trying again in {Interval}.", Interval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
