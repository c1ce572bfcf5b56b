using System.Security.Claims;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using MimeKit;
using MudBlazor;
using TicketPortal.Auth;
using TicketPortal.Components.Pages.Admin;
using TicketPortal.Components.Pages.Customer;
using TicketPortal.Domain.Mail;
using TicketPortal.Domain.People;
using TicketPortal.Domain.Tickets;
using TicketPortal.Tests.Support;

namespace TicketPortal.Tests.Components;

/// <summary>The customer's ticket page, as a customer who came by the link in a mail sees it; and the admins' mail quarantine.</summary>
public sealed class CustomerPageTests : PortalComponentContext
{
    private Viewer _support = default!;
    private Viewer _customer = default!;
    private int _number;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await Database.AddProjectAsync("QAV", "qa-verify");
        _support = await Database.AddUserAsync("support@test.local", "QAV:support");
        _customer = await Database.AddUserAsync("carla@test.local", "QAV:customer");
        _number = (await Tickets.CreateAsync(new CreateTicket("QAV", "Defect", "Totals are off by one cent", "Invoice 118 shows 10.01.", null, null), _customer)).Number;
        await Tickets.AddNoteAsync(_number, "Internal: the rounding code is ours, do not blame the bank.", isInternal: true, null, _support);
        await Tickets.AddNoteAsync(_number, "We found the cause and are fixing it.", isInternal: false, null, _support);
        await Tickets.TransitionAsync(_number, new TakeTransition("assign", null, new Dictionary<string, string>(), null), _support);
        await Tickets.TransitionAsync(_number, new TakeTransition("qa-pending", null, new Dictionary<string, string> { ["buildNumber"] = "2026.12.3" }, null), _support);
        await Tickets.TransitionAsync(_number, new TakeTransition("verify", null, new Dictionary<string, string>(), null), _support);
    }

    /// <summary>Signed in the way /c/{secret} signs a customer in: a link session scoped to the one ticket.</summary>
    private void SignInByLink() =>
        AddAuthorization().SetAuthorized("carla@test.local").SetClaims(
                new Claim(ClaimTypes.NameIdentifier, _customer.UserId),
                new Claim(PortalClaims.Admin, "false"),
                new Claim(CustomerLinks.LinkClaim, $"1:{_number}"))
            // After the claims: setting them builds the principal anew with bUnit's own authentication type.
            .SetAuthenticationType(CustomerLinks.Scheme);

    private IRenderedComponent<CustomerTicket> RenderPage()
    {
        SignInByLink();
        var page = Render<CustomerTicket>(p => p.Add(x => x.Number, _number));
        page.WaitForAssertion(() => Assert.Equal("Verified", page.Find("[data-testid=status]").TextContent.Trim()));
        return page;
    }

    private static void Type(IRenderedComponent<CustomerTicket> page, string text) =>
        page.Find("textarea[data-testid=reply], [data-testid=reply] textarea").Input(text);

    [Fact]
    public void ShowsThePublicEntriesAndFields_AndNotTheInternalNote()
    {
        var page = RenderPage();

        var journal = page.Find("[data-testid=journal]").TextContent;
        Assert.Contains("We found the cause and are fixing it.", journal);
        Assert.DoesNotContain("rounding code", page.Markup);
        Assert.Contains("2026.12.3", page.Markup);
        Assert.Equal(["Close", "Reopen"], page.FindAll("[data-testid=transitions] button").Select(b => b.TextContent.Trim()));
    }

    [Fact]
    public async Task SendingAnEmptyAnswer_SaysWhatIsMissing_AndChangesNothing()
    {
        var before = await Tickets.GetAsync(_number, _support);
        var page = RenderPage();
        Type(page, "   ");

        page.Find("[data-testid=send]").Click();

        page.WaitForAssertion(() => Assert.Contains("Write an answer or add a file first.", page.Find("[data-testid=error]").TextContent));
        var after = await Tickets.GetAsync(_number, _support);
        Assert.Equal(before.Version, after.Version);
        Assert.Equal(before.Journal.Count, after.Journal.Count);
    }

    [Fact]
    public async Task AnAnswer_IsSavedAsAPublicNoteByTheCustomer_AndShown()
    {
        var page = RenderPage();
        Type(page, "It still happens with invoice 119.");

        page.Find("[data-testid=send]").Click();

        page.WaitForAssertion(() => Assert.Contains("It still happens with invoice 119.", page.Find("[data-testid=journal]").TextContent));
        Assert.Empty(page.FindAll("[data-testid=error]"));
        var stored = (await Tickets.GetAsync(_number, _support)).Journal[^1];
        Assert.Equal("It still happens with invoice 119.", stored.Text);
        Assert.Equal("carla@test.local", stored.Author);
        Assert.False(stored.Internal);
    }

    [Fact]
    public async Task ATransitionButton_TakesTheStep_WithWhatWasTypedAsItsComment()
    {
        var page = RenderPage();
        Type(page, "Works now, thanks.");

        page.FindAll("[data-testid=transitions] button").Single(b => b.TextContent.Trim() == "Close").Click();

        page.WaitForAssertion(() => Assert.Equal("Closed", page.Find("[data-testid=status]").TextContent.Trim()));
        var stored = await Tickets.GetAsync(_number, _support);
        Assert.Equal("Closed", stored.Status);
        var step = stored.Journal[^1];
        Assert.Equal("Works now, thanks.", step.Text);
        Assert.Equal("carla@test.local", step.Author);
        Assert.Contains(step.Changes, c => c is { Field: "status", Old: "Verified", New: "Closed" });
    }

    [Fact]
    public async Task ALinkSession_ForAnotherTicketOfTheSameCustomer_ShowsNotFound()
    {
        SignInByLink();
        var other = await Tickets.CreateAsync(new CreateTicket("QAV", "Defect", "Another problem", null, null, null), _customer);

        var page = Render<CustomerTicket>(p => p.Add(x => x.Number, other.Number));

        page.WaitForAssertion(() => Assert.Contains("not found", page.Find("[data-testid=load-error]").TextContent));
        Assert.DoesNotContain("Another problem", page.Markup);
    }

    [Fact]
    public async Task TheQuarantine_ListsAMessageWithItsReason_AndReprocessingItIntoAProjectFilesItAsATicket()
    {
        await Database.AddProjectAsync("SUP", "support-gatekeeper");
        var admin = await Database.AddUserAsync("admin@test.local") with { IsAdmin = true };
        var intake = new MailIntake(Database, Tickets, new CustomerService(Database, TestDatabase.Catalog), Database.Mail, Database.Clock,
            NullLogger<MailIntake>.Instance);
        Services.AddSingleton(intake);
        AddAuthorization().SetAuthorized("admin@test.local").SetClaims(new Claim(ClaimTypes.NameIdentifier, admin.UserId), new Claim(PortalClaims.Admin, "true"));
        var kept = await intake.ReceiveAsync(TestMail.Raw(new MailboxAddress("Olga Outsider", "olga@outside.example"), "nobody@elsewhere.example",
            "Where do I send this?", "The scanner in room 2 is broken.", TestMail.NewMessageId()), null);
        Assert.Equal(InboundOutcome.Quarantined, kept.Outcome);
        var popovers = Render<MudPopoverProvider>();
        var page = Render<MailQuarantine>();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=quarantine] tbody tr")));
        var row = page.Find("[data-testid=quarantine] tbody tr").TextContent;
        Assert.Contains("olga@outside.example", row);
        Assert.Contains("Where do I send this?", row);
        Assert.Contains("unknown project", row);

        page.Find("[data-testid=quarantine] tbody tr .mud-input-control").MouseDown();
        popovers.WaitForAssertion(() => Assert.Contains(popovers.FindAll(".mud-popover-open .mud-list-item"), i => i.TextContent.Trim() == "SUP"));
        popovers.FindAll(".mud-popover-open .mud-list-item").Single(i => i.TextContent.Trim() == "SUP").Click();
        page.FindAll("[data-testid=quarantine] tbody tr button").Single(b => b.TextContent.Trim() == "Re-process").Click();

        page.WaitForAssertion(() => Assert.Matches(@"^Filed as ticket #\d+\.$", page.Find("[data-testid=quarantine-message]").TextContent.Trim()));
        Assert.NotNull(page.Find("[data-testid=quarantine-empty]"));
        var number = int.Parse(page.Find("[data-testid=quarantine-message]").TextContent.Trim()[17..^1], System.Globalization.CultureInfo.InvariantCulture);
        var ticket = await Tickets.GetAsync(number, admin);
        Assert.Equal("SUP", ticket.Project);
        Assert.Equal("Where do I send this?", ticket.Title);
        Assert.Equal("olga@outside.example", ticket.Reporter.Email);
        Assert.Empty(await intake.QuarantineAsync(admin));
    }
}
