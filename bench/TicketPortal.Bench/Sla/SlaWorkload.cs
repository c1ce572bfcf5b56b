using TicketPortal.Domain.Sla;

namespace TicketPortal.Bench.Sla;

/// <summary>One clock to compute: a ticket's policy and its input.</summary>
public sealed record SlaJob(int Ticket, SlaPolicy Policy, SlaInput Input);

/// <summary>
/// 100,000 open tickets on a Berlin business calendar (Mon–Fri 08:00–17:00, a few holidays), created over the two weeks
/// before a fixed <see cref="Now"/>, each with one or two clocks (4 h first response, 3 business days resolution); about
/// 20% with one or two waiting intervals, the last one sometimes still running.
/// </summary>
public sealed class SlaWorkload
{
    public const int TicketCount = 100_000;

    /// <summary>A Monday afternoon in Berlin (15:30 CET).</summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 23, 14, 30, 0, TimeSpan.Zero);

    public static readonly BusinessCalendar Calendar = new()
    {
        TimeZone = "Europe/Berlin",
        WorkingDays = [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday],
        DayStart = new TimeOnly(8, 0),
        DayEnd = new TimeOnly(17, 0),
        Holidays =
        [
            new DateOnly(2026, 10, 3), new DateOnly(2026, 11, 18), new DateOnly(2026, 12, 24), new DateOnly(2026, 12, 25),
            new DateOnly(2026, 12, 26), new DateOnly(2026, 12, 31), new DateOnly(2027, 1, 1),
        ],
    };

    public static readonly SlaPolicy FirstResponse = new() { Name = "first-response", Kind = SlaKind.FirstResponse, Hours = 4 };

    public static readonly SlaPolicy Resolution = new() { Name = "resolution", Kind = SlaKind.Resolution, Days = 3 };

    private static readonly TimeSpan Window = TimeSpan.FromDays(14);

    private SlaWorkload(IReadOnlyList<SlaJob> jobs) => Jobs = jobs;

    public IReadOnlyList<SlaJob> Jobs { get; }

    public int TicketsWithPauses => Jobs.Where(j => j.Input.Pauses.Count > 0).Select(j => j.Ticket).Distinct().Count();

    public static SlaWorkload Create(int seed = 20_261_123)
    {
        var random = new Random(seed);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(Calendar.TimeZone);
        var jobs = new List<SlaJob>(TicketCount * 2);
        for (var ticket = 1; ticket <= TicketCount; ticket++)
        {
            var created = CreatedAt(random, zone);
            var pauses = random.NextDouble() < 0.2 ? Pauses(random, created) : [];
            var roll = random.NextDouble();
            // 60% carry both clocks, 25% only resolution, 15% only first response.
            if (roll < 0.75)
            {
                jobs.Add(new SlaJob(ticket, Resolution, new SlaInput(created, null, pauses, TimeSpan.Zero)));
            }
            if (roll < 0.6 || roll >= 0.75)
            {
                // Two thirds of first responses have been given, somewhere between creation and now.
                var answered = random.NextDouble() < 2.0 / 3 ? created + (Now - created) * random.NextDouble() : (DateTimeOffset?)null;
                jobs.Add(new SlaJob(ticket, FirstResponse, new SlaInput(created, answered, pauses, TimeSpan.Zero)));
            }
        }
        return new SlaWorkload(jobs);
    }

    /// <summary>Three quarters during Berlin office hours on weekdays, the rest at any time (mail arrives at night too).</summary>
    private static DateTimeOffset CreatedAt(Random random, TimeZoneInfo zone)
    {
        while (true)
        {
            var at = Now - Window + TimeSpan.FromSeconds(random.Next(0, (int)Window.TotalSeconds));
            var local = TimeZoneInfo.ConvertTime(at, zone);
            var office = local.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && local.Hour is >= 8 and < 18;
            if (office || random.NextDouble() < 0.25)
            {
                return at;
            }
        }
    }

    private static Interval[] Pauses(Random random, DateTimeOffset created)
    {
        var count = random.Next(1, 3);
        var pauses = new Interval[count];
        var from = created;
        for (var i = 0; i < count; i++)
        {
            from += (Now - from) * random.NextDouble() * 0.5;
            var to = from + (Now - from) * random.NextDouble() * 0.6;
            var stillWaiting = i == count - 1 && random.NextDouble() < 0.3;
            pauses[i] = new Interval(from, stillWaiting ? null : to);
            from = to;
        }
        return pauses;
    }
}
