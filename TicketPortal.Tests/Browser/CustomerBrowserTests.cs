using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using MimeKit;
using TicketPortal.Tests.Api;
using TicketPortal.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace TicketPortal.Tests.Browser;

/// <summary>The customer's side of the mail loop: the link in the confirmation mail opens their ticket page, no sign-in.</summary>
public sealed class CustomerBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private async Task MoveAsync(HttpClient staff, int number, string transition, object? fields = null) =>
        (await staff.PostAsJsonAsync($"/api/tickets/{number}/transitions", new { transition, fields })).EnsureSuccessStatusCode();

    [Fact]
    [Trait("Process", "qa-verify")]
    public async Task ACustomer_OpensTheLinkFromTheMail_Answers_AndClosesTheVerifiedTicket()
    {
        var customer = new MailboxAddress("Paula Plant", $"paula-{Guid.NewGuid():N}@plant.example");
        var messageId = TestMail.NewMessageId();
        using var mta = new HttpClient { BaseAddress = new Uri(browser.BaseUrl) };
        mta.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", PortalFactory.BootstrapToken);
        var delivered = await mta.PostAsync("/api/mail/inbound",
            new ByteArrayContent(TestMail.Raw(customer, "qa@ticketportal.local", "Totals differ between PDF and screen", "The PDF shows 10.01.", messageId)));
        Assert.Equal(HttpStatusCode.Accepted, delivered.StatusCode);
        var number = (int)JsonNode.Parse(await delivered.Content.ReadAsStringAsync())!["ticketNumber"]!;
        var link = Pickup.CustomerLinkIn(await Pickup.AnswerToAsync(Path.Combine(browser.DataDirectory, "mail", "pickup"), messageId));
        var secret = link.Segments[^1];
        using var support = await browser.ApiAsAsync("support@demo.local");
        await MoveAsync(support, number, "assign");
        await MoveAsync(support, number, "qa-pending", new { buildNumber = "2026.12.4" });
        await MoveAsync(support, number, "verify");
        await using var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = browser.BaseUrl });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();

        await page.GotoAsync(link.ToString());
        await browser.WaitForUrlAsync(page, new Regex($"^{Regex.Escape(browser.BaseUrl)}/my/tickets/{number}$"));
        Assert.DoesNotContain(secret, page.Url, StringComparison.Ordinal);
        await Expect(page.GetByTestId("status")).ToHaveTextAsync("Verified");
        await Expect(page.GetByText("Totals differ between PDF and screen")).ToBeVisibleAsync();
        // Staff by name, never by address.
        await Expect(page.GetByText("handled by Sam Support")).ToBeVisibleAsync();
        Assert.DoesNotContain("@demo.local", await page.ContentAsync(), StringComparison.OrdinalIgnoreCase);
        await page.Locator("textarea[data-testid=reply], [data-testid=reply] textarea").First.FillAsync("Confirmed fixed in 2026.12.4, thank you!");
        await page.GetByTestId("send").ClickAsync();
        await Expect(page.GetByTestId("journal")).ToContainTextAsync("Confirmed fixed in 2026.12.4, thank you!");
        await page.GetByTestId("transitions").GetByRole(AriaRole.Button, new() { Name = "Close" }).ClickAsync();

        await Expect(page.GetByTestId("status")).ToHaveTextAsync("Closed");
        await Expect(page.GetByTestId("transitions").GetByRole(AriaRole.Button, new() { Name = "Reopen" })).ToBeVisibleAsync();
        var journal = JsonNode.Parse(await support.GetStringAsync($"/api/tickets/{number}"))!["journal"]!.AsArray();
        var reply = Assert.Single(journal, j => (string?)j!["text"] == "Confirmed fixed in 2026.12.4, thank you!")!;
        Assert.Equal(customer.Address, (string)reply["author"]!);
        Assert.False((bool)reply["internal"]!);
    }
}
