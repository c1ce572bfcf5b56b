using static Microsoft.Playwright.Assertions;

namespace TicketPortal.Tests.Browser;

public sealed class ReleaseBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task TheItDirectorPublishesARelease_AndAnyoneReadsItOnThePublicPage()
    {
        var page = await browser.SignInAsync("itdirector@demo.local");
        await page.GotoAsync("/releases");
        var form = page.Locator("[data-testid=new-release]");
        await form.GetByLabel("Version").FillAsync("3.1.0");
        await form.GetByLabel("Name (optional)").FillAsync("Ledger");
        var goLive = await form.GetByLabel("Go-live date").InputValueAsync();
        await page.GetByTestId("create-release").ClickAsync();

        var vat = page.GetByTestId("entry-5");
        await Expect(vat).ToContainTextAsync("VAT total off by a cent");
        await vat.GetByLabel("Release note").FillAsync("VAT is rounded per line for @finance.");
        await Expect(page.GetByTestId("release-preview")).ToContainTextAsync("VAT is rounded per line for @finance.");
        await Expect(page.GetByTestId("release-preview").Locator(".hint-warning")).ToContainTextAsync("Simpler purchase request form");
        await page.GetByTestId("publish").ClickAsync();

        await Expect(page.GetByTestId("publish-result")).ToContainTextAsync("3 ticket(s) completed");
        await Expect(page.GetByTestId("commit-link")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[0-9a-f]{7}$"));
        await Expect(page.GetByTestId("release-state")).ToHaveTextAsync("Published");

        var reader = await browser.Browser.NewPageAsync(new() { BaseURL = browser.BaseUrl });
        await reader.GotoAsync("/release-notes");
        await reader.GetByTestId("release-3.1.0").GetByRole(Microsoft.Playwright.AriaRole.Link).ClickAsync();
        var notes = reader.GetByTestId("release-notes");
        await Expect(notes.Locator("h1")).ToHaveTextAsync($"3.1.0 — Ledger ({goLive})");
        await Expect(notes.Locator(".hint-warning")).ToContainTextAsync("Simpler purchase request form");
        await Expect(notes).ToContainTextAsync("VAT is rounded per line for @finance.");
        await reader.CloseAsync();
    }
}
