using System.Diagnostics;

namespace TicketPortal.Tests.Support;

/// <summary>Waits for a condition, polling, and fails the test when it has not held within the limit.</summary>
public static class Eventually
{
    public static async Task HoldsAsync(Func<Task<bool>> condition, string what, int seconds = 10)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(seconds), $"{what} did not happen within {seconds} seconds.");
            await Task.Delay(20);
        }
    }
}
