using System.Text.RegularExpressions;

namespace TicketPortal.Domain.Releases;

/// <summary>What a release page says about itself, read back from its Markdown (also pages edited by hand).</summary>
public sealed partial record ReleasePageFacts(string? Project, string? Description, string Title, DateOnly? GoLiveDate)
{
    public static ReleasePageFacts Read(string markdown)
    {
        var front = MarkdownRenderer.FrontMatter().Match(markdown);
        string? Value(string key) =>
            front.Success && Regex.Match(front.Groups["yaml"].Value, $@"^{key}:\s*(?<v>.*)$", RegexOptions.Multiline, TimeSpan.FromSeconds(1)) is { Success: true } m
                ? Unquote(m.Groups["v"].Value.Trim())
                : null;
        var title = Heading().Match(markdown) is { Success: true } t ? t.Groups["title"].Value.Trim() : "";
        var date = GoLive().Match(title) is { Success: true } d
            && ReleaseDate.TryParse(d.Groups["date"].Value, out var parsed)
            ? parsed
            : (DateOnly?)null;
        return new ReleasePageFacts(Value("project"), Value("description"), MarkdownEscape().Replace(title, "${c}"), date);
    }

    private static string Unquote(string value) =>
        value.Length >= 2 && value[0] == '"' && value[^1] == '"'
            ? value[1..^1].Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal)
            : value;

    [GeneratedRegex(@"^# (?<title>.+)$", RegexOptions.Multiline)]
    private static partial Regex Heading();

    // CommonMark's backslash escapes: a backslash before ASCII punctuation, as ReleaseNotesWriter.Escape writes them.
    [GeneratedRegex(@"\\(?<c>[!-/:-@\[-`{-~])")]
    private static partial Regex MarkdownEscape();

    [GeneratedRegex(@"\((?<date>\d{4}-\d{2}-\d{2})\)\s*$")]
    private static partial Regex GoLive();
}
