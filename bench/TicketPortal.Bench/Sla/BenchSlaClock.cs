using TicketPortal.Domain.Sla;

namespace TicketPortal.Bench.Sla;

/// <summary>TicketPortal.Domain/Sla/SlaClock.cs line for line, over a bench copy of the calendar instead of the domain's.</summary>
public static class BenchSlaClock
{
    public static SlaState Compute<TCalendar>(SlaPolicy policy, TCalendar calendar, SlaInput input, DateTimeOffset now)
        where TCalendar : IBenchCalendar
    {
        var end = input.MetAt ?? now;
        var paused = input.Pauses
            .Select(p => (From: Max(p.From, input.Start), To: Min(p.To ?? end, end)))
            .Where(p => p.To > p.From)
            .Aggregate(TimeSpan.Zero, (sum, p) => sum + calendar.Between(p.From, p.To));
        var due = calendar.Add(input.Start, Target(policy, calendar) + input.Extension + paused);
        var pausedNow = input.MetAt is null && input.Pauses.Any(p => p.To is null && p.From <= now);
        var remaining = calendar.Between(end, due);
        return new SlaState(policy.Name, due, remaining, pausedNow, end > due, input.MetAt is not null);
    }

    /// <summary>The same arithmetic without LINQ: no closures or delegates per clock, only the result is allocated.</summary>
    public static SlaState ComputeWithoutLinq<TCalendar>(SlaPolicy policy, TCalendar calendar, SlaInput input, DateTimeOffset now)
        where TCalendar : IBenchCalendar
    {
        var end = input.MetAt ?? now;
        var paused = TimeSpan.Zero;
        var pausedNow = false;
        foreach (var pause in input.Pauses)
        {
            var (from, to) = (Max(pause.From, input.Start), Min(pause.To ?? end, end));
            if (to > from)
            {
                paused += calendar.Between(from, to);
            }
            pausedNow |= pause.To is null && pause.From <= now;
        }
        var due = calendar.Add(input.Start, Target(policy, calendar) + input.Extension + paused);
        var remaining = calendar.Between(end, due);
        return new SlaState(policy.Name, due, remaining, input.MetAt is null && pausedNow, end > due, input.MetAt is not null);
    }

    /// <summary><see cref="SlaPolicy.Target"/>, which only takes the domain's calendar type.</summary>
    private static TimeSpan Target(SlaPolicy policy, IBenchCalendar calendar) => TimeSpan.FromHours(policy.Hours) + calendar.WorkingDay * policy.Days;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
