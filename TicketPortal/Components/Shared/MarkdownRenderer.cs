using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using Microsoft.AspNetCore.Components;

namespace TicketPortal.Components.Shared;

/// <summary>The one way user text becomes markup: CommonMark with raw HTML disabled and links limited to safe schemes.</summary>
public sealed class MarkdownRenderer
{
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

    public MarkupString Render(string markdown) => new(ToHtml(markdown)); // Safe: every byte is rendered by Markdig with HTML disabled (raw HTML escaped); unsafe link schemes are replaced in ToHtml.

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
