using TicketPortal.Domain.People;
using TicketPortal.Domain.Tickets;
using TicketPortal.Tests.Support;

namespace TicketPortal.Tests.Domain;

/// <summary>SLA clocks read off real tickets: start on assignment, pause while waiting, reset on public notes, stop when done.</summary>
public sealed class TicketSlaTests : IAsyncLifetime
{
    private TestDatabase _db = default!;

    private TicketService Tickets => _db.Tickets;

    public async Task InitializeAsync() => _db = await TestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private Task<TicketView> MoveAsync(Viewer viewer, int number, string transition, string? comment = null, params (string, string)[] fields) =>
        Tickets.TransitionAsync(number, new TakeTransition(transition, comment, fields.ToDictionary(f => f.Item1, f => f.Item2), null), viewer);

    private async Task<(Viewer Lead, Viewer Requester)> TriageAsync()
    {
        await _db.AddProjectAsync("TRI", "triage-ownership");
        var lead = await _db.AddUserAsync("lead@x.test", "TRI:operations-lead");
        var requester = await _db.AddUserAsync("req@x.test", "TRI:member");
        await using var context = _db.CreateDbContext();
        context.Groups.Add(new Group("IT Digital", []));
        await context.SaveChangesAsync();
        return (lead, requester);
    }

    [Fact]
    public async Task TimerReview_ResolutionRunsThreeBusinessDaysFromAssignment_PausedWhileWaitingOnOthers()
    {
        await _db.AddProjectAsync("TMR", "timer-review");
        var staff = await _db.AddUserAsync("staff@x.test", "TMR:staff");
        var requester = await _db.AddUserAsync("req@x.test", "TMR:member");
        var ticket = await Tickets.CreateAsync(new CreateTicket("TMR", "Request", "Projector", null, null, null), requester);

        var unassigned = await Tickets.GetAsync(ticket.Number, staff);
        await MoveAsync(staff, ticket.Number, "assign-self");
        var started = await Tickets.GetAsync(ticket.Number, staff);
        await MoveAsync(staff, ticket.Number, "wait", "Waiting on the faculty.");
        _db.Clock.Advance(TimeSpan.FromDays(2));
        var waiting = await Tickets.GetAsync(ticket.Number, staff);
        await MoveAsync(staff, ticket.Number, "resume");
        var resumed = await Tickets.GetAsync(ticket.Number, staff);

        Assert.Empty(unassigned.Sla);
        var clock = Assert.Single(started.Sla);
        Assert.Equal("resolution", clock.Name);
        Assert.Equal(new DateTimeOffset(2026, 11, 5, 9, 0, 0, TimeSpan.Zero), clock.DueAt);
        Assert.Equal(TimeSpan.FromHours(25.5), clock.Remaining);
        Assert.True(waiting.Sla[0].Paused);
        Assert.Equal(clock.Remaining, waiting.Sla[0].Remaining);
        Assert.False(resumed.Sla[0].Paused);
        Assert.Equal(new DateTimeOffset(2026, 11, 9, 9, 0, 0, TimeSpan.Zero), resumed.Sla[0].DueAt);
    }

    [Fact]
    public async Task TriageOwnership_APublicNoteResetsTheDailyUpdateClock_AndItBreachesWithoutOne()
    {
        var (lead, requester) = await TriageAsync();
        var ticket = await Tickets.CreateAsync(new CreateTicket("TRI", "Incident", "VPN", null, null, null), requester);

        var fresh = (await Tickets.GetAsync(ticket.Number, lead)).Sla.Single();
        _db.Clock.Advance(TimeSpan.FromHours(6));
        await Tickets.AddNoteAsync(ticket.Number, "We are looking into it.", isInternal: false, null, lead);
        var answered = (await Tickets.GetAsync(ticket.Number, lead)).Sla.Single();
        await Tickets.AddNoteAsync(ticket.Number, "Internal: probably the firewall.", isInternal: true, null, lead);
        var afterInternal = (await Tickets.GetAsync(ticket.Number, lead)).Sla.Single();
        _db.Clock.Advance(TimeSpan.FromHours(25));
        var nextDay = (await Tickets.GetAsync(ticket.Number, lead)).Sla.Single();

        Assert.Equal("daily-update", fresh.Name);
        Assert.True(answered.DueAt > fresh.DueAt);
        Assert.Equal(answered.DueAt, afterInternal.DueAt);
        Assert.True(nextDay.Breached);
        Assert.True(nextDay.Remaining < TimeSpan.Zero);
    }

    [Fact]
    public async Task TimerReview_AnExtensionWithAReasonMovesTheDueTime_AndTheHistoryShowsWhy()
    {
        await _db.AddProjectAsync("TMR", "timer-review");
        var staff = await _db.AddUserAsync("staff@x.test", "TMR:staff");
        var requester = await _db.AddUserAsync("req@x.test", "TMR:member");
        var ticket = await Tickets.CreateAsync(new CreateTicket("TMR", "Request", "Licence server", null, null, null), requester);
        var started = await MoveAsync(staff, ticket.Number, "assign-self");

        var refused = await Assert.ThrowsAsync<TicketPortal.Domain.DomainException>(() =>
            MoveAsync(staff, ticket.Number, "extend", "Vendor needs a week.", ("extensionHours", "-3")));
        var extended = await MoveAsync(staff, ticket.Number, "extend", "The vendor answers tomorrow.", ("extensionHours", "8.5"));

        Assert.Contains("not a positive number", refused.Message);
        Assert.Equal(started.Sla[0].DueAt.AddDays(1), extended.Sla[0].DueAt);
        var entry = extended.Journal[^1];
        Assert.Equal("The vendor answers tomorrow.", entry.Text);
        Assert.Contains(entry.Changes, c => c is { Field: "sla extension: resolution", New: "8.5" });
    }

    [Fact]
    public async Task ABreach_IsJournalledOnce_AndAgainOnlyForANewDueTime()
    {
        var (lead, requester) = await TriageAsync();
        var ticket = await Tickets.CreateAsync(new CreateTicket("TRI", "Incident", "Mail is slow", null, null, null), requester);

        var early = await Tickets.RecordSlaBreachesAsync();
        _db.Clock.Advance(TimeSpan.FromHours(25));
        var first = await Tickets.RecordSlaBreachesAsync();
        var again = await Tickets.RecordSlaBreachesAsync();
        await Tickets.AddNoteAsync(ticket.Number, "Still on it.", isInternal: false, null, lead);
        _db.Clock.Advance(TimeSpan.FromDays(2));
        var second = await Tickets.RecordSlaBreachesAsync();

        Assert.Equal(((0, 0), (1, 1), (0, 0), (1, 1)), (early, first, again, second));
        var journal = (await Tickets.GetAsync(ticket.Number, lead)).Journal;
        Assert.Equal(2, journal.Count(j => j.Internal && j.Text == "SLA breached: daily-update. SLA escalated: daily-update."));
        var leadNotes = await new NotificationService(_db, _db.Clock).ListAsync(lead);
        Assert.Equal(2, leadNotes.Count(n => n.TicketNumber == ticket.Number && n.Text.Contains("escalated to you", StringComparison.Ordinal)));
        var customerView = await Tickets.GetAsync(ticket.Number, requester);
        Assert.DoesNotContain(customerView.Journal, j => j.Text?.StartsWith("SLA breached", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task ABreachTellsTheOwner_AndIsEscalatedToTheRestOnceTheGraceTimeHasPassed()
    {
        await _db.AddProjectAsync("TMR", "timer-review");
        var owner = await _db.AddUserAsync("owner@x.test", "TMR:staff");
        var colleague = await _db.AddUserAsync("colleague@x.test", "TMR:staff");
        var requester = await _db.AddUserAsync("req@x.test", "TMR:member");
        var ticket = await Tickets.CreateAsync(new CreateTicket("TMR", "Request", "Scanner offline", null, null, null), requester);
        var started = await MoveAsync(owner, ticket.Number, "assign-self");
        var notifications = new NotificationService(_db, _db.Clock);

        _db.Clock.SetUtcNow(started.Sla[0].DueAt.AddMinutes(1));
        var atBreach = await Tickets.RecordSlaBreachesAsync();
        var ownerNotes = await notifications.ListAsync(owner);
        var colleagueBefore = await notifications.ListAsync(colleague);
        _db.Clock.Advance(TimeSpan.FromDays(1));
        var later = await Tickets.RecordSlaBreachesAsync();
        var colleagueAfter = await notifications.ListAsync(colleague);
        await notifications.MarkReadAsync(ownerNotes[0].Id, owner);
        var foreign = await Assert.ThrowsAsync<TicketPortal.Domain.DomainException>(() => notifications.MarkReadAsync(ownerNotes[0].Id, colleague));
        // The owner's session by a customer link to that very ticket is never staff: it hears of no breach.
        var linkSession = owner with { Tickets = new HashSet<int> { ticket.Number } };
        var byLink = await notifications.ListAsync(linkSession);
        var markByLink = await Assert.ThrowsAsync<TicketPortal.Domain.DomainException>(() => notifications.MarkReadAsync(ownerNotes[0].Id, linkSession));

        Assert.Equal(((1, 0), (0, 1)), (atBreach, later));
        Assert.Equal("#1 Scanner offline: SLA resolution breached.", Assert.Single(ownerNotes).Text);
        Assert.Empty(colleagueBefore);
        Assert.Contains("escalated to you", Assert.Single(colleagueAfter).Text);
        Assert.True((await notifications.ListAsync(owner)).First(n => n.Text.EndsWith("breached.", StringComparison.Ordinal)).Read);
        Assert.Equal(TicketPortal.Domain.DomainErrorKind.NotFound, foreign.Kind);
        Assert.Empty(await notifications.ListAsync(requester));
        Assert.Empty(byLink);
        Assert.Equal(TicketPortal.Domain.DomainErrorKind.NotFound, markByLink.Kind);
    }
}
