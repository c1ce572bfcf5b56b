using Bunit;
using TicketPortal.Components.Pages.Tickets;
using TicketPortal.Components.Shared;
using TicketPortal.Domain.People;
using TicketPortal.Domain.Tickets;
using TicketPage = TicketPortal.Components.Pages.Tickets.TicketPage;

namespace TicketPortal.Tests.Components;

public sealed class TicketPageTests : PortalComponentContext
{
    private Viewer _director = default!;
    private Viewer _member = default!;
    private int _number;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await Database.AddProjectAsync("CHG", "change-board");
        _director = await Database.AddUserAsync("director@test.local", "CHG:it-director");
        _member = await Database.AddUserAsync("member@test.local", "CHG:member");
        var ticket = await Tickets.CreateAsync(
            new CreateTicket("CHG", "Change", "Export as PDF", "Needs **bold** <script>alert('x')</script> [link](javascript:alert(1))", "High", null), _member);
        _number = ticket.Number;
    }

    private IRenderedComponent<TicketPage> RenderPage() =>
        Render<TicketPage>(p => p.Add(x => x.Number, _number));

    [Fact]
    public void ShowsTheTicketAndTheTransitionsTheDirectorMayTake()
    {
        SignIn(_director, "director@test.local");

        var page = RenderPage();

        page.WaitForAssertion(() => Assert.Contains("Export as PDF", page.Markup));
        Assert.Equal("Ticket", page.Find("[data-testid=status]").TextContent.Trim());
        var buttons = page.FindAll("[data-testid=transitions] button").Select(b => b.TextContent.Trim());
        Assert.Equal(["Approve", "Put on hold", "Reject"], buttons);
        Assert.Contains("created", page.Find("[data-testid=journal]").TextContent);
    }

    [Fact]
    public async Task TheSlaClockCountsDownOnThePage_AsWorkingTimePasses()
    {
        await Database.AddProjectAsync("TMR", "timer-review");
        var staff = await Database.AddUserAsync("staff@test.local", "TMR:staff");
        var requester = await Database.AddUserAsync("requester@test.local", "TMR:member");
        var request = await Tickets.CreateAsync(new CreateTicket("TMR", "Request", "Projector", null, null, null), requester);
        await Tickets.TransitionAsync(request.Number, new TakeTransition("assign-self", null, new Dictionary<string, string>(), null), staff);
        SignIn(staff, "staff@test.local");

        var page = Render<TicketPage>(p => p.Add(x => x.Number, request.Number));

        page.WaitForAssertion(() => Assert.Equal("resolution: 25h 30m left", page.Find("[data-testid=sla-chip]").TextContent));
        Database.Clock.Advance(Countdown.Interval);
        page.WaitForAssertion(() => Assert.Equal("resolution: 25h 29m left", page.Find("[data-testid=sla-chip]").TextContent));
    }

    [Fact]
    public void OffersNoTransitionsToAMember()
    {
        SignIn(_member, "member@test.local");

        var page = RenderPage();

        page.WaitForAssertion(() => Assert.Contains("Export as PDF", page.Markup));
        Assert.Empty(page.FindAll("[data-testid=transitions] button"));
    }

    [Fact]
    public void RendersTheDescriptionAsMarkdownWithoutRawHtmlOrScriptLinks()
    {
        SignIn(_director, "director@test.local");

        var page = RenderPage();

        page.WaitForAssertion(() => Assert.Contains("<strong>bold</strong>", page.Markup));
        Assert.DoesNotContain("<script>", page.Markup);
        Assert.Contains("&lt;script&gt;", page.Markup);
        Assert.DoesNotContain("javascript:", page.Markup);
    }

    [Fact]
    public async Task AChangeBySomeoneElse_ShowsInPlace_WhenNothingIsBeingTyped()
    {
        SignIn(_director, "director@test.local");
        var page = RenderPage();
        page.WaitForAssertion(() => Assert.Contains("Export as PDF", page.Markup));

        await Tickets.AddNoteAsync(_number, "Meanwhile, elsewhere.", isInternal: false, null, _member);

        page.WaitForAssertion(() => Assert.Contains("Meanwhile, elsewhere.", page.Find("[data-testid=journal]").TextContent));
        Assert.Empty(page.FindAll("[data-testid=stale-warning]"));
    }

    [Fact]
    public async Task AChangeBySomeoneElse_WhileTyping_IsAnnounced_AndASaveOnTheOldVersionIsRefusedWithAReload()
    {
        SignIn(_director, "director@test.local");
        var page = RenderPage();
        page.WaitForAssertion(() => Assert.Contains("Export as PDF", page.Markup));
        page.Find("textarea[data-testid=note-text], [data-testid=note-text] textarea").Change("My note on the old version.");

        await Tickets.AddNoteAsync(_number, "Meanwhile, elsewhere.", isInternal: false, null, _member);
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=stale-warning]")));
        page.Find("[data-testid=note-submit]").Click();

        page.WaitForAssertion(() => Assert.Contains("changed by someone else", page.Find("[data-testid=stale-warning]").TextContent));
        var stored = await Tickets.GetAsync(_number, _director);
        Assert.DoesNotContain(stored.Journal, j => j.Text == "My note on the old version.");
        page.Find("[data-testid=reload]").Click();
        page.WaitForAssertion(() => Assert.Contains("Meanwhile, elsewhere.", page.Find("[data-testid=journal]").TextContent));
        Assert.Empty(page.FindAll("[data-testid=stale-warning]"));
    }

    [Fact]
    public void AddingANote_ShowsItInTheJournal()
    {
        SignIn(_director, "director@test.local");
        var page = RenderPage();
        page.WaitForAssertion(() => Assert.Contains("Export as PDF", page.Markup));

        page.Find("textarea[data-testid=note-text], [data-testid=note-text] textarea").Change("Looks good to me.");
        page.Find("[data-testid=note-submit]").Click();

        page.WaitForAssertion(() => Assert.Contains("Looks good to me.", page.Find("[data-testid=journal]").TextContent));
        Assert.Empty(page.FindAll("[data-testid=stale-warning]"));
    }
}
