using Microsoft.Extensions.Logging.Abstractions;
using TicketPortal.Domain.People;
using TicketPortal.Domain.Tickets;
using TicketPortal.Jobs;
using TicketPortal.Tests.Support;

namespace TicketPortal.Tests.Domain;

/// <summary>The hosted job behind time-in-status automations, driven by fake time, stopped and started again.</summary>
public sealed class AutomationJobTests : IAsyncLifetime
{
    private TestDatabase _db = default!;
    private Viewer _support = default!;
    private Viewer _customer = default!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        await _db.AddProjectAsync("QAV", "qa-verify");
        _support = await _db.AddUserAsync("support@x.test", "QAV:support");
        _customer = await _db.AddUserAsync("customer@x.test", "QAV:customer");
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private async Task<int> VerifiedTicketAsync()
    {
        var ticket = await _db.Tickets.CreateAsync(new CreateTicket("QAV", "Defect", "Rounding", null, null, null), _customer);
        foreach (var (step, fields) in new[] { ("assign", new Dictionary<string, string>()), ("qa-pending", new() { ["buildNumber"] = "7" }), ("verify", []) })
        {
            await _db.Tickets.TransitionAsync(ticket.Number, new TakeTransition(step, null, fields, null), _support);
        }
        return ticket.Number;
    }

    private async Task<string> StatusAsync(int number) => (await _db.Tickets.GetAsync(number, _support)).Status;

    [Fact]
    public async Task ClosesTicketsThatFellDueWhileTheJobWasStopped_Once()
    {
        var number = await VerifiedTicketAsync();
        var first = new AutomationJob(_db.Tickets, _db.Clock, NullLogger<AutomationJob>.Instance);
        await first.StartAsync(CancellationToken.None);
        await first.StopAsync(CancellationToken.None);
        var beforeDue = await StatusAsync(number);

        _db.Clock.Advance(TimeSpan.FromDays(31));
        var restarted = new AutomationJob(_db.Tickets, _db.Clock, NullLogger<AutomationJob>.Instance);
        await restarted.StartAsync(CancellationToken.None);
        await Eventually.HoldsAsync(async () => await StatusAsync(number) == "Closed", "Closing the verified ticket");
        var changesAfterClosing = _db.Events.Changes.Count;
        _db.Clock.Advance(AutomationJob.Interval);
        _db.Clock.Advance(AutomationJob.Interval);
        await restarted.StopAsync(CancellationToken.None);

        Assert.Equal("Verified", beforeDue);
        Assert.Equal(changesAfterClosing, _db.Events.Changes.Count);
        var journal = (await _db.Tickets.GetAsync(number, _support)).Journal;
        Assert.Single(journal, j => j.Changes.Any(c => c is { Field: "status", New: "Closed" }));
    }
}
