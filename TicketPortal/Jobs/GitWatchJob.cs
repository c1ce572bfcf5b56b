using TicketPortal.Domain.Git;

namespace TicketPortal.Jobs;

/// <summary>Scans every repository at the configured interval (for those without webhooks); the tips and the ledger live in the database.</summary>
public sealed class GitWatchJob(GitService git, GitSettings settings, TimeProvider clock, ILogger<GitWatchJob> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(settings.PollInterval, clock);
        do
        {
            try
            {
                var totals = await git.ScanAllAsync(stoppingToken);
                foreach (var failed in totals.Repositories.Where(r => r.Error is not null))
                {
                    log.LogWarning("Repository {Repository} could not be scanned: {Error}", failed.Repository, failed.Error);
                }
                if (totals.References > 0)
                {
                    log.LogInformation("Git scan: {Commits} commit(s), {References} reference(s), {Applied} applied.", totals.Commits, totals.References, totals.Applied);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogError(e, "The git scan failed; trying again in {Interval}.", settings.PollInterval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
