using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Xml;

namespace TicketPortal.Domain.Releases;

/// <summary>A published page as the public sees it.</summary>
public sealed record PublicRelease(string Version, string? Project, string Title, string? Description, DateOnly? GoLiveDate);

/// <summary>
/// The public release notes, read from the docs space's last commit (pages edited there by hand included). The pages
/// and their HTML are kept until the next commit changes the space.
/// </summary>
public sealed class ReleasePages(DocsRepository docs, DocsSettings settings, MarkdownRenderer markdown)
{
    private sealed record Snapshot(string? Head, IReadOnlyList<DocsPage> Pages, ConcurrentDictionary<string, string> Html);

    private Snapshot _snapshot = new(null, [], new());

    public IReadOnlyList<PublicRelease> List(string? project = null) =>
        Current().Pages
            .Where(p => project is null || string.Equals(p.Facts.Project, project, StringComparison.OrdinalIgnoreCase))
            .Select(Public)
            .ToList();

    /// <summary>The page for a version, rendered (hint blocks as callouts); null when the space has no such page.</summary>
    public (PublicRelease Release, string Html)? Page(string version)
    {
        var snapshot = Current();
        var page = snapshot.Pages.FirstOrDefault(p => p.Version.ToString() == version);
        return page is null ? null : (Public(page), snapshot.Html.GetOrAdd(version, _ => markdown.GitBookToHtml(page.Markdown)));
    }

    /// <summary>An Atom feed of the releases, newest first.</summary>
    public string Feed()
    {
        var snapshot = Current();
        using var bytes = new MemoryStream();
        using (var xml = XmlWriter.Create(bytes, new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), CheckCharacters = false }))
        {
            const string atom = "http://www.w3.org/2005/Atom";
            xml.WriteStartElement("feed", atom);
            xml.WriteElementString("title", atom, XmlText(settings.Title));
            xml.WriteElementString("id", atom, settings.PageUrl());
            xml.WriteElementString("updated", atom, Stamp(snapshot.Pages.Select(p => p.Facts.GoLiveDate).Max()));
            Link(xml, atom, settings.PageUrl("feed.xml"), "self");
            Link(xml, atom, settings.PageUrl(), "alternate");
            foreach (var page in snapshot.Pages)
            {
                var release = Public(page);
                var url = settings.PageUrl(page.Version.ToString());
                xml.WriteStartElement("entry", atom);
                xml.WriteElementString("title", atom, XmlText(release.Title));
                xml.WriteElementString("id", atom, url);
                xml.WriteElementString("updated", atom, Stamp(page.Facts.GoLiveDate));
                Link(xml, atom, url, "alternate");
                if (release.Description is not null)
                {
                    xml.WriteElementString("summary", atom, XmlText(release.Description));
                }
                xml.WriteStartElement("content", atom);
                xml.WriteAttributeString("type", "html");
                xml.WriteString(XmlText(snapshot.Html.GetOrAdd(page.Version.ToString(), _ => markdown.GitBookToHtml(page.Markdown))));
                xml.WriteEndElement();
                xml.WriteEndElement();
            }
            xml.WriteEndElement();
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    private Snapshot Current()
    {
        var head = docs.Head();
        var snapshot = _snapshot;
        if (snapshot.Head == head)
        {
            return snapshot;
        }
        var fresh = new Snapshot(head, docs.Pages(), new());
        _snapshot = fresh;
        return fresh;
    }

    private static PublicRelease Public(DocsPage page) =>
        new(page.Version.ToString(), page.Facts.Project, page.Facts.Title.Length > 0 ? page.Facts.Title : page.Version.ToString(), page.Facts.Description, page.Facts.GoLiveDate);

    private static string Stamp(DateOnly? date) =>
        (date ?? new DateOnly(2000, 1, 1)).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Characters XML cannot carry (a control character in a ticket title) are dropped, not allowed to break the feed.</summary>
    private static string XmlText(string text) => string.Concat(text.Where(XmlConvert.IsXmlChar));

    private static void Link(XmlWriter xml, string atom, string href, string rel)
    {
        xml.WriteStartElement("link", atom);
        xml.WriteAttributeString("rel", rel);
        xml.WriteAttributeString("href", href);
        xml.WriteEndElement();
    }
}
