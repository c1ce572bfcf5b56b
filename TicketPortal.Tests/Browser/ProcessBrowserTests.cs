using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace TicketPortal.Tests.Browser;

/// <summary>For each process, the step a person does most, done in the browser.</summary>
public sealed class ProcessBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private async Task<int> CreateAsync(string email, string project, string tracker, string title)
    {
        using var api = await browser.ApiAsAsync(email);
        var response = await api.PostAsJsonAsync("/api/tickets", new { project, tracker, title, description = "Prepared by the test." });
        response.EnsureSuccessStatusCode();
        return (int)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["number"]!;
    }

    private async Task MoveAsync(string email, int number, string transition, string? comment = null, object? fields = null)
    {
        using var api = await browser.ApiAsAsync(email);
        (await api.PostAsJsonAsync($"/api/tickets/{number}/transitions", new { transition, comment, fields })).EnsureSuccessStatusCode();
    }

    private async Task<IPage> OpenAsync(string email, int number)
    {
        var page = await browser.SignInAsync(email);
        await page.GotoAsync($"/tickets/{number}");
        await Expect(page.Locator("[data-testid=status]")).ToBeVisibleAsync();
        return page;
    }

    private static async Task TakeAsync(IPage page, string step, string? comment = null)
    {
        await page.Locator("[data-testid=transitions]").GetByRole(AriaRole.Button, new() { Name = step }).ClickAsync();
        if (comment is not null)
        {
            await page.Locator("textarea[data-testid=transition-comment], [data-testid=transition-comment] textarea").First.FillAsync(comment);
        }
    }

    private static async Task ChooseAsync(IPage page, string option)
    {
        var select = page.Locator(".mud-dialog .mud-select").First;
        await select.ClickAsync();
        await page.Locator(".mud-popover-open").GetByText(option, new() { Exact = true }).ClickAsync();
        await Expect(select.Locator("input").First).ToHaveValueAsync(option);
        await Expect(page.Locator(".mud-popover-open")).ToHaveCountAsync(0);
    }

    private static Task SubmitAsync(IPage page) => page.Locator("[data-testid=transition-submit]").ClickAsync();

    [Fact]
    [Trait("Process", "change-board")]
    public async Task ItDirector_RejectsWithAReasonInTheDialog()
    {
        var number = await CreateAsync("member@demo.local", "CHG", "Change", "Rewrite everything in COBOL");
        var page = await OpenAsync("itdirector@demo.local", number);

        await TakeAsync(page, "Reject");
        await ChooseAsync(page, "idea");
        await SubmitAsync(page);
        await Expect(page.Locator("[data-testid=transition-error]")).ToContainTextAsync("Fill in the required fields");
        await page.Locator("textarea[data-testid=transition-comment], [data-testid=transition-comment] textarea").First.FillAsync("Not a fit for our stack.");
        await SubmitAsync(page);

        await Expect(page.Locator("[data-testid=status]")).ToHaveTextAsync("Rejected");
        await Expect(page.Locator("[data-testid=journal]")).ToContainTextAsync("Not a fit for our stack.");
    }

    [Fact]
    [Trait("Process", "triage-ownership")]
    public async Task Engineer_TakesOwnershipOfAnApprovedTicket()
    {
        var number = await CreateAsync("member@demo.local", "TRI", "Incident", "Shared drive is read-only");
        await MoveAsync("lead@demo.local", number, "approve", "Support work.");
        var page = await OpenAsync("engineer2@demo.local", number);

        await TakeAsync(page, "Take ownership");
        await SubmitAsync(page);

        await Expect(page.Locator("[data-testid=status]")).ToHaveTextAsync("In progress");
        await Expect(page.Locator("[data-testid=assignee]")).ToContainTextAsync("Emma Engineer");
    }

    [Fact]
    [Trait("Process", "qa-verify")]
    public async Task Customer_ClosesAVerifiedTicket()
    {
        var number = await CreateAsync("customer@demo.local", "QAV", "Defect", "Dates shown in UTC");
        await MoveAsync("support@demo.local", number, "assign");
        await MoveAsync("support@demo.local", number, "qa-pending", null, new { buildNumber = "2026.12.3" });
        await MoveAsync("support@demo.local", number, "verify");
        var page = await OpenAsync("customer@demo.local", number);

        await TakeAsync(page, "Close");
        await SubmitAsync(page);

        await Expect(page.Locator("[data-testid=status]")).ToHaveTextAsync("Closed");
        await Expect(page.Locator("[data-testid=transitions]").GetByRole(AriaRole.Button, new() { Name = "Reopen" })).ToBeVisibleAsync();
    }

    [Fact]
    [Trait("Process", "support-gatekeeper")]
    public async Task Support_CopiesATicketToInternal()
    {
        var number = await CreateAsync("customer@demo.local", "SUP", "Support", "Import wizard hangs");
        var page = await OpenAsync("support@demo.local", number);

        await TakeAsync(page, "Copy to Internal");
        await SubmitAsync(page);

        await Expect(page.Locator("[data-testid=journal]")).ToContainTextAsync("link: related #");
        await Expect(page.Locator("[data-testid=status]")).ToHaveTextAsync("New");
    }

    [Fact]
    [Trait("Process", "timer-review")]
    public async Task Staff_AssignsThemselves()
    {
        var number = await CreateAsync("member@demo.local", "TMR", "Request", "Projector in room 4 flickers");
        var page = await OpenAsync("staff2@demo.local", number);

        await TakeAsync(page, "Assign to me");
        await SubmitAsync(page);

        await Expect(page.Locator("[data-testid=status]")).ToHaveTextAsync("In progress");
        await Expect(page.Locator("[data-testid=assignee]")).ToContainTextAsync("Stan Staff");
    }
}
