using System.Text;
using System.Text.RegularExpressions;

namespace TicketPortal.Domain.Releases;

/// <summary>
/// The files of a GitBook space and the edits a release makes to them, as text in, text out: the version page's path,
/// its line in the "Releases" group of SUMMARY.md (newest first, once), and the README's latest-release line.
/// </summary>
public static partial class DocsSpace
{
    public const string Readme = "README.md";
    public const string Summary = "SUMMARY.md";
    public const string Config = ".gitbook.yaml";
    public const string ReleasesFolder = "releases";
    private const string ReleasesGroup = "## Releases";
    private const string LatestPrefix = "Latest release: ";

    public static string PagePath(SemanticVersion version) => $"{ReleasesFolder}/{version}.md";

    public static IReadOnlyDictionary<string, string> InitialFiles(string title) => new Dictionary<string, string>
    {
        [Readme] = $"# {ReleaseNotesWriter.Escape(title)}\n\nRelease notes, one page per version, written by TicketPortal.\n\n{LatestPrefix}none yet.\n",
        [Summary] = $"# Table of contents\n\n* [{ReleaseNotesWriter.Escape(title)}]({Readme})\n\n{ReleasesGroup}\n",
        [Config] = $"root: ./\n\nstructure:\n  readme: {Readme}\n  summary: {Summary}\n",
    };

    /// <summary>Puts the version's page in the Releases group (made when missing), ordered newest first, each page once.</summary>
    public static string WithRelease(string summary, SemanticVersion version)
    {
        var lines = Lines(summary);
        var group = lines.FindIndex(l => l.Trim() == ReleasesGroup);
        if (group < 0)
        {
            while (lines.Count > 0 && lines[^1].Length == 0)
            {
                lines.RemoveAt(lines.Count - 1);
            }
            lines.AddRange(["", ReleasesGroup]);
            group = lines.Count - 1;
        }
        var end = lines.FindIndex(group + 1, l => l.StartsWith('#'));
        end = end < 0 ? lines.Count : end;
        var entries = lines.Skip(group + 1).Take(end - group - 1).Where(l => l.Trim().Length > 0).ToList();
        var page = PagePath(version);
        entries.RemoveAll(l => SummaryLink().Match(l) is { Success: true } m && m.Groups["path"].Value == page);
        entries.Add($"* [{version}]({page})");
        // Hand-written lines that name no version keep their order, after the versions.
        var ordered = entries.OrderByDescending(VersionOf, Comparer<SemanticVersion?>.Create(Order)).ToList();
        var rebuilt = lines.Take(group + 1).Append("").Concat(ordered).ToList();
        if (end < lines.Count)
        {
            rebuilt.Add("");
            rebuilt.AddRange(lines.Skip(end));
        }
        return Join(rebuilt);
    }

    /// <summary>The README's "Latest release:" line names this version (the line is added when missing).</summary>
    public static string WithLatest(string readme, SemanticVersion version, string projectName, DateOnly goLive)
    {
        var line = $"{LatestPrefix}[{version}]({PagePath(version)}) of {ReleaseNotesWriter.Escape(projectName)}, live on {ReleaseDate.Format(goLive)}.";
        var lines = Lines(readme);
        var at = lines.FindIndex(l => l.StartsWith(LatestPrefix, StringComparison.Ordinal));
        if (at >= 0)
        {
            // A hotfix of an older line published after a newer version does not become "the latest".
            var current = LatestLink().Match(lines[at]) is { Success: true } m ? VersionOfPage(m.Groups["file"].Value) : null;
            lines[at] = current is not null && current > version ? lines[at] : line;
        }
        else
        {
            lines.AddRange(["", line]);
        }
        return Join(lines);
    }

    /// <summary>The version a releases/ page is for, from its file name; null for anything else.</summary>
    public static SemanticVersion? VersionOfPage(string fileName) =>
        fileName.EndsWith(".md", StringComparison.Ordinal) && SemanticVersion.TryParse(fileName[..^3], out var version) ? version : null;

    private static SemanticVersion? VersionOf(string summaryLine) =>
        SummaryLink().Match(summaryLine) is { Success: true } m && m.Groups["path"].Value.StartsWith(ReleasesFolder + "/", StringComparison.Ordinal)
            ? VersionOfPage(m.Groups["path"].Value[(ReleasesFolder.Length + 1)..])
            : null;

    private static int Order(SemanticVersion? a, SemanticVersion? b) => (a, b) switch
    {
        (null, null) => 0,
        (null, _) => -1,
        (_, null) => 1,
        _ => a.CompareTo(b),
    };

    private static List<string> Lines(string text) => [.. text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n')];

    private static string Join(IEnumerable<string> lines) => new StringBuilder().AppendJoin('\n', lines).Append('\n').ToString();

    [GeneratedRegex(@"\]\(releases/(?<file>[^)]+)\)")]
    private static partial Regex LatestLink();

    [GeneratedRegex(@"^\s*[*-]\s*\[[^\]]*\]\((?<path>[^)]+)\)")]
    private static partial Regex SummaryLink();
}
