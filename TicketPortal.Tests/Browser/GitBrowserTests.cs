using System.Net.Http.Json;
using System.Text.Json.Nodes;
using TicketPortal.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace TicketPortal.Tests.Browser;

public sealed class GitBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task AnAdminAddsARepository_ACommitThatFixesADefectMovesIt_AndTheTicketPageListsTheCommit()
    {
        using var repo = new TestRepository();
        using var customer = await browser.ApiAsAsync("customer@demo.local");
        var created = await customer.PostAsJsonAsync("/api/tickets", new { project = "QAV", tracker = "Defect", title = "Totals are off by one" });
        var number = (int)JsonNode.Parse(await created.Content.ReadAsStringAsync())!["number"]!;
        using var support = await browser.ApiAsAsync("support@demo.local");
        (await support.PostAsJsonAsync($"/api/tickets/{number}/transitions", new { transition = "assign" })).EnsureSuccessStatusCode();

        var page = await browser.SignInAsync("admin@ticketportal.local");
        await page.GotoAsync("/admin/repositories");
        var form = page.Locator("[data-testid=repository-form]");
        await form.GetByLabel("Name").FillAsync("shop");
        await form.GetByLabel("Path").FillAsync(repo.Path);
        await form.GetByLabel("Commit URL (optional)").FillAsync("https://git.example.test/shop/commit/{sha}");
        await page.GetByTestId("save-repository").ClickAsync();
        await Expect(page.GetByTestId("repositories")).ToContainTextAsync("shop");
        await page.GetByTestId("scan").ClickAsync();
        await Expect(page.GetByTestId("scan-result")).ToContainTextAsync("Read");
        var fix = repo.Commit($"Count from zero\n\nFixes #{number}");
        repo.Tag("build-77");
        await page.GetByTestId("scan").ClickAsync();
        await Expect(page.GetByTestId("scan-result")).ToContainTextAsync("1 step(s) taken");

        await page.GotoAsync($"/tickets/{number}");

        await Expect(page.GetByTestId("status")).ToHaveTextAsync("QA Pending");
        await Expect(page.GetByTestId($"commit-{fix[..7]}")).ToContainTextAsync("close: moved to QA Pending");
        await Expect(page.GetByTestId($"commit-{fix[..7]}").Locator("a")).ToHaveAttributeAsync("href", $"https://git.example.test/shop/commit/{fix}");
    }
}
