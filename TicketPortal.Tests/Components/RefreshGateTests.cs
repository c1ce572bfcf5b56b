using TicketPortal.Components.Shared;

namespace TicketPortal.Tests.Components;

public sealed class RefreshGateTests
{
    [Fact]
    public async Task ABurstOfRequests_WhileAReloadRuns_GivesOneMoreReload_NotOneEach()
    {
        var reloads = 0;
        var firstRunning = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        var gate = new RefreshGate(async () =>
        {
            reloads++;
            if (reloads == 1)
            {
                firstRunning.SetResult();
                await release.Task;
            }
        });

        var first = gate.RequestAsync();
        await firstRunning.Task;
        var burst = Enumerable.Range(0, 999).Select(_ => gate.RequestAsync()).ToList();
        release.SetResult();
        await Task.WhenAll(burst.Append(first));

        Assert.Equal(2, reloads);
        Assert.All(burst, b => Assert.True(b.IsCompletedSuccessfully));
    }

    [Fact]
    public async Task RequestsAfterAReloadEnded_EachReloadAgain()
    {
        var reloads = 0;
        var gate = new RefreshGate(() =>
        {
            reloads++;
            return Task.CompletedTask;
        });

        await gate.RequestAsync();
        await gate.RequestAsync();

        Assert.Equal(2, reloads);
    }
}
