using TicketPortal.Domain.Sla;

namespace TicketPortal.Bench.Sla;

/// <summary>
/// TicketPortal.Domain/Sla/BusinessCalendar.cs with one change: the time zone is looked up once per instance instead of on
/// every Add/Between. Everything else, the day-by-day walk included, is the domain's code.
/// </summary>
public sealed record CachedZoneCalendar : IBenchCalendar
{
    private TimeZoneInfo? _zone;

    public required string TimeZone { get; init; }
    public required IReadOnlyList<DayOfWeek> WorkingDays { get; init; }
    public required TimeOnly DayStart { get; init; }
    public required TimeOnly DayEnd { get; init; }
    public IReadOnlyList<DateOnly> Holidays { get; init; } = [];

    public static CachedZoneCalendar From(BusinessCalendar calendar) => new()
    {
        TimeZone = calendar.TimeZone,
        WorkingDays = calendar.WorkingDays,
        DayStart = calendar.DayStart,
        DayEnd = calendar.DayEnd,
        Holidays = calendar.Holidays,
    };

    public TimeSpan WorkingDay => DayEnd - DayStart;

    private TimeZoneInfo Zone => _zone ??= TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    public bool IsWorkingDay(DateOnly date) => WorkingDays.Contains(date.DayOfWeek) && !Holidays.Contains(date);

    public DateTimeOffset Add(DateTimeOffset start, TimeSpan duration)
    {
        var left = duration;
        foreach (var (from, to) in WorkingSpans(start))
        {
            var begin = from < start ? start : from;
            var available = to - begin;
            if (available >= left)
            {
                return begin + left;
            }
            left -= available;
        }
        throw new InvalidOperationException("A business calendar without working time never reaches a due time.");
    }

    public TimeSpan Between(DateTimeOffset from, DateTimeOffset to)
    {
        if (to < from)
        {
            return -Between(to, from);
        }
        var total = TimeSpan.Zero;
        foreach (var (spanFrom, spanTo) in WorkingSpans(from))
        {
            if (spanFrom >= to)
            {
                break;
            }
            var begin = spanFrom < from ? from : spanFrom;
            var end = spanTo > to ? to : spanTo;
            if (end > begin)
            {
                total += end - begin;
            }
        }
        return total;
    }

    private IEnumerable<(DateTimeOffset From, DateTimeOffset To)> WorkingSpans(DateTimeOffset start)
    {
        var zone = Zone;
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(start, zone).DateTime);
        for (var i = 0; i < 3660; i++, day = day.AddDays(1))
        {
            if (!IsWorkingDay(day))
            {
                continue;
            }
            yield return (Instant(day, DayStart, zone), Instant(day, DayEnd, zone));
        }
    }

    private static DateTimeOffset Instant(DateOnly day, TimeOnly time, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(time);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddHours(1);
        }
        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
    }
}
