using System.Diagnostics;

namespace TicketPortal.Tests.Support;

/// <summary>Waits for a condition, polling, and fails the test when it has not held within the limit.</summary>
public static class Eventually
{
    /// <param name="explain">What the failure message adds about the state seen last, e.g. what was there instead.</param>
    public static async Task HoldsAsync(Func<Task<bool>> condition, string what, int seconds = 10, Func<string>? explain = null)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed >= TimeSpan.FromSeconds(seconds))
            {
                Assert.Fail($"{what} did not happen within {seconds} seconds.{(explain is null ? "" : " " + explain())}");
            }
            await Task.Delay(20);
        }
    }
}
