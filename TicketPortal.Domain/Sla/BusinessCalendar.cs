namespace TicketPortal.Domain.Sla;

/// <summary>Working days and hours in a time zone, minus holidays; SLA time only runs inside them.</summary>
public sealed record BusinessCalendar
{
    public required string TimeZone { get; init; }
    public required IReadOnlyList<DayOfWeek> WorkingDays { get; init; }
    public required TimeOnly DayStart { get; init; }
    public required TimeOnly DayEnd { get; init; }
    public IReadOnlyList<DateOnly> Holidays { get; init; } = [];

    /// <summary>Monday to Friday, 9:00 to 17:00 UTC, no holidays.</summary>
    public static BusinessCalendar Default { get; } = new()
    {
        TimeZone = "UTC",
        WorkingDays = [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday],
        DayStart = new TimeOnly(9, 0),
        DayEnd = new TimeOnly(17, 0),
    };

    public TimeSpan WorkingDay => DayEnd - DayStart;

    private TimeZoneInfo Zone => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    public bool IsWorkingDay(DateOnly date) => WorkingDays.Contains(date.DayOfWeek) && !Holidays.Contains(date);

    /// <summary>The instant that lies <paramref name="duration"/> of working time after <paramref name="start"/>.</summary>
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

    /// <summary>Working time between two instants (negative when <paramref name="to"/> comes first).</summary>
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

    /// <summary>The working hours of each working day from the day of <paramref name="start"/> on, as UTC instants (DST-aware).</summary>
    private IEnumerable<(DateTimeOffset From, DateTimeOffset To)> WorkingSpans(DateTimeOffset start)
    {
        var zone = Zone;
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(start, zone).DateTime);
        // Ten years without a working day means the calendar is broken, not that the ticket is patient.
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
        // A wall time skipped by a DST jump is taken one hour later; an ambiguous one as standard time.
        while (zone.IsInvalidTime(local))
        {
            local = local.AddHours(1);
        }
        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
    }
}
