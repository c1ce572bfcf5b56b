using System.Globalization;
using TicketPortal.Domain.Releases;

namespace TicketPortal.Tests.Domain.Releases;

public class DocsSpaceTests
{
    private static SemanticVersion V(string text) => SemanticVersion.Parse(text);

    private static string Summary(params string[] lines) => string.Join('\n', lines) + "\n";

    [Fact]
    public void WithRelease_OnTheInitialSummary_ListsThePageUnderReleases()
    {
        var summary = DocsSpace.InitialFiles("Release notes")[DocsSpace.Summary];

        var updated = DocsSpace.WithRelease(summary, V("1.4.0"));

        Assert.Equal(Summary("# Table of contents", "", "* [Release notes](README.md)", "", "## Releases", "", "* [1.4.0](releases/1.4.0.md)"), updated);
    }

    [Fact]
    public void WithRelease_PutsTheNewestVersionFirst_ComparingNumbersNotText()
    {
        var summary = Summary("# Table of contents", "", "## Releases", "", "* [1.9.0](releases/1.9.0.md)", "* [1.2.0](releases/1.2.0.md)");

        var updated = DocsSpace.WithRelease(summary, V("1.10.0"));

        Assert.Equal(
            Summary("# Table of contents", "", "## Releases", "", "* [1.10.0](releases/1.10.0.md)", "* [1.9.0](releases/1.9.0.md)", "* [1.2.0](releases/1.2.0.md)"),
            updated);
    }

    [Fact]
    public void WithRelease_AnOlderVersionOrAPreRelease_GoesBelowNewerOnes()
    {
        var summary = Summary("## Releases", "", "* [2.0.0](releases/2.0.0.md)", "* [1.0.0](releases/1.0.0.md)");

        var updated = DocsSpace.WithRelease(DocsSpace.WithRelease(summary, V("1.5.0")), V("2.0.0-rc.1"));

        Assert.Equal(
            Summary("## Releases", "", "* [2.0.0](releases/2.0.0.md)", "* [2.0.0-rc.1](releases/2.0.0-rc.1.md)", "* [1.5.0](releases/1.5.0.md)", "* [1.0.0](releases/1.0.0.md)"),
            updated);
    }

    [Fact]
    public void WithRelease_PublishedAgain_ListsTheVersionOnce()
    {
        var once = DocsSpace.WithRelease(DocsSpace.InitialFiles("Notes")[DocsSpace.Summary], V("1.4.0"));

        var twice = DocsSpace.WithRelease(once, V("1.4.0"));

        Assert.Equal(once, twice);
        Assert.Single(twice.Split('\n'), l => l.Contains("releases/1.4.0.md", StringComparison.Ordinal));
    }

    [Fact]
    public void WithRelease_ReplacesAHandWrittenLineForTheSamePage()
    {
        var summary = Summary("## Releases", "", "- [Release 1.4.0, the big one](releases/1.4.0.md)");

        var updated = DocsSpace.WithRelease(summary, V("1.4.0"));

        Assert.Equal(Summary("## Releases", "", "* [1.4.0](releases/1.4.0.md)"), updated);
    }

    [Fact]
    public void WithRelease_WithoutAReleasesGroup_AddsItAtTheEnd()
    {
        var summary = Summary("# Table of contents", "", "* [Home](README.md)", "* [Guide](guide.md)", "", "");

        var updated = DocsSpace.WithRelease(summary, V("1.0.0"));

        Assert.Equal(Summary("# Table of contents", "", "* [Home](README.md)", "* [Guide](guide.md)", "", "## Releases", "", "* [1.0.0](releases/1.0.0.md)"), updated);
    }

    [Fact]
    public void WithRelease_KeepsHandWrittenLinesAndGroups_AroundAndInsideTheReleasesGroup()
    {
        var summary = Summary(
            "# Table of contents",
            "",
            "* [Home](README.md)",
            "* [User guide](guide/README.md)",
            "  * [Purchases](guide/purchases.md)",
            "",
            "## Releases",
            "",
            "* [How we version](releases/versioning.md)",
            "* [1.0.0](releases/1.0.0.md)",
            "* [Archive](releases/archive.md)",
            "",
            "## Operations",
            "",
            "* [Runbook](ops/runbook.md)");

        var updated = DocsSpace.WithRelease(summary, V("1.1.0"));

        Assert.Equal(
            Summary(
                "# Table of contents",
                "",
                "* [Home](README.md)",
                "* [User guide](guide/README.md)",
                "  * [Purchases](guide/purchases.md)",
                "",
                "## Releases",
                "",
                "* [1.1.0](releases/1.1.0.md)",
                "* [1.0.0](releases/1.0.0.md)",
                "* [How we version](releases/versioning.md)",
                "* [Archive](releases/archive.md)",
                "",
                "## Operations",
                "",
                "* [Runbook](ops/runbook.md)"),
            updated);
    }

    [Fact]
    public void WithRelease_ReadsWindowsLineEndings_AndWritesLf()
    {
        var summary = "## Releases\r\n\r\n* [1.0.0](releases/1.0.0.md)\r\n";

        var updated = DocsSpace.WithRelease(summary, V("1.0.1"));

        Assert.Equal(Summary("## Releases", "", "* [1.0.1](releases/1.0.1.md)", "* [1.0.0](releases/1.0.0.md)"), updated);
    }

    [Fact]
    public void WithLatest_ReplacesTheLatestReleaseLine_AndKeepsTheRest()
    {
        var readme = DocsSpace.InitialFiles("Release notes")[DocsSpace.Readme];
        var first = DocsSpace.WithLatest(readme, V("1.4.0"), "Change board", new DateOnly(2026, 12, 1));

        var second = DocsSpace.WithLatest(first, V("1.5.0"), "Change board", new DateOnly(2027, 1, 15));

        Assert.Equal(
            "# Release notes\n\nRelease notes, one page per version, written by TicketPortal.\n\nLatest release: [1.5.0](releases/1.5.0.md) of Change board, live on 2027-01-15.\n",
            second);
        Assert.Single(second.Split('\n'), l => l.StartsWith("Latest release:", StringComparison.Ordinal));
    }

    [Fact]
    public void WithLatest_WithoutTheLine_AddsIt()
    {
        var readme = "# Our docs\n\nWritten by hand.\n";

        var updated = DocsSpace.WithLatest(readme, V("2.0.0"), "Change *board*", new DateOnly(2026, 12, 1));

        Assert.Equal("# Our docs\n\nWritten by hand.\n\nLatest release: [2.0.0](releases/2.0.0.md) of Change \\*board\\*, live on 2026-12-01.\n", updated);
    }

    [Theory]
    [InlineData("th-TH")]
    [InlineData("ar-SA")]
    public void WithLatest_WritesTheGregorianDate_WhateverTheCurrentCulture(string culture)
    {
        var before = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(culture);
        try
        {
            var updated = DocsSpace.WithLatest("# Notes\n", V("1.0.0"), "Change board", new DateOnly(2026, 12, 1));

            Assert.EndsWith("live on 2026-12-01.\n", updated, StringComparison.Ordinal);
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }
    }

    [Theory]
    [InlineData("1.4.0.md", "1.4.0")]
    [InlineData("2.0.0-rc.1.md", "2.0.0-rc.1")]
    [InlineData("versioning.md", null)]
    [InlineData("1.4.md", null)]
    [InlineData("1.4.0.txt", null)]
    public void VersionOfPage_ReadsTheVersionFromTheFileName(string fileName, string? expected)
    {
        var version = DocsSpace.VersionOfPage(fileName);

        Assert.Equal(expected, version?.ToString());
    }

    [Fact]
    public void WithLatest_AHotfixOfAnOlderLine_DoesNotBecomeTheLatest()
    {
        var readme = DocsSpace.WithLatest("# Notes\n", V("2.0.0"), "Change board", new DateOnly(2026, 12, 1));

        var after = DocsSpace.WithLatest(readme, V("1.4.1"), "Change board", new DateOnly(2026, 12, 5));

        Assert.Equal(readme, after);
        Assert.Contains("[2.0.0](releases/2.0.0.md)", after, StringComparison.Ordinal);
    }
}
