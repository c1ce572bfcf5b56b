using System.Globalization;
using System.Text;

namespace TicketPortal.Domain.Releases;

/// <summary>
/// Turns a release into a GitBook page: front matter, title, intro, the user-experience changes in a warning hint, the
/// Keep a Changelog categories and the contributors. Pure and deterministic: the same input gives the same bytes.
/// </summary>
public static class ReleaseNotesWriter
{
    private const string MarkdownPunctuation = "\\`*_{}[]<>#@!|~&";

    public static string Write(ReleaseNotesInput release)
    {
        var text = new StringBuilder();
        text.Append("---\n");
        text.Append("description: ").Append(Quoted(Description(release))).Append('\n');
        text.Append("project: ").Append(Quoted(release.Project)).Append('\n');
        text.Append("---\n\n");
        text.Append("# ").Append(release.Version).Append(string.IsNullOrWhiteSpace(release.Name) ? "" : " — " + Escape(release.Name))
            .Append(" (").Append(ReleaseDate.Format(release.GoLiveDate)).Append(")\n");
        if (!string.IsNullOrWhiteSpace(release.Intro))
        {
            text.Append('\n').Append(UserMarkdown(release.Intro, keepParagraphs: true)).Append('\n');
        }
        var ordered = release.Entries.OrderBy(e => e.Number).ToList();
        var ux = ordered.Where(e => e.UxChange).ToList();
        if (ux.Count > 0)
        {
            text.Append("\n{% hint style=\"warning\" %}\n");
            text.Append("**What users will see differently.** The user guide is updated for these changes:\n\n");
            foreach (var entry in ux)
            {
                Line(text, entry);
            }
            text.Append("{% endhint %}\n");
        }
        foreach (var group in ordered.GroupBy(e => e.Category).OrderBy(g => g.Key))
        {
            text.Append("\n## ").Append(group.Key).Append("\n\n");
            foreach (var entry in group)
            {
                Line(text, entry);
            }
        }
        var contributors = release.Contributors.Where(c => !string.IsNullOrWhiteSpace(c)).Select(c => c.Trim()).Distinct().Order(StringComparer.Ordinal).ToList();
        if (contributors.Count > 0)
        {
            text.Append("\n## Contributors\n\n");
            text.Append(string.Join(", ", contributors.Select(Escape))).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>The one-line summary in the front matter, also the feed's summary.</summary>
    public static string Description(ReleaseNotesInput release)
    {
        var ux = release.Entries.Count(e => e.UxChange);
        var changes = release.Entries.Count == 1 ? "1 change" : $"{release.Entries.Count} changes";
        return $"{release.ProjectName} {release.Version}, live on {ReleaseDate.Format(release.GoLiveDate)}: {changes}" +
            (ux == 0 ? "." : $", {ux} that users will see.");
    }

    /// <summary>A title or name as literal text: Markdown punctuation, @ and # are escaped so nothing becomes a mention or a reference.</summary>
    public static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length + 8);
        foreach (var c in OneLine(text))
        {
            if (MarkdownPunctuation.Contains(c, StringComparison.Ordinal))
            {
                escaped.Append('\\');
            }
            escaped.Append(c);
        }
        return escaped.ToString();
    }

    private static void Line(StringBuilder text, ReleaseNoteEntry entry)
    {
        text.Append("* **").Append(Escape(entry.Title)).Append("**");
        var note = UserMarkdown(entry.Note, keepParagraphs: false).TrimStart(' ', '\t');
        if (note.Length > 0)
        {
            // Continuation lines are indented to stay inside the list item.
            text.Append(" — ").Append(note.Replace("\n", "\n  ", StringComparison.Ordinal));
        }
        text.Append(" ([#").Append(entry.Number.ToString(CultureInfo.InvariantCulture)).Append("](").Append(entry.Url).Append("))\n");
    }

    /// <summary>
    /// Markdown a person wrote (intro, release note) is kept, with GitBook's template tags neutralised; in a list item,
    /// blank lines are dropped so the note stays one item.
    /// </summary>
    private static string UserMarkdown(string markdown, bool keepParagraphs)
    {
        var lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n').Select(l => l.TrimEnd()).ToList();
        var kept = lines.Where((line, i) => line.Length > 0 || (keepParagraphs && i > 0 && lines[i - 1].Length > 0));
        return string.Join('\n', kept).Trim('\n').Replace("{%", "{\\%", StringComparison.Ordinal);
    }

    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static string Quoted(string text) =>
        "\"" + OneLine(text).Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
