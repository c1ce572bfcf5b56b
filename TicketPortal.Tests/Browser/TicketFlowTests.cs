using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace TicketPortal.Tests.Browser;

public sealed partial class TicketFlowTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task SignIn_CreateATicket_TakeATransition_AndSeeItInTheJournal()
    {
        var page = await browser.SignInAsync("itdirector@demo.local");
        await Expect(page.GetByText("CHG · Change board")).ToBeVisibleAsync();

        await page.GotoAsync("/projects/CHG/new");
        await page.Locator("[data-testid=new-title]").FillAsync("Add a PDF export");
        await page.Locator("textarea[data-testid=new-description], [data-testid=new-description] textarea").First.FillAsync("Finance wants **PDF**.");
        await Expect(page.Locator("[data-testid=new-title]")).ToHaveValueAsync("Add a PDF export");
        await page.Locator("[data-testid=new-submit]").ClickAsync();
        await browser.WaitForUrlAsync(page, TicketUrl());
        await Expect(page.Locator("[data-testid=status]")).ToHaveTextAsync("Ticket");

        await page.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
        await page.Locator("[data-testid=transition-submit]").ClickAsync();
        await Expect(page.Locator("[data-testid=transition-error]")).ToContainTextAsync("Fill in the required fields");
        var label = page.Locator(".mud-dialog .mud-select").First;
        await label.ClickAsync();
        await page.Locator(".mud-popover-open").GetByText("bug", new() { Exact = true }).ClickAsync();
        await Expect(label.Locator("input").First).ToHaveValueAsync("bug");
        await Expect(page.Locator(".mud-popover-open")).ToHaveCountAsync(0);
        await page.Locator("[data-testid=transition-submit]").ClickAsync();

        await Expect(page.Locator("[data-testid=status]")).ToHaveTextAsync("Approved");
        await Expect(page.Locator("[data-testid=journal]")).ToContainTextAsync("status: Ticket → Approved");
        await Expect(page.Locator("[data-testid=journal]")).ToContainTextAsync("labels: bug");
        await Expect(page.Locator(".markdown strong").First).ToHaveTextAsync("PDF");
    }

    [Fact]
    public async Task TicketList_ShowsTheProjectsTicketsAndOpensOne()
    {
        var page = await browser.SignInAsync("itdirector@demo.local");

        await page.GotoAsync("/projects/CHG/tickets");
        await page.GetByText("Login page shows the wrong logo").ClickAsync();

        await browser.WaitForUrlAsync(page, TicketUrl());
        await Expect(page.Locator("[data-testid=status]")).ToHaveTextAsync("Approved");
    }

    [GeneratedRegex(@"/tickets/\d+$")]
    private static partial Regex TicketUrl();
}
