using TicketPortal.Domain;
using TicketPortal.Domain.People;
using TicketPortal.Domain.Tickets;
using TicketPortal.Domain.Workflows;
using TicketPortal.Tests.Support;

namespace TicketPortal.Tests.Domain;

/// <summary>Each process of PROCESSES.md walked end to end through the domain, with fake time, including its refusals.</summary>
public sealed class ProcessScenarioTests : IAsyncLifetime
{
    private TestDatabase _db = default!;

    private TicketService Tickets => _db.Tickets;

    public async Task InitializeAsync() => _db = await TestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private Task<TicketView> CreateAsync(Viewer viewer, string project, string tracker, string title, string? priority = null, string? assignee = null) =>
        Tickets.CreateAsync(new CreateTicket(project, tracker, title, "Details.", priority, null, assignee), viewer);

    private Task<TicketView> MoveAsync(Viewer viewer, int number, string transition, string? comment = null, params (string, string)[] fields) =>
        Tickets.TransitionAsync(number, new TakeTransition(transition, comment, fields.ToDictionary(f => f.Item1, f => f.Item2), null), viewer);

    private async Task RefusedAsync(DomainErrorKind kind, string named, Func<Task> act)
    {
        var error = await Assert.ThrowsAsync<DomainException>(act);
        Assert.Equal(kind, error.Kind);
        Assert.Contains(named, error.Message);
    }

    [Fact]
    [Trait("Process", "change-board")]
    public async Task ChangeBoard_FromTicketToReleaseReady_WithReviewHoldAndUserGuide()
    {
        await _db.AddProjectAsync("CHG", "change-board");
        var director = await _db.AddUserAsync("director@x.test", "CHG:it-director");
        var operations = await _db.AddUserAsync("ops@x.test", "CHG:operations-director");
        var member = await _db.AddUserAsync("member@x.test", "CHG:member");
        var writer = await _db.AddUserAsync("writer@x.test", "CHG:member");

        var ticket = await CreateAsync(member, "CHG", "Change", "Reorganise the menu");
        await RefusedAsync(DomainErrorKind.Forbidden, "it-director", () => MoveAsync(member, ticket.Number, "approve", null, ("label", "bug")));
        await RefusedAsync(DomainErrorKind.RequirementMissing, "fields.label", () => MoveAsync(director, ticket.Number, "approve"));
        await RefusedAsync(DomainErrorKind.RequirementMissing, "comment", () => MoveAsync(director, ticket.Number, "hold", null, ("label", "idea")));
        var held = await MoveAsync(director, ticket.Number, "hold", "Waiting for the budget.", ("label", "idea"));
        var bin = await Tickets.ListAsync(new TicketQuery(Project: "CHG", View: TicketListQuery.ViewHidden), director);
        var board = await Tickets.ListAsync(new TicketQuery(Project: "CHG"), director);
        await MoveAsync(director, ticket.Number, "resume");
        await MoveAsync(director, ticket.Number, "start");
        await RefusedAsync(DomainErrorKind.RequirementMissing, "fields.releaseNote", () => MoveAsync(director, ticket.Number, "finish", null, ("uxChange", "true")));
        var preRelease = await MoveAsync(director, ticket.Number, "finish", null, ("releaseNote", "The menu is now on the left."), ("uxChange", "true"));
        var item = preRelease.Checklist.Single();
        await Tickets.AssignChecklistItemAsync(ticket.Number, item.Id, "writer@x.test", null, operations);
        var ready = await Tickets.TickChecklistAsync(ticket.Number, item.Id, done: true, null, writer);

        Assert.Equal("On hold", held.Status);
        Assert.Equal([ticket.Number], bin.Items.Select(i => i.Number));
        Assert.Empty(board.Items);
        Assert.Equal(("Pre-release", "ops@x.test"), (preRelease.Status, preRelease.Assignee?.Email));
        Assert.Equal("Update user guide", item.Text);
        Assert.Equal(("Release ready", "writer@x.test", "writer@x.test"), (ready.Status, ready.Checklist[0].Assignee, ready.Checklist[0].DoneBy));
        Assert.Equal("true", ready.Fields["uxChange"]);

        var small = await CreateAsync(member, "CHG", "Change", "Fix a typo on the invoice");
        await RefusedAsync(DomainErrorKind.Forbidden, "it-director", () => MoveAsync(member, small.Number, "hold", "Later.", ("label", "bug")));
        await MoveAsync(director, small.Number, "approve", null, ("label", "bug"));
        await MoveAsync(director, small.Number, "start");
        await RefusedAsync(DomainErrorKind.Conflict, "starts from Ticket, Approved", () => MoveAsync(director, small.Number, "hold", "Later."));
        var straight = await MoveAsync(director, small.Number, "finish", null, ("releaseNote", "Typo fixed."), ("uxChange", "false"));
        Assert.Equal(("Release ready", 0), (straight.Status, straight.Checklist.Count));
    }

    [Fact]
    [Trait("Process", "triage-ownership")]
    public async Task TriageOwnership_QueueTriageProjectOwnershipWipEscalateAndHandBack()
    {
        await _db.AddProjectAsync("TRI", "triage-ownership");
        await _db.AddProjectAsync("PRJ", "triage-ownership");
        var lead = await _db.AddUserAsync("lead@x.test", "TRI:operations-lead", "PRJ:operations-lead");
        var eric = await _db.AddUserAsync("eric@x.test", "TRI:engineer");
        var emma = await _db.AddUserAsync("emma@x.test", "TRI:engineer");
        var requester = await _db.AddUserAsync("req@x.test", "TRI:member");
        await using (var context = _db.CreateDbContext())
        {
            context.Groups.Add(new Group("IT Digital", [eric.UserId, emma.UserId]));
            context.Groups.Add(new Group("Infrastructure", []));
            await context.SaveChangesAsync();
        }

        var incident = await CreateAsync(requester, "TRI", "Incident", "Build a new intranet");
        await RefusedAsync(DomainErrorKind.RequirementMissing, "comment", () => MoveAsync(lead, incident.Number, "project"));
        var projected = await MoveAsync(lead, incident.Number, "project", "This is project work; it goes to the backlog.");
        var backlog = await Tickets.GetAsync(projected.Links.Single().Number, lead);
        var misrouted = await CreateAsync(requester, "TRI", "Incident", "Server room too warm");
        var rerouted = await MoveAsync(lead, misrouted.Number, "reassign", "Infrastructure handles this.", ("group", "Infrastructure"));
        var numbers = new List<int>();
        for (var i = 0; i < 4; i++)
        {
            var t = await CreateAsync(requester, "TRI", "Request", $"Request {i}");
            await MoveAsync(lead, t.Number, "approve", "Support work.");
            numbers.Add(t.Number);
        }
        var unassigned = await Tickets.ListAsync(new TicketQuery(Project: "TRI", View: TicketListQuery.ViewUnassignedInMyGroup), eric);
        for (var i = 0; i < 3; i++)
        {
            await MoveAsync(eric, numbers[i], "take-ownership");
        }
        await RefusedAsync(DomainErrorKind.RequirementMissing, "WIP limit 3", () => MoveAsync(eric, numbers[3], "take-ownership"));
        var fourth = await MoveAsync(eric, numbers[3], "take-ownership", "Emma is off sick; this cannot wait.");
        var workload = await Tickets.WorkloadAsync("TRI", lead);
        var escalated = await MoveAsync(eric, numbers[0], "escalate", "Needs a vendor; more than 3 days.");
        var flagged = await Tickets.ListAsync(new TicketQuery(Project: "TRI", Label: "escalated"), lead);
        await RefusedAsync(DomainErrorKind.RequirementMissing, "fields.colleague", () =>
            MoveAsync(eric, numbers[1], "hand-over", null, ("colleague", "req@x.test")));
        var handedOver = await MoveAsync(eric, numbers[1], "hand-over", null, ("colleague", "emma@x.test"));
        var handBack = await Tickets.TransitionManyAsync(new BulkTransition("hand-back", "Not here tomorrow.", null, Project: "TRI", Assignee: "me"), eric);
        await RefusedAsync(DomainErrorKind.Forbidden, "roles", () => MoveAsync(eric, numbers[1], "resolve", "Not mine any more."));

        Assert.Equal(("New", "IT Digital"), (incident.Status, incident.Group));
        Assert.Equal("Resolved", projected.Status);
        Assert.Equal(("PRJ", incident.Title, "related"), (backlog.Project, backlog.Title, backlog.Links.Single().Type));
        Assert.Equal("This is project work; it goes to the backlog.", projected.Journal[^1].Text);
        Assert.Equal("Infrastructure", rerouted.Group);
        Assert.Equal(numbers.Order(), unassigned.Items.Select(i => i.Number).Order());
        Assert.Equal(("In progress", "eric@x.test"), (fourth.Status, fourth.Assignee?.Email));
        Assert.Contains(workload, w => w is { Email: "eric@x.test", Open: 4, Limit: 3, OverLimit: true });
        Assert.Contains("escalated", escalated.Labels);
        Assert.Equal([numbers[0]], flagged.Items.Select(i => i.Number));
        Assert.Equal("emma@x.test", handedOver.Assignee?.Email);
        Assert.Equal([numbers[0], numbers[2], numbers[3]], handBack.Taken.Order());
        Assert.Empty(handBack.Refused);
        var after = await Tickets.GetAsync(numbers[0], lead);
        Assert.Equal(("Approved", null), (after.Status, after.Assignee));

        await Tickets.AssignAsync(numbers[2], "emma@x.test", null, lead);
        await RefusedAsync(DomainErrorKind.RequirementMissing, "already has an owner", () => MoveAsync(eric, numbers[2], "take-ownership", "Mine."));
        await MoveAsync(emma, numbers[0], "take-ownership");
        await RefusedAsync(DomainErrorKind.RequirementMissing, "comment", () => MoveAsync(emma, numbers[0], "resolve"));
        var resolved = await MoveAsync(emma, numbers[0], "resolve", "Vendor replaced the switch.");
        Assert.Equal("Resolved", resolved.Status);
        var otherRequester = await _db.AddUserAsync("other@x.test", "TRI:member");
        await RefusedAsync(DomainErrorKind.NotFound, "Ticket", () => Tickets.GetAsync(incident.Number, otherRequester));
    }

    [Fact]
    [Trait("Process", "qa-verify")]
    public async Task QaVerify_CustomerRaises_SupportAndDevelopmentFix_CustomerReopensAndTheTimerCloses()
    {
        await _db.AddProjectAsync("QAV", "qa-verify");
        var support = await _db.AddUserAsync("support@x.test", "QAV:support");
        var developer = await _db.AddUserAsync("dev@x.test", "QAV:developer");
        var customer = await _db.AddUserAsync("customer@x.test", "QAV:customer");

        await RefusedAsync(DomainErrorKind.Forbidden, "QAV", () => CreateAsync(support, "QAV", "Defect", "Staff may not raise"));
        var ticket = await CreateAsync(customer, "QAV", "Defect", "Totals off by a cent");
        await RefusedAsync(DomainErrorKind.Forbidden, "roles", () => MoveAsync(customer, ticket.Number, "assign"));
        await MoveAsync(support, ticket.Number, "assign");
        await RefusedAsync(DomainErrorKind.RequirementMissing, "fields.developer", () =>
            MoveAsync(support, ticket.Number, "assign-developer", null, ("developer", "customer@x.test")));
        var withDeveloper = await MoveAsync(support, ticket.Number, "assign-developer", null, ("developer", "dev@x.test"));
        await RefusedAsync(DomainErrorKind.RequirementMissing, "fields.buildNumber", () => MoveAsync(developer, ticket.Number, "qa-pending"));
        await MoveAsync(developer, ticket.Number, "qa-pending", null, ("buildNumber", "2026.11.7"));
        await MoveAsync(support, ticket.Number, "verify");
        await RefusedAsync(DomainErrorKind.Forbidden, "roles", () => MoveAsync(support, ticket.Number, "close"));
        await RefusedAsync(DomainErrorKind.RequirementMissing, "comment", () => MoveAsync(customer, ticket.Number, "reopen"));
        var reopened = await MoveAsync(customer, ticket.Number, "reopen", "Still off on invoice 119.");
        await MoveAsync(support, ticket.Number, "assign");
        await MoveAsync(support, ticket.Number, "qa-pending", null, ("buildNumber", "2026.11.9"));
        await MoveAsync(support, ticket.Number, "verify");
        _db.Clock.Advance(TimeSpan.FromDays(30));
        var closedByTimer = await Tickets.RunTimedAutomationsAsync();
        var open = await Tickets.ListAsync(new TicketQuery(Project: "QAV"), customer);
        var myClosed = await Tickets.ListAsync(new TicketQuery(View: TicketListQuery.ViewMyClosed), customer);
        var closed = await Tickets.GetAsync(ticket.Number, customer);
        var postponedTicket = await CreateAsync(customer, "QAV", "Defect", "Cannot reproduce");
        var postponed = await MoveAsync(support, postponedTicket.Number, "postpone", "Cannot reproduce; waiting for a sample.");

        Assert.Equal("dev@x.test", withDeveloper.Assignee?.Email);
        Assert.Equal("Reopened", reopened.Status);
        Assert.Equal(1, closedByTimer);
        Assert.Equal(("Closed", "2026.11.9"), (closed.Status, closed.Fields["buildNumber"]));
        Assert.Contains("verified for 30 days", closed.Journal[^1].Text);
        Assert.DoesNotContain(open.Items, i => i.Number == ticket.Number);
        Assert.Equal([ticket.Number], myClosed.Items.Select(i => i.Number));
        Assert.Equal(("Postponed", "waiting"), (postponed.Status, postponed.StatusCategory));
        await RefusedAsync(DomainErrorKind.Forbidden, "roles", () => MoveAsync(support, ticket.Number, "reopen", "Staff may not."));
        var reopenedAgain = await MoveAsync(customer, ticket.Number, "reopen", "It is back.");
        Assert.Equal("Reopened", reopenedAgain.Status);
        await MoveAsync(support, ticket.Number, "assign");
        await RefusedAsync(DomainErrorKind.RequirementMissing, "fields.buildNumber", () => MoveAsync(support, ticket.Number, "qa-pending"));
        await MoveAsync(support, ticket.Number, "qa-pending", null, ("buildNumber", "2026.11.12"));
        await MoveAsync(support, ticket.Number, "verify");
        var closedByCustomer = await MoveAsync(customer, ticket.Number, "close");
        Assert.Equal(("Closed", "2026.11.12"), (closedByCustomer.Status, closedByCustomer.Fields["buildNumber"]));
    }

    [Fact]
    [Trait("Process", "support-gatekeeper")]
    public async Task SupportGatekeeper_SupportTicketCopiedToInternal_GatekeptFixed_AndTheCustomerTold()
    {
        await _db.AddProjectAsync("SUP", "support-gatekeeper", "Support", "Feature request");
        await _db.AddProjectAsync("INT", "support-gatekeeper", "Bug", "Task", "Feature");
        var support = await _db.AddUserAsync("support@x.test", "SUP:support", "INT:support");
        var customer = await _db.AddUserAsync("customer@x.test", "SUP:customer");
        var gatekeeper = await _db.AddUserAsync("gate@x.test", "INT:gatekeeper");
        var developer = await _db.AddUserAsync("dev@x.test", "INT:developer");

        var ticket = await CreateAsync(customer, "SUP", "Support", "Crash when saving", priority: "Urgent", assignee: "dev@x.test");
        await RefusedAsync(DomainErrorKind.RequirementMissing, "assignee", () => Tickets.AssignAsync(ticket.Number, "dev@x.test", null, support));
        var newIssues = await Tickets.ListAsync(new TicketQuery(Project: "SUP", View: TicketListQuery.ViewNew), support);
        await Tickets.AssignAsync(ticket.Number, "support@x.test", null, support);
        await MoveAsync(support, ticket.Number, "accept");
        await RefusedAsync(DomainErrorKind.Forbidden, "roles", () => MoveAsync(customer, ticket.Number, "copy-to-internal"));
        var copied = await MoveAsync(support, ticket.Number, "copy-to-internal");
        var internalNumber = copied.Links.Single().Number;
        var internalTicket = await Tickets.GetAsync(internalNumber, gatekeeper);
        await RefusedAsync(DomainErrorKind.RequirementMissing, "fields.milestone", () => MoveAsync(gatekeeper, internalNumber, "seen"));
        await RefusedAsync(DomainErrorKind.RequirementMissing, "next patch, next major, to-do list", () =>
            MoveAsync(gatekeeper, internalNumber, "seen", null, ("milestone", "someday")));
        foreach (var item in internalTicket.Checklist)
        {
            await Tickets.TickChecklistAsync(internalNumber, item.Id, done: true, null, gatekeeper);
        }
        var seen = await MoveAsync(gatekeeper, internalNumber, "seen", null, ("milestone", "next patch"), ("developer", "dev@x.test"));
        await RefusedAsync(DomainErrorKind.Forbidden, "roles", () => MoveAsync(gatekeeper, internalNumber, "confirm"));
        await MoveAsync(developer, internalNumber, "confirm");
        var fixedByCommit = await Tickets.FireAsync(internalNumber, "commit", developer.UserId, "Fixed in commit abc123.");
        var told = await Tickets.GetAsync(ticket.Number, customer);

        Assert.Equal(("Normal", null), (ticket.Priority, ticket.Assignee));
        Assert.Contains("Suggested priority: Urgent.", ticket.Journal[^1].Text);
        Assert.Contains(newIssues.Items, i => i.Number == ticket.Number);
        Assert.Equal("Accepted", copied.Status);
        Assert.Equal(("INT", "Bug", "support@x.test", "related"),
            (internalTicket.Project, internalTicket.Tracker, internalTicket.Reporter.Email, internalTicket.Links.Single().Type));
        Assert.Equal(["Description", "Reproduction steps", "Client and server logs", "Workflow file", "Screenshot", "Sample data"],
            internalTicket.Checklist.Select(c => c.Text));
        Assert.Equal(("Seen", "dev@x.test"), (seen.Status, seen.Assignee?.Email));
        Assert.True(fixedByCommit);
        Assert.Equal("Closed", told.Status);
        Assert.Equal("The fix will be in next patch.", told.Journal[^1].Text);
        Assert.False(told.Journal[^1].Internal);

        var spam = await CreateAsync(customer, "SUP", "Support", "Cheap watches");
        await RefusedAsync(DomainErrorKind.Forbidden, "roles", () => MoveAsync(customer, spam.Number, "accept"));
        await RefusedAsync(DomainErrorKind.RequirementMissing, "comment", () => MoveAsync(support, spam.Number, "reject"));
        Assert.Equal("Rejected", (await MoveAsync(support, spam.Number, "reject", "Spam.")).Status);
        var question = await CreateAsync(customer, "SUP", "Support", "Where is the export button?");
        Assert.Equal("Closed", (await MoveAsync(support, question.Number, "answer-close", "It is under File > Export.")).Status);
    }

    [Fact]
    [Trait("Process", "timer-review")]
    public async Task TimerReview_AssignSelf_WaitOnOthers_DocumentPeerReview_RequesterCloses()
    {
        await _db.AddProjectAsync("TMR", "timer-review");
        var stella = await _db.AddUserAsync("stella@x.test", "TMR:staff");
        var stan = await _db.AddUserAsync("stan@x.test", "TMR:staff");
        var requester = await _db.AddUserAsync("req@x.test", "TMR:member");

        var ticket = await CreateAsync(requester, "TMR", "Request", "Course page missing");
        await RefusedAsync(DomainErrorKind.Forbidden, "roles", () => MoveAsync(requester, ticket.Number, "assign-self"));
        var started = await MoveAsync(stella, ticket.Number, "assign-self");
        await RefusedAsync(DomainErrorKind.Forbidden, "roles", () => MoveAsync(stan, ticket.Number, "wait", "Not mine."));
        await RefusedAsync(DomainErrorKind.RequirementMissing, "comment", () => MoveAsync(stella, ticket.Number, "wait"));
        var waiting = await MoveAsync(stella, ticket.Number, "wait", "Waiting for the faculty office.");
        await MoveAsync(stella, ticket.Number, "resume");
        await RefusedAsync(DomainErrorKind.RequirementMissing, "fields.solution", () => MoveAsync(stella, ticket.Number, "request-review"));
        await MoveAsync(stella, ticket.Number, "request-review", null, ("solution", "Re-published the page."), ("kbArticle", "https://kb.example/42"));
        await RefusedAsync(DomainErrorKind.RequirementMissing, "actor:", () => MoveAsync(stella, ticket.Number, "approve-review"));
        await RefusedAsync(DomainErrorKind.Forbidden, "cannot be reassigned", () => Tickets.AssignAsync(ticket.Number, "stan@x.test", null, stella));
        var resolved = await MoveAsync(stan, ticket.Number, "approve-review");
        await RefusedAsync(DomainErrorKind.Forbidden, "roles", () => MoveAsync(stan, ticket.Number, "close"));
        var closed = await MoveAsync(requester, ticket.Number, "close");
        var other = await CreateAsync(requester, "TMR", "Request", "Printer quota");
        var passed = await MoveAsync(stella, other.Number, "pass-on", null, ("owner", "stan@x.test"));

        Assert.Equal(("In progress", "stella@x.test"), (started.Status, started.Assignee?.Email));
        Assert.Equal(("Waiting on others", "waiting"), (waiting.Status, waiting.StatusCategory));
        Assert.Equal("Waiting for the faculty office.", waiting.Journal[^1].Text);
        Assert.Equal("Resolved", resolved.Status);
        Assert.Equal("https://kb.example/42", resolved.Fields["kbArticle"]);
        Assert.Equal("Closed", closed.Status);
        Assert.Equal(("In progress", "stan@x.test"), (passed.Status, passed.Assignee?.Email));
    }
}
