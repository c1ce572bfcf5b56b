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
}
