using Bunit;
using TicketPortal.Components.Pages.Queues;
using TicketPortal.Domain.People;
using TicketPortal.Domain.Tickets;

namespace TicketPortal.Tests.Components;

public sealed class QueuePageTests : PortalComponentContext
{
    private Viewer _engineer = default!;
    private Viewer _requester = default!;
    private int _groupId;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await Database.AddProjectAsync("TRI", "triage-ownership");
        _engineer = await Database.AddUserAsync("eng@test.local", "TRI:engineer");
        _requester = await Database.AddUserAsync("req@test.local", "TRI:member");
        await using var context = Database.CreateDbContext();
        var group = new Group("IT Digital", [_engineer.UserId]);
        context.Groups.Add(group);
        await context.SaveChangesAsync();
        _groupId = group.Id;
    }

    [Fact]
    public async Task ShowsTheGroupsQueue_AndANewTicketAppearsWithoutAReload()
    {
        await Tickets.CreateAsync(new CreateTicket("TRI", "Incident", "VPN drops", null, null, null), _requester);
        SignIn(_engineer, "eng@test.local");

        var page = Render<QueuePage>(p => p.Add(x => x.Id, _groupId));
        page.WaitForAssertion(() => Assert.Contains("IT Digital", page.Find("h1").TextContent));
        var printer = await Tickets.CreateAsync(new CreateTicket("TRI", "Incident", "Printer jams", null, null, null), _requester);

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=unassigned] .board-card").Count));
        Assert.Contains("Printer jams", page.Find($"[data-testid=unassigned] [data-testid=card-{printer.Number}]").TextContent);
        Assert.Contains("No clock runs out soon.", page.Find("[data-testid=breaching-soon]").TextContent);
    }

    [Fact]
    public void SaysWhyWhenTheViewerIsNotInTheGroup()
    {
        SignIn(_requester, "req@test.local");

        var page = Render<QueuePage>(p => p.Add(x => x.Id, _groupId));

        page.WaitForAssertion(() => Assert.Contains("Only members of IT Digital watch its queue.", page.Find(".mud-alert").TextContent));
    }
}
