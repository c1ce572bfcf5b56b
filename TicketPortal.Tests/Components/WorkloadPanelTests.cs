using Bunit;
using TicketPortal.Components.Pages.Tickets;
using TicketPortal.Domain.People;
using TicketPortal.Domain.Tickets;

namespace TicketPortal.Tests.Components;

public sealed class WorkloadPanelTests : PortalComponentContext
{
    private Task MoveAsync(Viewer viewer, int number, string transition, string? comment = null) =>
        Tickets.TransitionAsync(number, new TakeTransition(transition, comment, new Dictionary<string, string>(), null), viewer);

    [Fact]
    public async Task ShowsWhoHoldsHowMany_AndFlagsTheOneOverTheWipLimitInRed()
    {
        await Database.AddProjectAsync("TRI", "triage-ownership");
        var lead = await Database.AddUserAsync("lead@test.local", "TRI:operations-lead");
        var eric = await Database.AddUserAsync("eric@test.local", "TRI:engineer");
        await Database.AddUserAsync("emma@test.local", "TRI:engineer");
        var requester = await Database.AddUserAsync("req@test.local", "TRI:member");
        await using (var context = Database.CreateDbContext())
        {
            context.Groups.Add(new Group("IT Digital", [eric.UserId]));
            await context.SaveChangesAsync();
        }
        for (var i = 0; i < 4; i++)
        {
            var ticket = await Tickets.CreateAsync(new CreateTicket("TRI", "Request", $"Request {i}", null, null, null), requester);
            await MoveAsync(lead, ticket.Number, "approve", "Support work.");
            await MoveAsync(eric, ticket.Number, "take-ownership", i == 3 ? "Emma is off sick; this cannot wait." : null);
        }
        SignIn(lead, "lead@test.local");

        var panel = Render<WorkloadPanel>(p => p.Add(x => x.Project, "TRI"));

        panel.WaitForAssertion(() => Assert.Equal("Workload: 1 over the WIP limit", panel.Find("summary").TextContent));
        Assert.Contains("mud-error-text", panel.Find("summary").ClassName);
        var over = panel.Find("[data-testid='workload-eric@test.local']");
        Assert.Contains("4 / 3", over.TextContent);
        Assert.Contains("over the WIP limit", over.TextContent);
        Assert.DoesNotContain("over the WIP limit", panel.Find("[data-testid='workload-emma@test.local']").TextContent);
    }
}
