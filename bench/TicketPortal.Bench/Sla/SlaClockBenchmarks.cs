using BenchmarkDotNet.Attributes;
using TicketPortal.Domain.Sla;

namespace TicketPortal.Bench.Sla;

/// <summary>
/// Every SLA clock of 100,000 open tickets at one instant, as an SLA tick or a board full of due times needs them: the
/// domain's SlaClock.Compute, and the same clock over two bench copies of BusinessCalendar to show what a change buys.
/// </summary>
[Config(typeof(BenchConfig))]
public class SlaClockBenchmarks
{
    private SlaJob[] _jobs = [];
    private DateTimeOffset[] _ticketStarts = [];
    private CachedZoneCalendar _cachedZone = null!;
    private SpanTableCalendar _spanTable = null!;

    [GlobalSetup]
    public void Setup()
    {
        var workload = SlaWorkload.Create();
        _jobs = [.. workload.Jobs];
        _ticketStarts = [.. _jobs.DistinctBy(j => j.Ticket).Select(j => j.Input.Start)];
        _cachedZone = CachedZoneCalendar.From(SlaWorkload.Calendar);
        _spanTable = SpanTableCalendar.From(SlaWorkload.Calendar);
        var cachedZone = SlaVerification.Check(_jobs, SlaWorkload.Calendar, _cachedZone, SlaWorkload.Now);
        var spanTable = SlaVerification.Check(_jobs, SlaWorkload.Calendar, _spanTable, SlaWorkload.Now);
        if (cachedZone.Equal != cachedZone.Clocks || spanTable.Unexplained > 0)
        {
            throw new InvalidOperationException($"A bench calendar disagrees with the domain. Cached zone: {cachedZone}. Span table: {spanTable}.");
        }
        Console.WriteLine($"// {_ticketStarts.Length:N0} tickets, {_jobs.Length:N0} clocks, {workload.TicketsWithPauses:N0} tickets with pauses");
        Console.WriteLine($"// Span table vs domain: {spanTable}");
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
    public int ComputeAll() => Count(SlaWorkload.Calendar);

    [Benchmark]
    public int ComputeAll_CachedZoneCopy()
    {
        var breached = 0;
        foreach (var job in _jobs)
        {
            breached += BenchSlaClock.Compute(job.Policy, _cachedZone, job.Input, SlaWorkload.Now).Breached ? 1 : 0;
        }
        return breached;
    }

    [Benchmark]
    public int ComputeAll_SpanTableCopy()
    {
        var breached = 0;
        foreach (var job in _jobs)
        {
            breached += BenchSlaClock.Compute(job.Policy, _spanTable, job.Input, SlaWorkload.Now).Breached ? 1 : 0;
        }
        return breached;
    }

    [Benchmark]
    public int ComputeAll_SpanTableCopy_ClockWithoutLinq()
    {
        var breached = 0;
        foreach (var job in _jobs)
        {
            breached += BenchSlaClock.ComputeWithoutLinq(job.Policy, _spanTable, job.Input, SlaWorkload.Now).Breached ? 1 : 0;
        }
        return breached;
    }

    private int Count(BusinessCalendar calendar)
    {
        var breached = 0;
        foreach (var job in _jobs)
        {
            breached += SlaClock.Compute(job.Policy, calendar, job.Input, SlaWorkload.Now).Breached ? 1 : 0;
        }
        return breached;
    }
}
