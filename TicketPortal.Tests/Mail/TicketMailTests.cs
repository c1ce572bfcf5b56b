using Microsoft.EntityFrameworkCore;
using TicketPortal.Domain;
using TicketPortal.Domain.Mail;
using TicketPortal.Domain.People;
using TicketPortal.Domain.Tickets;
using TicketPortal.Tests.Support;

namespace TicketPortal.Tests.Mail;

/// <summary>The mails ticket changes queue (on a timer-review project), and what a customer link's session may see.</summary>
public sealed class TicketMailTests : IAsyncLifetime
{
    private TestDatabase _db = default!;
    private Viewer _owner = default!;
    private Viewer _colleague = default!;
    private Viewer _requester = default!;

    private TicketService Tickets => _db.Tickets;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        await _db.AddProjectAsync("TMR", "timer-review");
        _owner = await _db.AddUserAsync("owner@x.test", "TMR:staff");
        _colleague = await _db.AddUserAsync("colleague@x.test", "TMR:staff");
        _requester = await _db.AddUserAsync("req@x.test", "TMR:member");
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private async Task<List<OutboxMessage>> OutboxAsync()
    {
        await using var db = _db.CreateDbContext();
        return await db.Outbox.Include(m => m.Body).OrderBy(m => m.Id).ToListAsync();
    }

    [Fact]
    public async Task PublicChanges_AreMailedToTheRequester_InternalNotesAndTheirOwnWordsAreNot()
    {
        var ticket = await Tickets.CreateAsync(new CreateTicket("TMR", "Request", "Projector", "It flickers.", null, null), _requester);
        await Tickets.AddNoteAsync(ticket.Number, "Also in room 2.", isInternal: false, null, _requester);
        await Tickets.AddNoteAsync(ticket.Number, "Vendor is slow, don't tell.", isInternal: true, null, _owner);
        var afterQuiet = await OutboxAsync();
        await Tickets.TransitionAsync(ticket.Number, new TakeTransition("assign-self", "On my way.", null, null), _owner);

        var mails = (await OutboxAsync()).Where(m => m.ToAddress == "req@x.test").ToList();
        Assert.Single(afterQuiet, m => m.ToAddress == "req@x.test");
        Assert.Equal(2, mails.Count);
        var news = mails[^1];
        Assert.Equal(("req@x.test", $"[#{ticket.Number}] Projector", $"ticket-{ticket.Number}@localhost"), (news.ToAddress, news.Subject, news.InReplyTo));
        Assert.Contains("* Status: New → In progress\nowner wrote:\n\nOn my way.", news.Body!.Text, StringComparison.Ordinal);
        Assert.Contains("Status now: In progress", news.Body.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Vendor", news.Body.Text + news.Body.Html, StringComparison.Ordinal);
        Assert.Contains("<li>Status: New → In progress</li>", news.Body.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ANewTicket_IsConfirmedToTheRequester_AndMailedToTheRolesThePresetNames()
    {
        var ticket = await Tickets.CreateAsync(new CreateTicket("TMR", "Request", "Projector", "It *flickers*.", null, null), _requester);

        var mails = await OutboxAsync();
        Assert.Equal(["colleague@x.test", "owner@x.test", "req@x.test"], mails.Select(m => m.ToAddress).Order());
        var toStaff = mails.First(m => m.ToAddress == "owner@x.test");
        Assert.Equal($"[#{ticket.Number}] Projector", toStaff.Subject);
        Assert.Contains("New ticket #1 in TMR project from req:", toStaff.Body!.Text, StringComparison.Ordinal);
        Assert.Contains("<em>flickers</em>", toStaff.Body.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("/c/", toStaff.Body.Text, StringComparison.Ordinal);
        Assert.Contains("/c/", mails.Single(m => m.ToAddress == "req@x.test").Body!.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StaffWithoutADisplayName_AreNamedInTheCustomersMail_ButNotByTheirAddress()
    {
        var ticket = await Tickets.CreateAsync(new CreateTicket("TMR", "Request", "Projector", null, null, null), _requester);
        await using (var db = _db.CreateDbContext())
        {
            await db.Users.Where(u => u.Email == "owner@x.test").ExecuteUpdateAsync(u => u.SetProperty(x => x.DisplayName, ""));
        }

        await Tickets.AddNoteAsync(ticket.Number, "On it.", isInternal: false, null, _owner);

        var news = (await OutboxAsync())[^1];
        Assert.Equal("req@x.test", news.ToAddress);
        Assert.Contains($"{PortalUser.Unnamed} wrote:\n\nOn it.", news.Body!.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("owner@", news.Body.Text + news.Body.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ANoteWithMarkup_IsEscapedInTheHtmlMail()
    {
        var ticket = await Tickets.CreateAsync(new CreateTicket("TMR", "Request", "<b>Bold</b> title", null, null, null), _requester);

        await Tickets.AddNoteAsync(ticket.Number, "<script>alert(1)</script> **ok**", isInternal: false, null, _owner);

        var html = (await OutboxAsync())[^1].Body!.Html;
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>Bold</b>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;Bold&lt;/b&gt; title", html, StringComparison.Ordinal);
        Assert.Contains("<strong>ok</strong>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABreach_MailsTheOwner_AndLaterTheLeadsItIsEscalatedTo()
    {
        var ticket = await Tickets.CreateAsync(new CreateTicket("TMR", "Request", "Scanner offline", null, null, null), _requester);
        var started = await Tickets.TransitionAsync(ticket.Number, new TakeTransition("assign-self", null, null, null), _owner);
        var before = (await OutboxAsync()).Count;
        Assert.Equal(4, before);

        _db.Clock.SetUtcNow(started.Sla[0].DueAt.AddMinutes(1));
        await Tickets.RecordSlaBreachesAsync();
        var atBreach = (await OutboxAsync()).Skip(before).ToList();
        _db.Clock.Advance(TimeSpan.FromDays(1));
        await Tickets.RecordSlaBreachesAsync();
        var escalated = (await OutboxAsync()).Skip(before + atBreach.Count).ToList();

        var toOwner = Assert.Single(atBreach);
        Assert.Equal(("owner@x.test", $"[#{ticket.Number}] Scanner offline SLA resolution breached"), (toOwner.ToAddress, toOwner.Subject));
        Assert.Contains("You own this ticket.", toOwner.Body!.Text, StringComparison.Ordinal);
        Assert.Contains($"http://localhost:5080/tickets/{ticket.Number}", toOwner.Body.Text, StringComparison.Ordinal);
        Assert.Equal(["colleague@x.test", "owner@x.test"], escalated.Select(m => m.ToAddress).Order());
        Assert.All(escalated, m => Assert.Contains("escalated to you", m.Body!.Text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ACustomer_SeesStaffByNameNotByAddress_AndNoLabelsOrClocks_OnTheTicketTheListAndTheBoard()
    {
        var ticket = await Tickets.CreateAsync(new CreateTicket("TMR", "Request", "Projector", "It flickers.", null, null), _requester);
        await Tickets.TransitionAsync(ticket.Number, new TakeTransition("assign-self", "On my way.", null, null), _owner);
        await using (var db = _db.CreateDbContext())
        {
            await db.Database.ExecuteSqlAsync($"UPDATE Tickets SET Labels = '[\"vip\"]' WHERE Number = {ticket.Number}");
        }

        var staffView = await Tickets.GetAsync(ticket.Number, _colleague);
        var seen = await Tickets.GetAsync(ticket.Number, _requester);
        var listed = (await Tickets.ListAsync(new TicketQuery(), _requester)).Items.Single();
        var card = (await Tickets.BoardAsync("TMR", _requester)).Single();

        Assert.Equal(new PersonView("owner@x.test", "owner"), staffView.Assignee);
        Assert.Equal(["vip"], staffView.Labels);
        Assert.Equal(["req@x.test", "owner@x.test"], staffView.Journal.Select(j => j.Author).Distinct());
        Assert.Equal(new PersonView(null, "owner"), seen.Assignee);
        Assert.Equal(new PersonView("req@x.test", "req"), seen.Reporter);
        Assert.Equal(["req", "owner"], seen.Journal.Select(j => j.Author).Distinct());
        Assert.Contains(seen.Journal.SelectMany(j => j.Changes), c => c is { Field: "assignee", Old: null, New: "owner" });
        Assert.DoesNotContain("owner@", System.Text.Json.JsonSerializer.Serialize(seen), StringComparison.Ordinal);
        Assert.Equal(("owner", 0), (listed.Assignee, listed.Labels.Count));
        Assert.Equal((new PersonView(null, "owner"), 0, (SlaView?)null), (card.Assignee, card.Labels.Count, card.Sla));
        Assert.Equal([ticket.Number], (await Tickets.ListAsync(new TicketQuery(Label: "vip"), _colleague)).Items.Select(i => i.Number));
        Assert.Empty((await Tickets.ListAsync(new TicketQuery(Label: "vip"), _requester)).Items);
        Assert.Empty((await Tickets.ListAsync(new TicketQuery(Assignee: "owner@x.test"), _requester)).Items);
        Assert.NotNull((await Tickets.BoardAsync("TMR", _colleague)).Single().Sla);
    }

    [Theory]
    [InlineData("Olga Owner", "Olga Owner")]
    [InlineData("", PortalUser.Unnamed)]
    public void ACustomerSeesOthersByDisplayName_NeverByAddress_AndThemselvesInFull(string displayName, string shown)
    {
        var staff = new PortalUser { Id = "staff", Email = "olga@x.test", DisplayName = displayName };
        var customer = new PortalUser { Id = "customer", Email = "cus@x.test", DisplayName = "" };

        Assert.Equal(new PersonView(null, shown), PersonView.Seen(staff, staff: false, viewerId: "customer"));
        Assert.Equal(shown, PersonView.Seen(staff, staff: false, viewerId: "customer").Label(staff: false));
        Assert.Equal("olga@x.test", PersonView.Seen(staff, staff: true, viewerId: "someone").Label(staff: true));
        Assert.Equal(new PersonView("cus@x.test", "cus@x.test"), PersonView.Seen(customer, staff: false, viewerId: "customer"));
    }

    [Fact]
    public async Task ALinkSession_SeesOnlyItsTicket_AndIsNeverStaff_EvenForAStaffMembersOwnTicket()
    {
        var linked = await Tickets.CreateAsync(new CreateTicket("TMR", "Request", "Linked", null, null, null), _requester);
        var other = await Tickets.CreateAsync(new CreateTicket("TMR", "Request", "Other", null, null, null), _requester);
        await Tickets.AddNoteAsync(linked.Number, "Internal.", isInternal: true, null, _owner);
        var session = _requester with { Tickets = new HashSet<int> { linked.Number } };

        var seen = await Tickets.GetAsync(linked.Number, session);
        var hidden = await Assert.ThrowsAsync<DomainException>(() => Tickets.GetAsync(other.Number, session));
        var listed = await Tickets.ListAsync(new TicketQuery(IncludeHidden: true), session);
        var board = await Tickets.BoardAsync("TMR", session);

        Assert.DoesNotContain(seen.Journal, j => j.Internal);
        Assert.Equal(DomainErrorKind.NotFound, hidden.Kind);
        Assert.Equal([linked.Number], listed.Items.Select(i => i.Number));
        Assert.Equal([linked.Number], board.Select(c => c.Number));

        var staffOwn = await Tickets.CreateAsync(new CreateTicket("TMR", "Request", "Staff's own", null, null, null), _owner);
        await Tickets.AddNoteAsync(staffOwn.Number, "Internal.", isInternal: true, null, _colleague);
        var staffSession = (_owner with { IsAdmin = true }) with { Tickets = new HashSet<int> { staffOwn.Number } };
        Assert.DoesNotContain((await Tickets.GetAsync(staffOwn.Number, staffSession)).Journal, j => j.Internal);
        Assert.Empty(await Tickets.AvailableTransitionsAsync(staffOwn.Number, staffSession));
        var refused = await Assert.ThrowsAsync<DomainException>(() => Tickets.AddNoteAsync(staffOwn.Number, "x", isInternal: true, null, staffSession));
        Assert.Equal(DomainErrorKind.Forbidden, refused.Kind);
    }

    [Fact]
    public void EveryTemplate_RendersTextAndHtml_AndRefusesAMissingValue()
    {
        var body = MailTemplates.Render(MailTemplate.SlaBreached, new Dictionary<string, string>
        {
            ["clock"] = "resolution", ["number"] = "7", ["project"] = "P & Q", ["title"] = "<x>", ["due"] = "soon", ["why"] = "because", ["link"] = "http://l",
        });

        Assert.Contains("ticket #7 in P & Q", body.Text, StringComparison.Ordinal);
        Assert.Contains("in P &amp; Q", body.Html, StringComparison.Ordinal);
        Assert.Contains("&lt;x&gt;", body.Html, StringComparison.Ordinal);
        var missing = Assert.Throws<InvalidOperationException>(() => MailTemplates.Render(MailTemplate.TicketCreated, new Dictionary<string, string>()));
        Assert.Contains("was not given", missing.Message, StringComparison.Ordinal);
        Assert.All(Enum.GetValues<MailTemplate>(), t => Assert.Matches("^[a-z-]+$", MailTemplates.FileName(t)));
    }
}
