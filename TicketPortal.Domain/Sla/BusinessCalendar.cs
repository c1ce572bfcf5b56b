using System.Runtime.CompilerServices;

namespace TicketPortal.Domain.Sla;

/// <summary>
/// Working days and hours in a time zone, minus holidays; SLA time only runs inside them. The working spans are worked out
/// once into a table of UTC instants with running totals, so <see cref="Add"/> and <see cref="Between"/> are binary searches.
/// </summary>
public sealed record BusinessCalendar
{
    // Same bound as the domain's day-by-day walk: ten years without a working day means the calendar is broken.
    private static readonly TimeSpan MaxReach = TimeSpan.FromDays(3660);
    private const int MarginDays = 366;

    // Keyed by instance, not stored in a field: a field would take part in record equality and be copied by `with`.
    private static readonly ConditionalWeakTable<BusinessCalendar, TableCache> Tables = new();

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

    /// <summary>
    /// The instant that lies <paramref name="duration"/> of working time after <paramref name="start"/> (a zero or negative
    /// duration gives the first working instant at or after the start), as UTC.
    /// </summary>
    public DateTimeOffset Add(DateTimeOffset start, TimeSpan duration)
    {
        var from = start.UtcTicks;
        var work = Math.Max(duration.Ticks, 0);
        var table = Table(from, from + work);
        while (true)
        {
            if (table.Reach(from, table.WorkBefore(from) + work) is { } due)
            {
                return new DateTimeOffset(due, TimeSpan.Zero);
            }
            if (table.CoverTo - from > MaxReach.Ticks)
            {
                throw new InvalidOperationException("A business calendar without working time never reaches a due time.");
            }
            table = Table(from, table.CoverTo + 1);
        }
    }

    /// <summary>Working time between two instants (negative when <paramref name="to"/> comes first).</summary>
    public TimeSpan Between(DateTimeOffset from, DateTimeOffset to)
    {
        if (to < from)
        {
            return -Between(to, from);
        }
        var end = to - from > MaxReach ? from + MaxReach : to;
        var table = Table(from.UtcTicks, end.UtcTicks);
        return TimeSpan.FromTicks(table.WorkBefore(end.UtcTicks) - table.WorkBefore(from.UtcTicks));
    }

    /// <summary>A table that covers both instants, widened (and swapped in whole, so readers never see it half built) when it does not.</summary>
    private SpanTable Table(long from, long to)
    {
        var cache = Tables.GetValue(this, static _ => new TableCache());
        var table = Volatile.Read(ref cache.Table);
        if (table is not null && table.CoverFrom <= from && to <= table.CoverTo)
        {
            return table;
        }
        var zone = Zone;
        var firstDay = Shift(LocalDay(from, zone), -MarginDays);
        var endDay = Shift(LocalDay(to, zone), MarginDays);
        if (table is not null)
        {
            firstDay = firstDay < table.FirstDay ? firstDay : table.FirstDay;
            endDay = endDay > table.EndDay ? endDay : table.EndDay;
        }
        table = Build(firstDay, endDay, zone);
        Volatile.Write(ref cache.Table, table);
        return table;
    }

    /// <summary>The working spans of the local days [<paramref name="firstDay"/>, <paramref name="endDay"/>) as UTC ticks (DST-aware).</summary>
    private SpanTable Build(DateOnly firstDay, DateOnly endDay, TimeZoneInfo zone)
    {
        var from = new List<long>();
        var to = new List<long>();
        for (var day = firstDay; day < endDay; day = day.AddDays(1))
        {
            if (!IsWorkingDay(day))
            {
                continue;
            }
            var (spanFrom, spanTo) = (Instant(day, DayStart, zone), Instant(day, DayEnd, zone));
            // A span swallowed by a DST jump holds no working time; leaving it out keeps the arrays strictly increasing.
            if (spanTo > spanFrom)
            {
                from.Add(spanFrom);
                to.Add(spanTo);
            }
        }
        var before = new long[from.Count];
        var after = new long[from.Count];
        for (var i = 0; i < from.Count; i++)
        {
            before[i] = i == 0 ? 0 : after[i - 1];
            after[i] = before[i] + (to[i] - from[i]);
        }
        return new SpanTable(firstDay, endDay, Instant(firstDay, TimeOnly.MinValue, zone), Instant(endDay, TimeOnly.MinValue, zone),
            [.. from], [.. to], before, after);
    }

    private static DateOnly LocalDay(long utcTicks, TimeZoneInfo zone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(new DateTimeOffset(utcTicks, TimeSpan.Zero), zone).DateTime);

    private static DateOnly Shift(DateOnly day, int days) =>
        DateOnly.FromDayNumber(Math.Clamp(day.DayNumber + days, DateOnly.MinValue.DayNumber + 1, DateOnly.MaxValue.DayNumber - 1));

    private static long Instant(DateOnly day, TimeOnly time, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(time);
        // A wall time skipped by a DST jump is taken one hour later; an ambiguous one as standard time.
        while (zone.IsInvalidTime(local))
        {
            local = local.AddHours(1);
        }
        return new DateTimeOffset(local, zone.GetUtcOffset(local)).UtcTicks;
    }

    private sealed class TableCache
    {
        public SpanTable? Table;
    }

    /// <summary>
    /// Working spans in UTC ticks, ascending, with the working time before and after each. Exact for instants in
    /// [CoverFrom, CoverTo]: no span of a day outside the table reaches into that range.
    /// </summary>
    private sealed class SpanTable(
        DateOnly firstDay, DateOnly endDay, long coverFrom, long coverTo, long[] from, long[] to, long[] before, long[] after)
    {
        public DateOnly FirstDay { get; } = firstDay;
        public DateOnly EndDay { get; } = endDay;
        public long CoverFrom { get; } = coverFrom;
        public long CoverTo { get; } = coverTo;

        /// <summary>Working ticks from the start of the table up to <paramref name="instant"/>.</summary>
        public long WorkBefore(long instant)
        {
            var i = LowerBound(from, instant + 1) - 1;
            return i < 0 ? 0 : before[i] + Math.Min(instant - from[i], to[i] - from[i]);
        }

        /// <summary>
        /// The instant at which the running total reaches <paramref name="work"/>, not before <paramref name="start"/>;
        /// null when that lies beyond the table. Landing exactly on a span's end gives that end, as the day walk did.
        /// </summary>
        public long? Reach(long start, long work)
        {
            var i = Math.Max(LowerBound(after, work), LowerBound(to, start));
            return i < from.Length ? from[i] + (work - before[i]) : null;
        }

        /// <summary>The first index whose value is at least <paramref name="value"/>.</summary>
        private static int LowerBound(long[] values, long value)
        {
            var (low, high) = (0, values.Length);
            while (low < high)
            {
                var middle = (low + high) >>> 1;
                if (values[middle] < value)
                {
                    low = middle + 1;
                }
                else
                {
                    high = middle;
                }
            }
            return low;
        }
    }
}
