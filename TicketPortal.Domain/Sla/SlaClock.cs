using System.Text.Json.Serialization;

namespace TicketPortal.Domain.Sla;

[JsonConverter(typeof(JsonStringEnumConverter<SlaKind>))]
public enum SlaKind
{
    /// <summary>From creation until staff first answer in public.</summary>
    FirstResponse,
    /// <summary>From the last public staff note (or creation) until the next one; restarts with every public note.</summary>
    UpdateCadence,
    /// <summary>From creation until the ticket reaches a done status.</summary>
    Resolution,
}

/// <summary>One SLA target, for the trackers and priorities it names (empty means all).</summary>
public sealed record SlaPolicy
{
    public required string Name { get; init; }
    public required SlaKind Kind { get; init; }
    /// <summary>Working hours allowed, added to <see cref="Days"/>.</summary>
    public double Hours { get; init; }
    /// <summary>Working days allowed, each the calendar's working day long.</summary>
    public double Days { get; init; }
    public IReadOnlyList<string> Trackers { get; init; } = [];
    public IReadOnlyList<string> Priorities { get; init; } = [];
    /// <summary>The clock starts when the ticket first enters a status of this category (e.g. "open" = assigned); null = at creation.</summary>
    public Workflows.StatusCategory? StartsIn { get; init; }

    public TimeSpan Target(BusinessCalendar calendar) => TimeSpan.FromHours(Hours) + calendar.WorkingDay * Days;

    public bool AppliesTo(string tracker, string priority) =>
        (Trackers.Count == 0 || Trackers.Contains(tracker, StringComparer.OrdinalIgnoreCase))
        && (Priorities.Count == 0 || Priorities.Contains(priority, StringComparer.OrdinalIgnoreCase));
}

public sealed record Interval(DateTimeOffset From, DateTimeOffset? To);

/// <summary>The SLA of a workflow: its business calendar and clocks.</summary>
public sealed record SlaDefinition
{
    public BusinessCalendar Calendar { get; init; } = BusinessCalendar.Default;
    public required IReadOnlyList<SlaPolicy> Policies { get; init; }
    /// <summary>Roles told when a breach is not dealt with (the lead); also told at once when nobody owns the ticket.</summary>
    public IReadOnlyList<string> EscalateTo { get; init; } = [];
    /// <summary>Working hours after a breach before it is escalated.</summary>
    public double EscalateAfterHours { get; init; } = 2;
}

/// <summary>What a clock needs to know about a ticket: when it started, when (if ever) it was met, pauses and extensions.</summary>
public sealed record SlaInput(DateTimeOffset Start, DateTimeOffset? MetAt, IReadOnlyList<Interval> Pauses, TimeSpan Extension);

/// <summary>A clock's state at one instant: due time, working time left (negative once breached), paused, breached, met.</summary>
public sealed record SlaState(string Name, DateTimeOffset DueAt, TimeSpan Remaining, bool Paused, bool Breached, bool Met);

/// <summary>Pure SLA arithmetic: values in, due time and remaining working time out.</summary>
public static class SlaClock
{
    public static SlaState Compute(SlaPolicy policy, BusinessCalendar calendar, SlaInput input, DateTimeOffset now)
    {
        var end = input.MetAt ?? now;
        var paused = input.Pauses
            .Select(p => (From: Max(p.From, input.Start), To: Min(p.To ?? end, end)))
            .Where(p => p.To > p.From)
            .Aggregate(TimeSpan.Zero, (sum, p) => sum + calendar.Between(p.From, p.To));
        var due = calendar.Add(input.Start, policy.Target(calendar) + input.Extension + paused);
        var pausedNow = input.MetAt is null && input.Pauses.Any(p => p.To is null && p.From <= now);
        var remaining = calendar.Between(end, due);
        return new SlaState(policy.Name, due, remaining, pausedNow, end > due, input.MetAt is not null);
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
