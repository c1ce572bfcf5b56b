using TicketPortal.Domain.Sla;

namespace TicketPortal.Bench.Sla;

/// <summary>How far a bench copy of the calendar agrees with the domain's on every clock of the workload.</summary>
public sealed record SlaAgreement(int Clocks, int Equal, int AfterHoursStarts, int AfterHoursExplained, int Unexplained)
{
    public override string ToString() =>
        $"{Equal:N0} of {Clocks:N0} clocks equal; {Clocks - Equal:N0} differ, {AfterHoursExplained:N0} of them explained by a start "
        + $"after the day's working hours ({AfterHoursStarts:N0} clocks start then), {Unexplained:N0} unexplained";
}

public static class SlaVerification
{
    /// <summary>
    /// Compares every clock with the domain's result. A clock may differ only when it starts on a working day after
    /// DayEnd: the domain's Add takes that day's span, finds a negative amount of time available and subtracts it, so
    /// the gap between DayEnd and the start is added to the target (4 h from 18:00 becomes 5 h). Such a clock must then
    /// equal the domain's result for the same ticket started at the next working day's DayStart, which is what it means.
    /// </summary>
    public static SlaAgreement Check<TCalendar>(IReadOnlyList<SlaJob> jobs, BusinessCalendar domain, TCalendar copy, DateTimeOffset now)
        where TCalendar : IBenchCalendar
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(domain.TimeZone);
        var (equal, afterHours, explained, unexplained) = (0, 0, 0, 0);
        foreach (var job in jobs)
        {
            var expected = SlaClock.Compute(job.Policy, domain, job.Input, now);
            var actual = BenchSlaClock.Compute(job.Policy, copy, job.Input, now);
            var late = NextMorning(domain, zone, job.Input.Start);
            afterHours += late is null ? 0 : 1;
            if (expected == actual)
            {
                equal++;
            }
            else if (late is { } morning && SlaClock.Compute(job.Policy, domain, job.Input with { Start = morning }, now) == actual)
            {
                explained++;
            }
            else
            {
                unexplained++;
            }
        }
        return new SlaAgreement(jobs.Count, equal, afterHours, explained, unexplained);
    }

    /// <summary>For a start on a working day after DayEnd, the next working day's DayStart; otherwise null.</summary>
    public static DateTimeOffset? NextMorning(BusinessCalendar calendar, TimeZoneInfo zone, DateTimeOffset start)
    {
        var local = TimeZoneInfo.ConvertTime(start, zone);
        var day = DateOnly.FromDateTime(local.DateTime);
        if (!calendar.IsWorkingDay(day) || TimeOnly.FromDateTime(local.DateTime) <= calendar.DayEnd)
        {
            return null;
        }
        do
        {
            day = day.AddDays(1);
        }
        while (!calendar.IsWorkingDay(day));
        var morning = day.ToDateTime(calendar.DayStart);
        return new DateTimeOffset(morning, zone.GetUtcOffset(morning));
    }

    /// <summary>
    /// Random Add and Between calls over three years (both DST changes each year, holidays, nights, weekends) against the
    /// domain: Between must be equal; Add equal, or for an after-hours start equal to the domain's Add from the next
    /// morning; and Between(start, Add(start, d)) must give d back. Returns the number of calls that broke a rule.
    /// </summary>
    public static int SpotCheck(BusinessCalendar domain, SpanTableCalendar copy, int calls, int seed = 7)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(domain.TimeZone);
        var random = new Random(seed);
        var first = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var failures = 0;
        for (var i = 0; i < calls; i++)
        {
            var start = first + TimeSpan.FromMinutes(random.Next(0, 3 * 365 * 24 * 60));
            var other = start + TimeSpan.FromMinutes(random.Next(-30 * 24 * 60, 30 * 24 * 60));
            var duration = TimeSpan.FromMinutes(random.Next(1, 10 * 9 * 60));
            var due = copy.Add(start, duration);
            var expectedDue = NextMorning(domain, zone, start) is { } morning ? domain.Add(morning, duration) : domain.Add(start, duration);
            if (copy.Between(start, other) != domain.Between(start, other) || due != expectedDue || copy.Between(start, due) != duration)
            {
                failures++;
            }
        }
        return failures;
    }
}
