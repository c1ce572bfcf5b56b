using Bunit;
using TicketPortal.Components.Pages.Board;
using TicketPortal.Components.Shared;
using TicketPortal.Domain.Tickets;

namespace TicketPortal.Tests.Components;

public sealed class BoardTests : PortalComponentContext
{
    private static readonly DateTimeOffset Due = new(2026, 11, 24, 17, 0, 0, TimeSpan.Zero);

    [Fact]
    public void PutsEachCardInTheColumnOfItsStatus_WithAssigneeLabelsAndSla()
    {
        var cards = new[]
        {
            new BoardCard(1, "Printer", "New", null, [], null),
            new BoardCard(2, "Projector", "In progress", new PersonView("s@x", "Stella"), ["escalated"],
                new SlaView("resolution", Due, TimeSpan.FromHours(5), false, false, false)),
        };

        var board = Render<Board>(p => p
            .Add(x => x.Columns, ["New", "In progress", "Resolved"])
            .Add(x => x.Cards, cards)
            .Add(x => x.MoreHref, "projects/TMR/tickets")
            .Add(x => x.OnMove, (_) => { }));

        Assert.Equal(["New", "In progress", "Resolved"], board.FindAll("[data-column]").Select(c => c.GetAttribute("data-column")));
        Assert.NotNull(board.Find("[data-column=New] [data-testid=card-1]"));
        var projector = board.Find("[data-column='In progress'] [data-testid=card-2]");
        Assert.Contains("Stella", projector.TextContent);
        Assert.Contains("escalated", projector.TextContent);
        Assert.Contains("resolution: 5h 00m left", projector.TextContent);
        Assert.Contains("(0)", board.Find("[data-column=Resolved]").TextContent);
    }

    [Fact]
    public void DraggingACardOntoAnotherColumn_AsksToMoveIt_AndADropOnItsOwnColumnDoesNothing()
    {
        var moves = new List<(int, string)>();
        var board = Render<Board>(p => p
            .Add(x => x.Columns, ["New", "In progress"])
            .Add(x => x.Cards, [new BoardCard(1, "Printer", "New", null, [], null)])
            .Add(x => x.MoreHref, "projects/TMR/tickets")
            .Add(x => x.OnMove, move => moves.Add((move.Card.Number, move.To))));

        board.Find("[data-testid=card-1]").DragStart();
        board.Find("[data-column=New] .board-zone").Drop();
        board.Find("[data-testid=card-1]").DragStart();
        board.Find("[data-column='In progress'] .board-zone").Drop();

        Assert.Equal([(1, "In progress")], moves);
    }

    [Fact]
    public void AFullColumn_ShowsTheFirstCards_AndLinksToTheListForTheRest()
    {
        var cards = Enumerable.Range(1, Board.PerColumn + 3).Select(n => new BoardCard(n, $"Ticket {n}", "New", null, [], null)).ToList();

        var board = Render<Board>(p => p
            .Add(x => x.Columns, ["New"])
            .Add(x => x.Cards, cards)
            .Add(x => x.MoreHref, "projects/TMR/tickets")
            .Add(x => x.OnMove, (_) => { }));

        Assert.Equal(Board.PerColumn, board.FindAll(".board-card").Count);
        Assert.Contains($"({Board.PerColumn + 3})", board.Find("[data-column=New] h2").TextContent);
        var more = board.Find("[data-testid='more-New']");
        Assert.Equal("3 more in the list", more.TextContent);
        Assert.Equal("projects/TMR/tickets", more.GetAttribute("href"));
    }

    [Theory]
    [InlineData(5, false, false, false, "resolution: 5h 00m left", "mud-chip-color-info")]
    [InlineData(1.5, false, false, false, "resolution: 1h 30m left", "mud-chip-color-warning")]
    [InlineData(-2, false, true, false, "resolution: 2h 00m over", "mud-chip-color-error")]
    [InlineData(3, true, false, false, "resolution: paused, 3h 00m left", "mud-chip-color-default")]
    [InlineData(3, false, false, true, "resolution: met", "mud-chip-color-success")]
    public void SlaChip_SaysWhatIsLeftAndColoursAsTheBreachNears(double hours, bool paused, bool breached, bool met, string text, string colour)
    {
        var chip = Render<SlaChip>(p => p.Add(x => x.Sla, new SlaView("resolution", Due, TimeSpan.FromHours(hours), paused, breached, met)));

        var element = chip.Find("[data-testid=sla-chip]");
        Assert.Equal(text, element.TextContent.Trim());
        Assert.Contains(colour, element.ClassName);
    }
}
