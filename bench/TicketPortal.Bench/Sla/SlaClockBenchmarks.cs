using BenchmarkDotNet.Attributes;
using TicketPortal.Domain.Sla;

namespace TicketPortal.Bench.Sla;

/// <summary>
/// Every SLA clock of 100,000 open tickets at one instant, as an SLA tick or a board full of due times needs them,
/// against a baseline of one working-time difference per ticket on the same calendar.
/// </summary>
[Config(typeof(BenchConfig))]
public class SlaClockBenchmarks
{
    private SlaJob[] _jobs = [];
    private DateTimeOffset[] _ticketStarts = [];

    [GlobalSetup]
    public void Setup()
    {
        var workload = SlaWorkload.Create();
        _jobs = [.. workload.Jobs];
        _ticketStarts = [.. _jobs.DistinctBy(j => j.Ticket).Select(j => j.Input.Start)];
        Console.WriteLine($"// {_ticketStarts.Length:N0} tickets, {_jobs.Length:N0} clocks, {workload.TicketsWithPauses:N0} tickets with pauses");
    }

    [Benchmark(Baseline = true)]
    public TimeSpan BetweenOncePerTicket()
    {
        var total = TimeSpan.Zero;
        foreach (var start in _ticketStarts)
        {
            total += SlaWorkload.Calendar.Between(start, SlaWorkload.Now);
        }
        return total;
    }

    [Benchmark]
    public int ComputeAll()
    {
        var breached = 0;
        foreach (var job in _jobs)
        {
            breached += SlaClock.Compute(job.Policy, SlaWorkload.Calendar, job.Input, SlaWorkload.Now).Breached ? 1 : 0;
        }
        return breached;
    }
}
