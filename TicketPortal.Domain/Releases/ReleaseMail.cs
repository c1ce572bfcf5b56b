using System.Text;
using MimeKit;
using TicketPortal.Domain.Mail;

namespace TicketPortal.Domain.Releases;

/// <summary>The mail a published release sends to the project's people and the tickets' reporters: what users will see differently first.</summary>
public sealed class ReleaseMail(MarkdownRenderer markdown, DocsSettings settings, MailSettings mail)
{
    public IReadOnlyList<OutboxMessage> Compose(ReleaseNotesInput release, IReadOnlyList<(string Email, string Name)> recipients, DateTimeOffset now)
    {
        var page = settings.PageUrl(release.Version.ToString());
        var subject = $"[{release.Project}] Release {release.Version} is live on {ReleaseDate.Format(release.GoLiveDate)}";
        var body = MailTemplates.Render(MailTemplate.ReleasePublished, new Dictionary<string, string>
        {
            ["notes"] = Text(release).TrimEnd(),
            ["notesHtml"] = markdown.GitBookToHtml(ReleaseNotesWriter.Write(release)),
            ["link"] = page,
        });
        return recipients.Select(r => new OutboxMessage(new MailboxAddress(r.Name, r.Email), subject, body, mail.Domain, null, now)).ToList();
    }

    private static string Text(ReleaseNotesInput release)
    {
        var text = new StringBuilder();
        text.Append(release.ProjectName).Append(' ').Append(release.Version).Append(" is live on ").Append(ReleaseDate.Format(release.GoLiveDate)).Append(".\n\n");
        if (!string.IsNullOrWhiteSpace(release.Intro))
        {
            text.Append(release.Intro.Trim()).Append("\n\n");
        }
        var ux = release.Entries.Where(e => e.UxChange).OrderBy(e => e.Number).ToList();
        if (ux.Count > 0)
        {
            text.Append("WHAT YOU WILL SEE DIFFERENTLY (the user guide is updated):\n");
            ux.ForEach(e => Line(text, e));
            text.Append('\n');
        }
        foreach (var group in release.Entries.OrderBy(e => e.Number).GroupBy(e => e.Category).OrderBy(g => g.Key))
        {
            text.Append(group.Key.ToString().ToUpperInvariant()).Append(":\n");
            foreach (var entry in group)
            {
                Line(text, entry);
            }
            text.Append('\n');
        }
        return text.ToString();
    }

    private static void Line(StringBuilder text, ReleaseNoteEntry entry)
    {
        text.Append("- #").Append(entry.Number).Append(' ').Append(entry.Title);
        if (!string.IsNullOrWhiteSpace(entry.Note))
        {
            text.Append(": ").Append(entry.Note.Trim().Replace("\n", "\n  ", StringComparison.Ordinal));
        }
        text.Append('\n');
    }
}
