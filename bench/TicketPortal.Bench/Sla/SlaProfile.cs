using System.Diagnostics;
using TicketPortal.Domain.Sla;

namespace TicketPortal.Bench.Sla;

/// <summary>
/// `sla-profile`: checks the bench calendars against the domain, times one pass over the workload with each, and splits
/// the domain's time into what its day-by-day walk does (zone lookups, days visited, wall-clock conversions).
/// </summary>
public static class SlaProfile
{
    private const int Passes = 5;
    private const int WarmUpPasses = 4;
    private const int MicroCalls = 1_000_000;

    public static void Print(TextWriter output)
    {
        var workload = SlaWorkload.Create();
        var jobs = workload.Jobs;
        var calendar = SlaWorkload.Calendar;
        var now = SlaWorkload.Now;
        var cachedZone = CachedZoneCalendar.From(calendar);
        var spanTable = SpanTableCalendar.From(calendar);
        output.WriteLine($"{SlaWorkload.TicketCount:N0} tickets, {jobs.Count:N0} clocks "
            + $"({jobs.Count(j => j.Policy == SlaWorkload.FirstResponse):N0} first response, {jobs.Count(j => j.Policy == SlaWorkload.Resolution):N0} resolution), "
            + $"{workload.TicketsWithPauses:N0} tickets with pauses, "
            + $"{jobs.Count(j => SlaClock.Compute(j.Policy, calendar, j.Input, now).Breached):N0} clocks breached at {now:u}");
        output.WriteLine($"Cached zone copy vs domain: {SlaVerification.Check(jobs, calendar, cachedZone, now)}");
        output.WriteLine($"Span table copy vs domain:  {SlaVerification.Check(jobs, calendar, spanTable, now)}");
        output.WriteLine($"Span table copy, 200,000 random Add/Between calls 2025-2027 vs domain: {SlaVerification.SpotCheck(calendar, spanTable, 200_000)} broke a rule");
        var nightShift = new BusinessCalendar
        {
            TimeZone = "America/New_York",
            WorkingDays = [DayOfWeek.Sunday, DayOfWeek.Wednesday, DayOfWeek.Saturday],
            DayStart = new TimeOnly(1, 30),
            DayEnd = new TimeOnly(3, 0),
        };
        output.WriteLine($"  same for a 01:30–03:00 New York calendar (inside both DST changes): "
            + $"{SlaVerification.SpotCheck(nightShift, SpanTableCalendar.From(nightShift), 200_000)} broke a rule");
        output.WriteLine($"After-hours example: 4 h from Mon 2026-11-23 18:00 Berlin is due {calendar.Add(new DateTimeOffset(2026, 11, 23, 18, 0, 0, TimeSpan.FromHours(1)), TimeSpan.FromHours(4)).ToOffset(TimeSpan.FromHours(1)):ddd HH:mm} in the domain, "
            + $"{spanTable.Add(new DateTimeOffset(2026, 11, 23, 18, 0, 0, TimeSpan.FromHours(1)), TimeSpan.FromHours(4)).ToOffset(TimeSpan.FromHours(1)):ddd HH:mm} in the span table");

        output.WriteLine();
        output.WriteLine($"One pass over all {jobs.Count:N0} clocks, best and median of {Passes} (after {WarmUpPasses} warm-up passes):");
        Time(output, "domain SlaClock.Compute", () => jobs.Count(j => SlaClock.Compute(j.Policy, calendar, j.Input, now).Breached));
        Time(output, "cached zone copy", () => jobs.Count(j => BenchSlaClock.Compute(j.Policy, cachedZone, j.Input, now).Breached));
        Time(output, "span table copy", () => jobs.Count(j => BenchSlaClock.Compute(j.Policy, spanTable, j.Input, now).Breached));
        Time(output, "span table, clock w/o LINQ", () => jobs.Count(j => BenchSlaClock.ComputeWithoutLinq(j.Policy, spanTable, j.Input, now).Breached));
        var linqFree = jobs.Count(j => BenchSlaClock.ComputeWithoutLinq(j.Policy, spanTable, j.Input, now) != BenchSlaClock.Compute(j.Policy, spanTable, j.Input, now));
        output.WriteLine($"  (the clock without LINQ differs from the domain's clock on {linqFree} clocks)");

        var zone = TimeZoneInfo.FindSystemTimeZoneById(calendar.TimeZone);
        var walks = jobs.Select(j => Walk(calendar, zone, j.Input, now, SlaClock.Compute(j.Policy, calendar, j.Input, now).DueAt)).ToList();
        var (calls, days, workingDays) = (walks.Sum(w => w.Calls), walks.Sum(w => w.Days), walks.Sum(w => w.WorkingDays));
        var find = PerCall(() => TimeZoneInfo.FindSystemTimeZoneById(calendar.TimeZone));
        var convert = PerCall(() => TimeZoneInfo.ConvertTime(now, zone));
        var isWorking = PerCall(() => calendar.IsWorkingDay(new DateOnly(2026, 11, 18)));
        var instant = PerCall(() => Instant(new DateOnly(2026, 11, 20), calendar.DayStart, zone));
        output.WriteLine();
        output.WriteLine($"The domain's walk over this workload: {calls:N0} Add/Between calls, {days:N0} days visited, {workingDays:N0} of them working days");
        output.WriteLine($"  per call: FindSystemTimeZoneById {find:F0} ns + ConvertTime {convert:F0} ns + iterator");
        output.WriteLine($"  per day:  IsWorkingDay {isWorking:F0} ns; per working day: 2 × Instant (IsInvalidTime + GetUtcOffset) {instant:F0} ns each");
        output.WriteLine($"  => zone lookups ≈ {calls * find / 1e6:F0} ms, conversions of the start ≈ {calls * convert / 1e6:F0} ms, "
            + $"IsWorkingDay ≈ {days * isWorking / 1e6:F0} ms, span instants ≈ {workingDays * 2 * instant / 1e6:F0} ms");
    }

    private static void Time(TextWriter output, string name, Func<int> pass)
    {
        // Several warm-up passes: with one, tiered compilation still finishes during the measured passes.
        for (var i = 0; i < WarmUpPasses; i++)
        {
            pass();
        }
        var times = new List<double>();
        for (var i = 0; i < Passes; i++)
        {
            var clock = Stopwatch.StartNew();
            pass();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        output.WriteLine($"  {name,-26} best {times[0],8:F1} ms, median {times[Passes / 2],8:F1} ms");
    }

    private static double PerCall<T>(Func<T> call)
    {
        for (var i = 0; i < 10_000; i++)
        {
            call();
        }
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < MicroCalls; i++)
        {
            call();
        }
        return clock.Elapsed.TotalNanoseconds / MicroCalls;
    }

    /// <summary>How many days the domain's WorkingSpans enumerates for the Add and Between calls of one Compute.</summary>
    private static (int Calls, int Days, int WorkingDays) Walk(BusinessCalendar calendar, TimeZoneInfo zone, SlaInput input, DateTimeOffset now, DateTimeOffset due)
    {
        var end = input.MetAt ?? now;
        var ranges = input.Pauses
            .Select(p => (From: p.From > input.Start ? p.From : input.Start, To: (p.To ?? end) < end ? p.To ?? end : end))
            .Where(p => p.To > p.From)
            .Select(p => (p.From, p.To, Add: false))
            .Append((From: input.Start, To: due, Add: true))
            .Append(end <= due ? (From: end, To: due, Add: false) : (From: due, To: end, Add: false));
        var (calls, days, workingDays) = (0, 0, 0);
        foreach (var (from, to, isAdd) in ranges)
        {
            calls++;
            var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(from, zone).DateTime);
            var last = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(to, zone).DateTime);
            // Between only stops at the first working span that starts at or after its end, which can be days later.
            for (; ; day = day.AddDays(1))
            {
                days++;
                if (!calendar.IsWorkingDay(day))
                {
                    continue;
                }
                workingDays++;
                if (isAdd ? day >= last : Instant(day, calendar.DayStart, zone) >= to.UtcTicks)
                {
                    break;
                }
            }
        }
        return (calls, days, workingDays);
    }

    private static long Instant(DateOnly day, TimeOnly time, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(time);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddHours(1);
        }
        return new DateTimeOffset(local, zone.GetUtcOffset(local)).UtcTicks;
    }
}
