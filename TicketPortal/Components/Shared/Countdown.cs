namespace TicketPortal.Components.Shared;

/// <summary>
/// Calls a page back once a minute so SLA clocks can move on. The next minute starts when a tick has finished,
/// so a slow server never piles ticks up behind each other (a wall screen stays open for days).
/// </summary>
public sealed class Countdown : IDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    private readonly ITimer _timer;
    private readonly Func<Task> _tick;

    private Countdown(TimeProvider clock, Func<Task> tick)
    {
        _tick = tick;
        _timer = clock.CreateTimer(_ => _ = TickAsync(), null, Interval, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The tick runs on the caller's own terms (pages pass <c>() => InvokeAsync(...)</c>).</summary>
    public static Countdown Start(TimeProvider clock, Func<Task> tick) => new(clock, tick);

    private async Task TickAsync()
    {
        try
        {
            await _tick();
        }
        finally
        {
            _timer.Change(Interval, Timeout.InfiniteTimeSpan);
        }
    }

    public void Dispose() => _timer.Dispose();
}
