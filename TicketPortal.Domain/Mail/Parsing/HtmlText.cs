using System.Text;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Ganss.Xss;

namespace TicketPortal.Domain.Mail;

/// <summary>
/// Turns the HTML of an HTML-only message into the plain text a ticket shows: quoted replies removed,
/// sanitised first so nothing active (scripts, event handlers, javascript: links) can reach the text.
/// </summary>
internal static partial class HtmlText
{
    private static readonly HtmlSanitizer Sanitizer = CreateSanitizer();

    /// <summary>Quotes and signatures that mail clients mark in their HTML.</summary>
    private const string Quotes = "blockquote[type=cite], div.gmail_quote, div.gmail_signature, .moz-cite-prefix, .moz-signature, div.yahoo_quoted";

    /// <summary>Outlook's reply header and the point it appends the old mail at: they and everything after them are the quote.</summary>
    private const string QuoteStarts = "#divRplyFwdMsg, #appendonsend";

    private static readonly HashSet<string> Blocks =
    [
        "address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "figure", "footer", "header", "hr",
        "main", "nav", "ol", "section", "table", "tbody", "thead", "tfoot", "tr", "ul",
    ];

    private static readonly HashSet<string> Paragraphs = ["p", "h1", "h2", "h3", "h4", "h5", "h6"];

    public static string ToPlainText(string html)
    {
        using var document = new HtmlParser().ParseDocument(html);
        // The HTML parser always creates a body, whatever the input.
        var body = document.Body!;
        RemoveQuotes(body);
        Sanitizer.SanitizeDom(document, body);
        var text = new StringBuilder();
        AppendChildren(body, text);
        return BlankLines().Replace(LineEndSpaces().Replace(text.ToString(), "\n"), "\n\n").Trim();
    }

    private static HtmlSanitizer CreateSanitizer()
    {
        var sanitizer = new HtmlSanitizer();
        sanitizer.AllowedSchemes.Add("mailto");
        return sanitizer;
    }

    private static void RemoveQuotes(IElement body)
    {
        foreach (var start in body.QuerySelectorAll(QuoteStarts).ToList())
        {
            for (var node = (INode)start; node != body && node.Parent is { } parent; node = parent)
            {
                while (node.NextSibling is { } following)
                {
                    parent.RemoveChild(following);
                }
            }
            start.Remove();
        }
        foreach (var quote in body.QuerySelectorAll(Quotes).ToList())
        {
            quote.Remove();
        }
    }

    private static void AppendChildren(INode node, StringBuilder text)
    {
        foreach (var child in node.ChildNodes)
        {
            switch (child)
            {
                case IText part:
                    AppendText(part.Data, text);
                    break;
                case IElement element:
                    AppendElement(element, text);
                    break;
            }
        }
    }

    private static void AppendElement(IElement element, StringBuilder text)
    {
        var name = element.LocalName;
        if (name == "br")
        {
            text.Append('\n');
        }
        else if (name == "li")
        {
            StartLine(text);
            text.Append("- ");
            AppendChildren(element, text);
            StartLine(text);
        }
        else if (name == "a")
        {
            AppendLink(element, text);
        }
        else if (name is "td" or "th")
        {
            AppendChildren(element, text);
            text.Append(' ');
        }
        else if (Paragraphs.Contains(name))
        {
            StartParagraph(text);
            AppendChildren(element, text);
            StartParagraph(text);
        }
        else if (Blocks.Contains(name))
        {
            StartLine(text);
            AppendChildren(element, text);
            StartLine(text);
        }
        else
        {
            AppendChildren(element, text);
        }
    }

    private static void AppendLink(IElement link, StringBuilder text)
    {
        AppendChildren(link, text);
        var href = link.GetAttribute("href")?.Trim();
        var label = Whitespace().Replace(link.TextContent, " ").Trim();
        if (!string.IsNullOrEmpty(href) && href != label && href != "mailto:" + label)
        {
            text.Append(" (").Append(href).Append(')');
        }
    }

    private static void AppendText(string data, StringBuilder text)
    {
        var collapsed = Whitespace().Replace(data, " ");
        if (collapsed.StartsWith(' ') && (text.Length == 0 || text[^1] is ' ' or '\n'))
        {
            collapsed = collapsed[1..];
        }
        text.Append(collapsed);
    }

    private static void StartLine(StringBuilder text)
    {
        if (text.Length > 0 && text[^1] != '\n')
        {
            text.Append('\n');
        }
    }

    private static void StartParagraph(StringBuilder text)
    {
        StartLine(text);
        if (text.Length > 1 && text[^2] != '\n')
        {
            text.Append('\n');
        }
    }

    [GeneratedRegex(@"[\s\u00A0]+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"[ \t]+\n")]
    private static partial Regex LineEndSpaces();

    [GeneratedRegex(@"\n{3,}")]
    private static partial Regex BlankLines();
}
