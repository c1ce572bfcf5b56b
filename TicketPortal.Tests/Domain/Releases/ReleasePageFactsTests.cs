using TicketPortal.Domain.Releases;

namespace TicketPortal.Tests.Domain.Releases;

public class ReleasePageFactsTests
{
    private static ReleaseNotesInput Named(string? name) =>
        new("CHG", "Change \"board\" \\ two", SemanticVersion.Parse("1.4.0"), name, new DateOnly(2026, 12, 1), "",
            [new ReleaseNoteEntry(1, "A change", "", ChangeCategory.Changed, false, "https://portal.example.test/tickets/1")], []);

    [Theory]
    [InlineData("Winter clean-up")]
    [InlineData("@team's *big* {% release %} #1")]
    [InlineData(@"Paths like C:\Temp and a\\b")]
    [InlineData("<b>bold</b> & [link](x)")]
    public void Read_GivesBackWhatTheWriterWrote(string name)
    {
        var markdown = ReleaseNotesWriter.Write(Named(name));

        var facts = ReleasePageFacts.Read(markdown);

        Assert.Equal($"1.4.0 — {name} (2026-12-01)", facts.Title);
        Assert.Equal(("CHG", new DateOnly(2026, 12, 1)), (facts.Project, facts.GoLiveDate));
        Assert.Equal(ReleaseNotesWriter.Description(Named(name)), facts.Description);
    }

    [Fact]
    public void Read_APageWithoutFrontMatterOrDate_GivesTheTitleOnly()
    {
        var facts = ReleasePageFacts.Read("# Notes written by hand\n\nText.\n");

        Assert.Equal(new ReleasePageFacts(null, null, "Notes written by hand", null), facts);
    }
}
