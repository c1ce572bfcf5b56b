using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace TicketPortal.Domain;

/// <summary>
/// The one way user text becomes markup: CommonMark with raw HTML disabled and links limited to safe schemes. GitBook
/// pages (release notes) go through the same pipeline; their front matter is dropped and hint blocks become callouts.
/// </summary>
public sealed partial class MarkdownRenderer
{
    private static readonly string[] HintStyles = ["info", "success", "warning", "danger"];

    private static readonly string[] AllowedSchemes = ["http", "https", "mailto"];

    private readonly MarkdownPipeline _pipeline = new MarkdownPipelineBuilder()
        .UseEmphasisExtras()
        .UsePipeTables()
        .UseTaskLists()
        .UseAutoLinks()
        .DisableHtml()
        .Build();

    public string ToHtml(string markdown)
    {
        var document = Markdig.Markdown.Parse(markdown, _pipeline);
        foreach (var link in document.Descendants<LinkInline>().Where(l => !IsSafe(l.Url)))
        {
            link.Url = "#";
        }
        foreach (var link in document.Descendants<AutolinkInline>().Where(l => !IsSafe(l.Url)))
        {
            link.Url = "#";
        }
        return document.ToHtml(_pipeline);
    }

    /// <summary>
    /// A GitBook page: the front matter is left out, and each <c>{% hint style="…" %}</c> … <c>{% endhint %}</c> block is
    /// rendered on its own inside a callout. Every byte of content still comes from <see cref="ToHtml"/>.
    /// </summary>
    public string GitBookToHtml(string markdown)
    {
        var body = FrontMatter().Replace(markdown.Replace("\r\n", "\n", StringComparison.Ordinal), "", 1);
        var html = new StringBuilder();
        var at = 0;
        foreach (Match hint in Hint().Matches(body))
        {
            html.Append(ToHtml(body[at..hint.Index]));
            var style = HintStyles.Contains(hint.Groups["style"].Value) ? hint.Groups["style"].Value : "info";
            html.Append("<div class=\"hint hint-").Append(WebUtility.HtmlEncode(style)).Append("\" role=\"note\">")
                .Append(ToHtml(hint.Groups["body"].Value)).Append("</div>\n");
            at = hint.Index + hint.Length;
        }
        return html.Append(ToHtml(body[at..])).ToString();
    }

    /// <summary>A page's leading YAML front matter (<c>---</c> … <c>---</c>), its text in the group <c>yaml</c>.</summary>
    [GeneratedRegex(@"\A---\r?\n(?<yaml>.*?)\r?\n---\r?\n", RegexOptions.Singleline)]
    internal static partial Regex FrontMatter();

    [GeneratedRegex(@"^\{% hint style=""(?<style>[a-z]+)"" %\}[ \t]*\n(?<body>.*?)^\{% endhint %\}[ \t]*$", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex Hint();

    private static bool IsSafe(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return true;
        }
        var colon = url.IndexOf(':', StringComparison.Ordinal);
        var slash = url.IndexOfAny(['/', '?', '#']);
        // No scheme before the first path character: a relative link.
        return colon < 0 || (slash >= 0 && slash < colon) || AllowedSchemes.Contains(url[..colon].Trim().ToLowerInvariant());
    }
}
