using TicketPortal.Domain;
using TicketPortal.Domain.People;
using TicketPortal.Domain.Tickets;
using TicketPortal.Tests.Support;

namespace TicketPortal.Tests.Domain;

/// <summary>A group's wall-screen queue over real tickets of the triage preset (daily-update clock: one working day).</summary>
public sealed class QueueServiceTests : IAsyncLifetime
{
    private TestDatabase _db = default!;
    private Viewer _engineer = default!;
    private Viewer _lead = default!;
    private Viewer _requester = default!;
    private int _groupId;

    private QueueService Queues => new(_db, TestDatabase.Catalog, _db.Clock);

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        await _db.AddProjectAsync("TRI", "triage-ownership");
        _engineer = await _db.AddUserAsync("eng@x.test", "TRI:engineer");
        _lead = await _db.AddUserAsync("lead@x.test", "TRI:operations-lead");
        _requester = await _db.AddUserAsync("req@x.test", "TRI:member");
        await using var context = _db.CreateDbContext();
        var group = new Group("IT Digital", [_engineer.UserId, _requester.UserId]);
        context.Groups.Add(group);
        await context.SaveChangesAsync();
        _groupId = group.Id;
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private async Task<int> CreateAsync(string title) =>
        (await _db.Tickets.CreateAsync(new CreateTicket("TRI", "Incident", title, null, null, null), _requester)).Number;

    [Fact]
    public async Task ListsTheGroupsUnownedTicketsOldestFirst_AndThoseAboutToBreachMostUrgentFirst()
    {
        var vpn = await CreateAsync("VPN drops");
        _db.Clock.Advance(TimeSpan.FromHours(1));
        var mail = await CreateAsync("Mail is slow");

        var fresh = await Queues.QueueAsync(_groupId, _engineer);
        await _db.Tickets.TransitionAsync(mail, new TakeTransition("approve", "Go ahead.", new Dictionary<string, string>(), null), _lead);
        await _db.Tickets.TransitionAsync(mail, new TakeTransition("take-ownership", null, new Dictionary<string, string>(), null), _engineer);
        _db.Clock.Advance(TimeSpan.FromHours(5.5));
        var afternoon = await Queues.QueueAsync(_groupId, _engineer);
        _db.Clock.Advance(TimeSpan.FromHours(2));
        var evening = await Queues.QueueAsync(_groupId, _engineer);

        Assert.Equal("IT Digital", fresh.Group);
        Assert.Equal([vpn, mail], fresh.Unassigned.Select(c => c.Number));
        Assert.Empty(fresh.BreachingSoon);
        Assert.Equal([vpn], afternoon.Unassigned.Select(c => c.Number));
        Assert.Equal([vpn], afternoon.BreachingSoon.Select(c => c.Number));
        Assert.Equal(TimeSpan.FromHours(1.5), afternoon.BreachingSoon[0].Sla!.Remaining);
        Assert.Equal([vpn, mail], evening.BreachingSoon.Select(c => c.Number));
        Assert.True(evening.BreachingSoon[0].Sla!.Breached);
        Assert.Equal("eng", evening.BreachingSoon[1].Assignee!.Name);
    }

    [Fact]
    public async Task AGroupMemberWhoIsNotStaffSeesNothing_AnOutsiderIsRefused_AndAnUnknownGroupIsNotFound()
    {
        await CreateAsync("VPN drops");

        var customer = await Queues.QueueAsync(_groupId, _requester);
        var outsider = await Assert.ThrowsAsync<DomainException>(() => Queues.QueueAsync(_groupId, _lead));
        var unknown = await Assert.ThrowsAsync<DomainException>(() => Queues.QueueAsync(_groupId + 1, _engineer));
        var admin = await Queues.QueueAsync(_groupId, new Viewer(_lead.UserId, IsAdmin: true));

        Assert.Empty(customer.Unassigned);
        Assert.Equal(DomainErrorKind.Forbidden, outsider.Kind);
        Assert.Equal(DomainErrorKind.NotFound, unknown.Kind);
        Assert.Single(admin.Unassigned);
    }

    [Fact]
    public async Task ListsOnlyTheViewersGroups_AndEveryGroupForAnAdmin()
    {
        await using (var context = _db.CreateDbContext())
        {
            context.Groups.Add(new Group("Network", [_lead.UserId]));
            await context.SaveChangesAsync();
        }

        var engineer = await Queues.GroupsAsync(_engineer);
        var admin = await Queues.GroupsAsync(new Viewer(_engineer.UserId, IsAdmin: true));

        Assert.Equal([("IT Digital", 2)], engineer.Select(g => (g.Name, g.Members)));
        Assert.Equal(["IT Digital", "Network"], admin.Select(g => g.Name));
    }
}
