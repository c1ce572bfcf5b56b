using TicketPortal.Domain;
using TicketPortal.Domain.People;
using TicketPortal.Domain.Tickets;
using TicketPortal.Domain.Workflows;
using TicketPortal.Tests.Support;

namespace TicketPortal.Tests.Domain;

public sealed class TicketServiceTests : IAsyncLifetime
{
    private TestDatabase _db = default!;
    private Viewer _director = default!;
    private Viewer _operations = default!;
    private Viewer _member = default!;
    private Viewer _support = default!;
    private Viewer _customer = default!;
    private Viewer _otherCustomer = default!;
    private Viewer _gatekeeper = default!;
    private Viewer _developer = default!;

    private TicketService Tickets => _db.Tickets;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        await _db.AddProjectAsync("CHG", "change-board");
        await _db.AddProjectAsync("QAV", "qa-verify");
        await _db.AddProjectAsync("SUP", "support-gatekeeper", "Support", "Feature request");
        await _db.AddProjectAsync("INT", "support-gatekeeper", "Bug", "Task", "Feature");
        _director = await _db.AddUserAsync("director@test.local", "CHG:it-director");
        _operations = await _db.AddUserAsync("ops@test.local", "CHG:operations-director");
        _member = await _db.AddUserAsync("member@test.local", "CHG:member");
        _support = await _db.AddUserAsync("support@test.local", "QAV:support", "SUP:support", "INT:support");
        _customer = await _db.AddUserAsync("customer@test.local", "QAV:customer", "SUP:customer");
        _otherCustomer = await _db.AddUserAsync("other@test.local", "QAV:customer", "SUP:customer");
        _gatekeeper = await _db.AddUserAsync("gatekeeper@test.local", "INT:gatekeeper");
        _developer = await _db.AddUserAsync("dev@test.local", "INT:developer");
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private Task<TicketView> CreateAsync(Viewer viewer, string project = "CHG", string tracker = "Change", string title = "Report export") =>
        Tickets.CreateAsync(new CreateTicket(project, tracker, title, "Details", null, null), viewer);

    private Task<TicketView> MoveAsync(Viewer viewer, int number, string transition, string? comment = null, params (string, string)[] fields) =>
        Tickets.TransitionAsync(number, new TakeTransition(transition, comment, fields.ToDictionary(f => f.Item1, f => f.Item2), null), viewer);

    [Fact]
    public async Task Create_NumbersTicketsGloballyAcrossProjects()
    {
        var first = await CreateAsync(_member);
        var second = await CreateAsync(_customer, "QAV", "Defect");
        var third = await CreateAsync(_member);

        Assert.Equal([1, 2, 3], new[] { first.Number, second.Number, third.Number });
        Assert.Equal("Ticket", first.Status);
        Assert.Equal("new", first.StatusCategory);
        Assert.Equal("New", second.Status);
        Assert.Equal(3, _db.Events.Changes.Count);
    }

    [Fact]
    public async Task Create_InAProjectWithoutMembership_IsForbiddenAndStoresNothing()
    {
        var error = await Assert.ThrowsAsync<DomainException>(() => CreateAsync(_customer));

        Assert.Equal(DomainErrorKind.Forbidden, error.Kind);
        Assert.Equal(0, (await Tickets.ListAsync(new TicketQuery(IncludeHidden: true), new Viewer("x", IsAdmin: true))).Total);
    }

    [Fact]
    public async Task Transition_WritesOneJournalEntryWithEveryChangeAndTheComment()
    {
        var ticket = await CreateAsync(_member);

        var moved = await MoveAsync(_director, ticket.Number, "hold", "Waiting for budget.", ("label", "idea"));

        Assert.Equal("On hold", moved.Status);
        Assert.Equal(2, moved.Version);
        var entry = moved.Journal[^1];
        Assert.Equal("director@test.local", entry.Author);
        Assert.Equal("Waiting for budget.", entry.Text);
        Assert.Equal([new("labels", null, "idea"), new("status", "Ticket", "On hold")], entry.Changes);
    }

    [Fact]
    public async Task Transition_Refused_ChangesNothing()
    {
        var ticket = await CreateAsync(_member);

        var missing = await Assert.ThrowsAsync<DomainException>(() => MoveAsync(_director, ticket.Number, "reject", null, ("label", "bug")));
        var forbidden = await Assert.ThrowsAsync<DomainException>(() => MoveAsync(_member, ticket.Number, "approve", null, ("label", "bug")));

        Assert.Equal(DomainErrorKind.RequirementMissing, missing.Kind);
        Assert.Equal(DomainErrorKind.Forbidden, forbidden.Kind);
        var after = await Tickets.GetAsync(ticket.Number, _director);
        Assert.Equal(ticket.Version, after.Version);
        Assert.Empty(after.Labels);
        Assert.Single(after.Journal);
    }

    [Fact]
    public async Task Transition_WithAStaleVersion_IsAConflictAndChangesNothing()
    {
        var ticket = await CreateAsync(_member);
        await Tickets.AddNoteAsync(ticket.Number, "First!", isInternal: false, ticket.Version, _operations);

        var error = await Assert.ThrowsAsync<DomainException>(() =>
            Tickets.TransitionAsync(ticket.Number, new TakeTransition("approve", null, new Dictionary<string, string> { ["label"] = "bug" }, ticket.Version), _director));

        Assert.Equal(DomainErrorKind.Conflict, error.Kind);
        Assert.Equal("Ticket", (await Tickets.GetAsync(ticket.Number, _director)).Status);
    }

    [Fact]
    public async Task ConcurrentSaves_OfTheSameVersion_LetOnlyOneThrough()
    {
        var ticket = await CreateAsync(_member);

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => Attempt(i)));

        Assert.Equal(1, results.Count(ok => ok));
        var after = await Tickets.GetAsync(ticket.Number, _director);
        Assert.Equal(2, after.Version);
        Assert.Equal(2, after.Journal.Count);

        async Task<bool> Attempt(int i)
        {
            try
            {
                await Tickets.AddNoteAsync(ticket.Number, $"note {i}", isInternal: false, ticket.Version, _operations);
                return true;
            }
            catch (DomainException e) when (e.Kind == DomainErrorKind.Conflict)
            {
                return false;
            }
        }
    }

    [Fact]
    public async Task ChangeBoard_UxChange_AddsGuideItemAssignsOperations_AndTheLastTickMovesToReleaseReady()
    {
        var ticket = await CreateAsync(_member);
        await MoveAsync(_director, ticket.Number, "approve", null, ("label", "idea"));
        await MoveAsync(_director, ticket.Number, "start");

        var preRelease = await MoveAsync(_director, ticket.Number, "finish", null, ("releaseNote", "A new menu."), ("uxChange", "true"));
        var item = Assert.Single(preRelease.Checklist);
        var ticked = await Tickets.TickChecklistAsync(ticket.Number, item.Id, done: true, preRelease.Version, _member);

        Assert.Equal("Pre-release", preRelease.Status);
        Assert.Equal("Update user guide", item.Text);
        Assert.Equal("ops@test.local", preRelease.Assignee?.Email);
        Assert.Equal("Release ready", ticked.Status);
        Assert.Equal("member@test.local", ticked.Checklist[0].DoneBy);
        Assert.Equal("member@test.local", ticked.Journal[^1].Author);
        Assert.Contains(ticked.Journal[^1].Changes, c => c is { Field: "status", Old: "Pre-release", New: "Release ready" });
    }

    [Fact]
    public async Task ExternalTrigger_Release_CompletesReleaseReadyTicketsOnly()
    {
        var ready = await CreateAsync(_member);
        await MoveAsync(_director, ready.Number, "approve", null, ("label", "bug"));
        await MoveAsync(_director, ready.Number, "start");
        await MoveAsync(_director, ready.Number, "finish", null, ("releaseNote", "Fixed."), ("uxChange", "false"));
        var fresh = await CreateAsync(_member);

        var moved = await Tickets.FireAsync(ready.Number, "release", Actor.SystemId, "Released in 1.2.0.");
        var notMoved = await Tickets.FireAsync(fresh.Number, "release", Actor.SystemId, "Released in 1.2.0.");

        Assert.True(moved);
        Assert.False(notMoved);
        var after = await Tickets.GetAsync(ready.Number, _director);
        Assert.Equal("Complete", after.Status);
        Assert.Equal("Released in 1.2.0.", after.Journal[^1].Text);
    }

    [Fact]
    public async Task CopyToInternal_CreatesARelatedTicketWithTheMappedTrackerAuthoredByTheCopier_AndKeepsTheStatus()
    {
        var support = await CreateAsync(_customer, "SUP", "Support", "Crash on save");

        var copied = await MoveAsync(_support, support.Number, "copy-to-internal");

        Assert.Equal("New", copied.Status);
        var link = Assert.Single(copied.Links);
        Assert.Equal("related", link.Type);
        var copy = await Tickets.GetAsync(link.Number, _support);
        Assert.Equal(("INT", "Bug", "Crash on save", "support@test.local"), (copy.Project, copy.Tracker, copy.Title, copy.Reporter.Email));
        Assert.Equal(new LinkView("related", support.Number), Assert.Single(copy.Links));
    }

    [Fact]
    public async Task InternalTicketDone_ClosesTheRelatedSupportTicketWithANoteNamingTheMilestone()
    {
        var support = await CreateAsync(_customer, "SUP", "Support", "Crash on save");
        var copied = await MoveAsync(_support, support.Number, "copy-to-internal");
        var internalNumber = copied.Links[0].Number;
        await MoveAsync(_gatekeeper, internalNumber, "seen", null, ("milestone", "next patch"));
        await MoveAsync(_developer, internalNumber, "confirm");

        await MoveAsync(_developer, internalNumber, "close");

        var after = await Tickets.GetAsync(support.Number, _customer);
        Assert.Equal("Closed", after.Status);
        Assert.Equal("The fix will be in next patch.", after.Journal[^1].Text);
        Assert.False(after.Journal[^1].Internal);
    }

    [Fact]
    public async Task TimedAutomation_ClosesTicketsVerifiedFor30Days_OnceAndOnlyWhenDue()
    {
        var ticket = await CreateAsync(_customer, "QAV", "Defect");
        await MoveAsync(_support, ticket.Number, "assign");
        await MoveAsync(_support, ticket.Number, "qa-pending", null, ("buildNumber", "2026.11.3"));
        await MoveAsync(_support, ticket.Number, "verify");

        _db.Clock.Advance(TimeSpan.FromDays(29));
        var early = await Tickets.RunTimedAutomationsAsync();
        _db.Clock.Advance(TimeSpan.FromDays(1));
        var due = await Tickets.RunTimedAutomationsAsync();
        var again = await Tickets.RunTimedAutomationsAsync();

        Assert.Equal((0, 1, 0), (early, due, again));
        var after = await Tickets.GetAsync(ticket.Number, _customer);
        Assert.Equal("Closed", after.Status);
        Assert.Equal("2026.11.3", after.Fields["buildNumber"]);
    }

    [Fact]
    public async Task Customers_SeeOnlyTheirOwnTicketsAndNoInternalNotes()
    {
        var mine = await CreateAsync(_customer, "QAV", "Defect", "Mine");
        var theirs = await CreateAsync(_otherCustomer, "QAV", "Defect", "Theirs");
        await Tickets.AddNoteAsync(mine.Number, "Customer is difficult.", isInternal: true, null, _support);
        await Tickets.AddNoteAsync(mine.Number, "We are on it.", isInternal: false, null, _support);

        var list = await Tickets.ListAsync(new TicketQuery(Project: "QAV"), _customer);
        var view = await Tickets.GetAsync(mine.Number, _customer);
        var staffView = await Tickets.GetAsync(mine.Number, _support);
        var hidden = await Assert.ThrowsAsync<DomainException>(() => Tickets.GetAsync(theirs.Number, _customer));
        var internalByCustomer = await Assert.ThrowsAsync<DomainException>(() =>
            Tickets.AddNoteAsync(mine.Number, "psst", isInternal: true, null, _customer));

        Assert.Equal(["Mine"], list.Items.Select(i => i.Title));
        Assert.DoesNotContain(view.Journal, j => j.Internal);
        Assert.Contains(view.Journal, j => j.Text == "We are on it.");
        Assert.Contains(staffView.Journal, j => j.Internal && j.Text == "Customer is difficult.");
        Assert.Equal(DomainErrorKind.NotFound, hidden.Kind);
        Assert.Equal(DomainErrorKind.Forbidden, internalByCustomer.Kind);
    }

    [Fact]
    public async Task List_LeavesOutHiddenStatusesUnlessAskedAndShowsThemInTheRecycleBin()
    {
        var open = await CreateAsync(_member, title: "Open one");
        var rejected = await CreateAsync(_member, title: "Rejected one");
        await MoveAsync(_director, rejected.Number, "reject", "Out of scope.", ("label", "idea"));

        var normal = await Tickets.ListAsync(new TicketQuery(Project: "CHG"), _director);
        var all = await Tickets.ListAsync(new TicketQuery(Project: "CHG", IncludeHidden: true), _director);
        var bin = await Tickets.ListAsync(new TicketQuery(Project: "CHG", View: "hidden"), _director);

        Assert.Equal([open.Number], normal.Items.Select(i => i.Number));
        Assert.Equal(2, all.Total);
        Assert.Equal([rejected.Number], bin.Items.Select(i => i.Number));
    }

    [Fact]
    public async Task List_FiltersSortsAndPages()
    {
        for (var i = 1; i <= 5; i++)
        {
            await CreateAsync(_member, title: $"Ticket {i}");
            _db.Clock.Advance(TimeSpan.FromMinutes(1));
        }
        await MoveAsync(_director, 2, "approve", null, ("label", "bug"));

        var page = await Tickets.ListAsync(new TicketQuery(Project: "CHG", Page: 2, PageSize: 2), _director);
        var approved = await Tickets.ListAsync(new TicketQuery(Project: "CHG", Status: "Approved"), _director);
        var search = await Tickets.ListAsync(new TicketQuery(Q: "Ticket 4"), _director);
        var byNumber = await Tickets.ListAsync(new TicketQuery(Q: "#3", Sort: "number"), _director);

        Assert.Equal(5, page.Total);
        Assert.Equal([4, 3], page.Items.Select(i => i.Number));
        Assert.Equal([2], approved.Items.Select(i => i.Number));
        Assert.Equal([4], search.Items.Select(i => i.Number));
        Assert.Equal([3], byNumber.Items.Select(i => i.Number));
    }

    [Theory]
    [InlineData(0, 50, null, "page:")]
    [InlineData(1, 500, null, "pageSize:")]
    [InlineData(1, 50, "everything", "view:")]
    public async Task List_WithBadPaging_IsRefused(int page, int pageSize, string? view, string problem)
    {
        var error = await Assert.ThrowsAsync<DomainException>(() => Tickets.ListAsync(new TicketQuery(Page: page, PageSize: pageSize, View: view), _director));

        Assert.StartsWith(problem, error.Message);
    }
}
