using System.Net.Http.Json;
using System.Text.Json.Nodes;
using static Microsoft.Playwright.Assertions;

namespace TicketPortal.Tests.Browser;

public sealed class QueueBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task AnEngineerOpensTheGroupsQueue_AndANewIncidentAppearsOnIt()
    {
        var page = await browser.SignInAsync("engineer1@demo.local");
        await page.GotoAsync("/queues");
        await page.GetByText("IT Digital (2 members)").ClickAsync();
        await Expect(page.Locator("h1")).ToContainTextAsync("IT Digital");

        using var api = await browser.ApiAsAsync("member@demo.local");
        var response = await api.PostAsJsonAsync("/api/tickets", new { project = "TRI", tracker = "Incident", title = "Wall screen is blank" });
        response.EnsureSuccessStatusCode();
        var number = (int)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["number"]!;

        await Expect(page.Locator($"[data-testid=unassigned] [data-testid=card-{number}]")).ToContainTextAsync("Wall screen is blank");
    }
}
