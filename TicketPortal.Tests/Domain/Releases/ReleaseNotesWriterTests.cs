using System.Text.RegularExpressions;
using TicketPortal.Domain.Releases;

namespace TicketPortal.Tests.Domain.Releases;

/// <summary>
/// The notes writer against golden files in Expected/: the bytes GitBook receives are compared exactly, so any change to
/// the page format shows up as a diff to review.
/// </summary>
public class ReleaseNotesWriterTests
{
    private const string Url = "https://portal.example.test/tickets/";

    private static ReleaseNoteEntry Entry(int number, string title, string note, ChangeCategory category, bool ux = false) =>
        new(number, title, note, category, ux, Url + number);

    private static ReleaseNotesInput Release(string version, IReadOnlyList<ReleaseNoteEntry> entries, string? name = null, string intro = "", IReadOnlyList<string>? contributors = null) =>
        new("CHG", "Change board", SemanticVersion.Parse(version), name, new DateOnly(2026, 12, 1), intro, entries, contributors ?? []);

    // Entries are deliberately out of number order, with a repeated and a blank contributor.
    public static ReleaseNotesInput FullRelease { get; } = Release(
        "1.4.0",
        [
            Entry(21, "Patch the PDF library", "Closes a hole in the PDF export.", ChangeCategory.Security),
            Entry(12, "Show the cost centre on every invoice line", "Invoice lines show their cost centre.", ChangeCategory.Added),
            Entry(15, "Simpler purchase request form", "The purchase request form asks for the supplier first and fills in the rest.", ChangeCategory.Added, ux: true),
            Entry(14, "VAT total off by a cent on long invoices", "The VAT total is rounded per line, as the auditors ask.", ChangeCategory.Fixed),
            Entry(20, "Old CSV export", "Use the Excel export instead.", ChangeCategory.Removed),
            Entry(18, "Monthly report layout", "", ChangeCategory.Changed, ux: true),
            Entry(19, "Legacy approval e-mails", "They stop in 2.0.0.", ChangeCategory.Deprecated),
        ],
        name: "Winter clean-up",
        intro: "This release of Change board brings 7 changes; 2 of them change what users see, listed first.\n\nThanks to **finance** for testing.",
        contributors: ["Omar Ops-Director", "Ines IT-Director", "Ines IT-Director", " ", "Dana Developer"]);

    public static ReleaseNotesInput PlainRelease { get; } = Release(
        "2.0.0-rc.1",
        [Entry(7, "Login page shows the wrong logo", "The new logo is shown everywhere.", ChangeCategory.Fixed)]);

    public static ReleaseNotesInput EscapedTitles { get; } = Release(
        "1.5.0",
        [
            Entry(31, "Mention @user in comments", "", ChangeCategory.Added),
            Entry(32, "#123 still open after the fix", "", ChangeCategory.Fixed),
            Entry(33, "Totals in *bold* and snake_case names", "", ChangeCategory.Changed),
            Entry(34, "Links like [x](y) in titles", "", ChangeCategory.Changed),
            Entry(35, "Drop <b>raw</b> HTML & entities", "", ChangeCategory.Removed),
            Entry(36, "Explain {% hint %} blocks {% endhint %}", "", ChangeCategory.Added),
            Entry(37, "Back\\slash, `code`, !bang, pipe | and ~tilde~", "", ChangeCategory.Changed),
        ],
        name: "@team's *big* {% release %}",
        contributors: ["@dana", "#ops", "<script>"]);

    public static ReleaseNotesInput MultiLineNotes { get; } = Release(
        "1.6.0",
        [
            Entry(41, "Purchase orders", "First line.\r\nSecond line with **bold**.\n\n\nAfter blank lines.   \n", ChangeCategory.Added, ux: true),
            Entry(42, "Template tags in notes", "Shows {% hint style=\"danger\" %} as text\n{% endhint %}", ChangeCategory.Changed),
            Entry(43, "Title on\ntwo lines", "\n\n  Indented note  \n\n", ChangeCategory.Fixed),
        ],
        intro: "First paragraph.\r\n\r\n\r\n\r\nSecond paragraph\nstill second.\n\n{% hint style=\"info\" %}\nnot a hint\n{% endhint %}\n\n");

    public static TheoryData<string> GoldenCases() => ["full-release", "plain-release", "escaped-titles", "multi-line-notes"];

    private static ReleaseNotesInput Input(string name) => name switch
    {
        "full-release" => FullRelease,
        "plain-release" => PlainRelease,
        "escaped-titles" => EscapedTitles,
        "multi-line-notes" => MultiLineNotes,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    private static string Expected(string name) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Domain", "Releases", "Expected", name + ".md"));

    [Theory]
    [MemberData(nameof(GoldenCases))]
    public void Write_GivesExactlyTheGoldenFile(string name)
    {
        var input = Input(name);

        var markdown = ReleaseNotesWriter.Write(input);

        Assert.Equal(Expected(name), markdown);
    }

    [Theory]
    [MemberData(nameof(GoldenCases))]
    public void Write_SameInputTwice_GivesIdenticalOutput(string name)
    {
        var input = Input(name);

        var first = ReleaseNotesWriter.Write(input);
        var second = ReleaseNotesWriter.Write(input with { Entries = [.. input.Entries.Reverse()], Contributors = [.. input.Contributors.Reverse()] });

        Assert.Equal(first, second);
    }

    [Fact]
    public void Write_ListsEachTicketInExactlyOneCategorySection()
    {
        var input = FullRelease;

        var markdown = ReleaseNotesWriter.Write(input);

        var sections = Regex.Split(markdown, @"^## ", RegexOptions.Multiline).Skip(1)
            .Where(s => !s.StartsWith("Contributors", StringComparison.Ordinal)).ToList();
        Assert.Equal(6, sections.Count);
        foreach (var entry in input.Entries)
        {
            var link = $"[#{entry.Number}]({entry.Url})";
            var holding = sections.Where(s => s.Contains(link, StringComparison.Ordinal)).ToList();
            var section = Assert.Single(holding);
            Assert.StartsWith(entry.Category.ToString() + "\n", section, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Write_PutsOnlyTheUserExperienceChangesInTheWarningHint()
    {
        var input = FullRelease;

        var markdown = ReleaseNotesWriter.Write(input);

        var hint = Regex.Match(markdown, @"\{% hint style=""warning"" %\}\n(?<body>.*?)\{% endhint %\}", RegexOptions.Singleline);
        Assert.True(hint.Success, markdown);
        var linked = Regex.Matches(hint.Groups["body"].Value, @"\[#(\d+)\]").Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal([15, 18], linked);
        Assert.True(hint.Index < markdown.IndexOf("## Added", StringComparison.Ordinal));
    }

    [Fact]
    public void Description_CountsTheChangesAndThoseUsersWillSee()
    {
        var full = ReleaseNotesWriter.Description(FullRelease);
        var plain = ReleaseNotesWriter.Description(PlainRelease);

        Assert.Equal("Change board 1.4.0, live on 2026-12-01: 7 changes, 2 that users will see.", full);
        Assert.Equal("Change board 2.0.0-rc.1, live on 2026-12-01: 1 change.", plain);
    }

    [Fact]
    public void Escape_KeepsMentionsReferencesAndMarkupAsLiteralText()
    {
        var escaped = ReleaseNotesWriter.Escape("@dana fixed #12 with *care* <b>now</b>");

        Assert.Equal("\\@dana fixed \\#12 with \\*care\\* \\<b\\>now\\</b\\>", escaped);
    }

    [Theory]
    [InlineData(new[] { "bug" }, "Change", ChangeCategory.Fixed)]
    [InlineData(new[] { "idea" }, "Incident", ChangeCategory.Added)]
    [InlineData(new[] { " Security ", "bug" }, "Change", ChangeCategory.Security)]
    [InlineData(new[] { "bug", "security" }, "Change", ChangeCategory.Security)]
    [InlineData(new[] { "bug", "idea" }, "Change", ChangeCategory.Fixed)]
    [InlineData(new[] { "deprecated", "idea" }, "Change", ChangeCategory.Deprecated)]
    [InlineData(new[] { "removal" }, "Bug", ChangeCategory.Removed)]
    [InlineData(new string[0], "Bug", ChangeCategory.Fixed)]
    [InlineData(new string[0], "Feature request", ChangeCategory.Added)]
    [InlineData(new[] { "urgent" }, "Defect", ChangeCategory.Fixed)]
    [InlineData(new[] { "urgent" }, "Change", ChangeCategory.Changed)]
    [InlineData(new[] { "urgent" }, "Whatever", ChangeCategory.Changed)]
    [InlineData(new string[0], "", ChangeCategory.Changed)]
    public void ChangeCategories_Of_PrefersLabelsThenTheTracker_ElseChanged(string[] labels, string tracker, ChangeCategory expected)
    {
        var category = ChangeCategories.Of(labels, tracker);

        Assert.Equal(expected, category);
    }
}
