using TicketPortal.Domain;
using TicketPortal.Domain.Tickets;

namespace TicketPortal.Tests.Domain;

public class TicketTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly Project Chg = new("CHG", "Changes", "change-board", ["Change"]);

    private static Ticket NewTicket(string title = "Printer on fire") =>
        Ticket.Open(7, Chg, "change", title, "It *smokes*.", Priority.High, "alice", "Ticket", Now);

    [Fact]
    public void Open_StartsAtVersionOneWithACreatedEntry()
    {
        var ticket = NewTicket();

        Assert.Equal(1, ticket.Version);
        Assert.Equal("Change", ticket.Tracker);
        var entry = Assert.Single(ticket.Journal);
        Assert.Equal("alice", entry.AuthorId);
        Assert.Equal(new JournalChange("created", null, "CHG-7"), Assert.Single(entry.Changes));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Open_WithoutTitle_IsRefused(string title)
    {
        var error = Assert.Throws<DomainException>(() => NewTicket(title));

        Assert.Equal(DomainErrorKind.Invalid, error.Kind);
        Assert.StartsWith("title:", error.Message);
    }

    [Fact]
    public void Open_WithOversizeTitleOrText_IsRefused()
    {
        Assert.Throws<DomainException>(() => NewTicket(new string('x', Ticket.MaxTitleLength + 1)));
        Assert.Throws<DomainException>(() => Ticket.Open(1, Chg, "Change", "t", new string('x', Ticket.MaxTextLength + 1), Priority.Low, "a", "Ticket", Now));
    }

    [Fact]
    public void Open_WithUnknownTracker_NamesTheKnownOnes()
    {
        var error = Assert.Throws<DomainException>(() => Ticket.Open(1, Chg, "Bug", "t", "", Priority.Low, "a", "Ticket", Now));

        Assert.Contains("use one of Change", error.Message);
    }

    [Fact]
    public void EveryChange_IsJournalledWithOldAndNewValues()
    {
        var ticket = NewTicket();
        var later = Now.AddHours(1);

        var entry = ticket.Record("bob", later, "Approved after review.", isInternal: false);
        ticket.ChangeStatus(entry, "Approved");
        ticket.AddLabel(entry, "bug");
        ticket.SetField(entry, "releaseNote", "First");
        ticket.SetField(entry, "releaseNote", "Second");

        Assert.Equal(2, ticket.Version);
        Assert.Equal(later, ticket.UpdatedAt);
        Assert.Equal(later, ticket.StatusChangedAt);
        Assert.Equal("Approved after review.", entry.Note);
        Assert.Equal(
            [new("status", "Ticket", "Approved"), new("labels", null, "bug"), new("releaseNote", null, "First"), new("releaseNote", "First", "Second")],
            entry.Changes);
    }

    [Fact]
    public void UnchangedValues_AddNoJournalChanges()
    {
        var ticket = NewTicket();
        var entry = ticket.Record("bob", Now, null, isInternal: false);

        ticket.ChangeStatus(entry, "Ticket");
        ticket.Assign(entry, null, null, null);

        Assert.Empty(entry.Changes);
    }

    [Fact]
    public void EnsureVersion_WithAnOlderVersion_IsAConflict()
    {
        var ticket = NewTicket();
        ticket.Record("bob", Now, "note", isInternal: false);

        var error = Assert.Throws<DomainException>(() => ticket.EnsureVersion(1));

        Assert.Equal(DomainErrorKind.Conflict, error.Kind);
        Assert.Contains("your version 1, current 2", error.Message);
        ticket.EnsureVersion(2);
        ticket.EnsureVersion(null);
    }

    [Fact]
    public void Checklist_TickingRecordsWhoAndWhen()
    {
        var ticket = NewTicket();
        var item = ticket.AddChecklistItem(ticket.Record("ops", Now, null, false), "Update user guide");

        ticket.TickChecklistItem(ticket.Record("carol", Now.AddMinutes(5), null, false), item.Id, done: true, "carol");

        Assert.True(ticket.ChecklistComplete);
        Assert.Equal("carol", ticket.Checklist[0].DoneById);
        Assert.Equal(Now.AddMinutes(5), ticket.Checklist[0].DoneAt);
        Assert.Equal(DomainErrorKind.NotFound,
            Assert.Throws<DomainException>(() => ticket.TickChecklistItem(ticket.Record("c", Now, null, false), 99, true, "c")).Kind);
    }

    [Fact]
    public void Links_ToItselfAreRefusedAndDuplicatesIgnored()
    {
        var ticket = NewTicket();
        var entry = ticket.Record("bob", Now, null, false);

        ticket.AddLink(entry, LinkType.Related, 8);
        ticket.AddLink(entry, LinkType.Related, 8);

        Assert.Single(ticket.Links);
        Assert.Throws<DomainException>(() => ticket.AddLink(entry, LinkType.Blocks, 7));
        Assert.Equal(LinkType.CopiedFrom, LinkType.CopiedTo.Inverse());
        Assert.Equal(LinkType.BlockedBy, LinkTypes.Parse("blocked-by"));
        Assert.Throws<DomainException>(() => LinkTypes.Parse("cousin-of"));
    }
}
