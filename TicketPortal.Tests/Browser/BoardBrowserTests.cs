using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace TicketPortal.Tests.Browser;

public sealed class BoardBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private async Task<int> CreateAsync(string title)
    {
        using var api = await browser.ApiAsAsync("member@demo.local");
        var response = await api.PostAsJsonAsync("/api/tickets", new { project = "TMR", tracker = "Request", title });
        response.EnsureSuccessStatusCode();
        return (int)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["number"]!;
    }

    private async Task<IPage> BoardAsync(string email)
    {
        var page = await browser.SignInAsync(email);
        await page.GotoAsync("/projects/TMR/board");
        await Expect(page.Locator("[data-testid=board]")).ToBeVisibleAsync();
        return page;
    }

    [Fact]
    public async Task ACardDraggedInOneBrowser_MovesInTheOther()
    {
        var number = await CreateAsync("Whiteboard pens are dry");
        var stella = await BoardAsync("staff1@demo.local");
        var stan = await BoardAsync("staff2@demo.local");
        var card = $"[data-testid=card-{number}]";
        await Expect(stan.Locator($"[data-column=New] {card}")).ToBeVisibleAsync();

        await stella.Locator(card).DragToAsync(stella.Locator("[data-column='In progress'] .board-zone"));

        await Expect(stan.Locator($"[data-column='In progress'] {card}")).ToBeVisibleAsync();
        await Expect(stan.Locator(card)).ToContainTextAsync("Stella Staff");
        await Expect(stan.Locator(card).Locator("[data-testid=sla-chip]")).ToContainTextAsync("resolution");
    }

    [Fact]
    public async Task ADropWithNoStepToThatColumn_IsRefusedWithTheReason_AndTheCardStays()
    {
        var number = await CreateAsync("Chair squeaks");
        var stan = await BoardAsync("staff2@demo.local");
        var card = $"[data-testid=card-{number}]";

        await stan.Locator(card).DragToAsync(stan.Locator("[data-column='Peer review'] .board-zone"));

        await Expect(stan.Locator(".mud-snackbar")).ToContainTextAsync("no step you may take moves it from New to Peer review");
        await Expect(stan.Locator($"[data-column=New] {card}")).ToBeVisibleAsync();
    }
}
