using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using TicketPortal.Domain.People;
using TicketPortal.Domain.Persistence;
using TicketPortal.Domain.Tickets;
using TicketPortal.Domain.Workflows;

namespace TicketPortal.Domain.Mail;

/// <summary>
/// The mails a ticket change sends, queued in the same transaction as the change: the confirmation of a new ticket, and
/// news of every later public change, to the ticket's customer (never for their own change). Each carries a fresh link to
/// the customer page, <c>[#123]</c> in the subject, and the ticket's first Message-ID so replies thread and come back.
/// </summary>
public sealed class TicketMail(MailSettings settings, WorkflowCatalog catalog, MarkdownRenderer markdown)
{
    /// <summary>Adds to <paramref name="db"/> the mails the unsaved journal entries of these tickets tell of.</summary>
    internal async Task QueueAsync(PortalDbContext db, IReadOnlyList<Ticket> tickets, DateTimeOffset now, CancellationToken ct)
    {
        // Entries added to a loaded ticket are tracked only once changes are detected.
        db.ChangeTracker.DetectChanges();
        foreach (var ticket in tickets)
        {
            var added = ticket.Journal.Where(j => db.Entry(j).State == EntityState.Added).ToList();
            var created = added.Any(j => j.Changes.Any(c => c.Field == "created"));
            var news = added.Where(j => !j.IsInternal && j.AuthorId != ticket.ReporterId && IsNews(j)).ToList();
            if (!created && news.Count == 0)
            {
                continue;
            }
            var project = ticket.Project ?? await db.Projects.SingleAsync(p => p.Id == ticket.ProjectId, ct);
            var reporter = await db.Users.FindAsync([ticket.ReporterId], ct) ?? throw new InvalidOperationException($"Ticket #{ticket.Number} has no reporter.");
            if (string.IsNullOrEmpty(reporter.Email))
            {
                continue;
            }
            var values = await CustomerValuesAsync(db, ticket, project, reporter, now, ct);
            MailTemplate template;
            if (created)
            {
                template = MailTemplate.TicketCreated;
            }
            else
            {
                template = MailTemplate.TicketUpdated;
                var authors = await NamesAsync(db, news.Select(j => j.AuthorId), ct);
                values["changes"] = ChangesText(news, authors);
                values["changesHtml"] = ChangesHtml(news, authors);
            }
            var body = MailTemplates.Render(template, values);
            var root = await ThreadRootAsync(db, ticket.Number, ct);
            db.Outbox.Add(new OutboxMessage(new MailboxAddress(reporter.Name, reporter.Email), Subject(ticket), body, settings.Domain, ticket.Number, now,
                settings.AddressOf(project.Key), root));
            if (created)
            {
                await QueueNewTicketAsync(db, ticket, project, reporter.Name, root, now, ct);
            }
        }
    }

    /// <summary>Mails the ticket's customer a new link to their page (after staff revoked the old ones).</summary>
    internal async Task QueueNewLinkAsync(PortalDbContext db, Ticket ticket, DateTimeOffset now, CancellationToken ct)
    {
        var project = ticket.Project ?? await db.Projects.SingleAsync(p => p.Id == ticket.ProjectId, ct);
        var customer = await db.Users.SingleAsync(u => u.Id == ticket.ReporterId, ct);
        var body = MailTemplates.Render(MailTemplate.CustomerLink, await CustomerValuesAsync(db, ticket, project, customer, now, ct));
        db.Outbox.Add(new OutboxMessage(new MailboxAddress(customer.Name, customer.Email ?? ""), Subject(ticket), body, settings.Domain, ticket.Number, now,
            settings.AddressOf(project.Key), await ThreadRootAsync(db, ticket.Number, ct)));
    }

    /// <summary>What every mail to a ticket's customer says: who, which ticket, and a fresh link to it.</summary>
    private async Task<Dictionary<string, string>> CustomerValuesAsync(
        PortalDbContext db, Ticket ticket, Project project, PortalUser customer, DateTimeOffset now, CancellationToken ct) =>
        new()
        {
            ["replyMarker"] = ReplyTrimmer.ReplyMarker,
            ["customer"] = customer.Name,
            ["number"] = ticket.Number.ToString(CultureInfo.InvariantCulture),
            ["project"] = project.Name,
            ["title"] = ticket.Title,
            ["status"] = ticket.Status,
            ["link"] = await LinkAsync(db, ticket, project, customer.Id, now, ct),
        };

    /// <summary>Tells the roles the workflow names (timer-review: staff) of a new ticket; work that arrives by mail reaches them by mail.</summary>
    private async Task QueueNewTicketAsync(PortalDbContext db, Ticket ticket, Project project, string reporter, string root, DateTimeOffset now, CancellationToken ct)
    {
        var roles = catalog.For(project).NewTicketMail;
        if (roles.Count == 0)
        {
            return;
        }
        var people = await db.Memberships.Where(m => m.ProjectId == project.Id && roles.Contains(m.Role) && m.UserId != ticket.ReporterId && m.User!.Email != null)
            .Select(m => m.User!).Distinct().ToListAsync(ct);
        var body = MailTemplates.Render(MailTemplate.TicketNew, new Dictionary<string, string>
        {
            ["number"] = ticket.Number.ToString(CultureInfo.InvariantCulture),
            ["project"] = project.Name,
            ["reporter"] = reporter,
            ["title"] = ticket.Title,
            ["description"] = ticket.Description,
            ["descriptionHtml"] = markdown.ToHtml(ticket.Description),
            ["link"] = settings.Link($"/tickets/{ticket.Number}"),
        });
        foreach (var person in people)
        {
            db.Outbox.Add(new OutboxMessage(new MailboxAddress(person.Name, person.Email!), Subject(ticket), body, settings.Domain, ticket.Number, now,
                settings.AddressOf(project.Key), root));
        }
    }

    /// <summary>Tells the ticket's assignee, or the leads it was escalated to, that an SLA clock ran out.</summary>
    internal async Task QueueSlaBreachAsync(
        PortalDbContext db, Ticket ticket, string clockName, DateTimeOffset due, IReadOnlyList<string> userIds, string why, DateTimeOffset now, CancellationToken ct)
    {
        var project = ticket.Project ?? await db.Projects.SingleAsync(p => p.Id == ticket.ProjectId, ct);
        var people = await db.Users.Where(u => userIds.Contains(u.Id) && u.Email != null).ToListAsync(ct);
        var body = MailTemplates.Render(MailTemplate.SlaBreached, new Dictionary<string, string>
        {
            ["clock"] = clockName,
            ["number"] = ticket.Number.ToString(CultureInfo.InvariantCulture),
            ["project"] = project.Name,
            ["title"] = ticket.Title,
            ["due"] = Ticket.DueKey(due),
            ["why"] = why,
            ["link"] = settings.Link($"/tickets/{ticket.Number}"),
        });
        var subject = $"{Subject(ticket)} SLA {clockName} breached";
        foreach (var person in people)
        {
            db.Outbox.Add(new OutboxMessage(new MailboxAddress(person.Name, person.Email!), subject, body, settings.Domain, ticket.Number, now,
                null, await ThreadRootAsync(db, ticket.Number, ct)));
        }
    }

    /// <summary>A new link to the customer page, or for a reporter who is staff in the project, the ticket page itself.</summary>
    private async Task<string> LinkAsync(PortalDbContext db, Ticket ticket, Project project, string reporterId, DateTimeOffset now, CancellationToken ct)
    {
        if (await Access.IsStaffAsync(db, reporterId, project, catalog, ct))
        {
            return settings.Link($"/tickets/{ticket.Number}");
        }
        var (link, secret) = CustomerLink.Issue(ticket.Number, reporterId, now);
        db.CustomerLinks.Add(link);
        return settings.Link(CustomerPath + secret);
    }

    /// <summary>Where a customer link points: exchanged for a session there, then the secret leaves the address bar.</summary>
    public const string CustomerPath = "/c/";

    public static string Subject(Ticket ticket) => $"[#{ticket.Number}] {ticket.Title}";

    /// <summary>The Message-ID every mail about the ticket answers: the customer's first mail, else one the ticket is known by.</summary>
    private async Task<string> ThreadRootAsync(PortalDbContext db, int number, CancellationToken ct) =>
        db.Inbound.Local.Where(m => m.TicketNumber == number && m.Outcome == InboundOutcome.Ticket).Select(m => m.MessageId).FirstOrDefault()
            ?? await db.Inbound.Where(m => m.TicketNumber == number && m.Outcome == InboundOutcome.Ticket).Select(m => m.MessageId).FirstOrDefaultAsync(ct)
            ?? $"ticket-{number}@{settings.Domain}";

    private static bool IsNews(JournalEntry entry) =>
        entry.Note is not null || entry.Changes.Any(c => c.Field is "status" or "attachment");

    private static async Task<Dictionary<string, string>> NamesAsync(PortalDbContext db, IEnumerable<string> ids, CancellationToken ct)
    {
        var list = ids.Distinct().ToList();
        // The mail goes to the customer: staff are named as the customer's page names them.
        var names = (await db.Users.Where(u => list.Contains(u.Id)).ToListAsync(ct)).ToDictionary(u => u.Id, u => u.PublicName);
        return list.ToDictionary(id => id, id => names.GetValueOrDefault(id, "TicketPortal"));
    }

    private static string ChangesText(IReadOnlyList<JournalEntry> entries, Dictionary<string, string> authors)
    {
        var text = new StringBuilder();
        foreach (var entry in entries)
        {
            foreach (var line in Facts(entry))
            {
                text.Append("* ").Append(line).Append('\n');
            }
            if (entry.Note is not null)
            {
                text.Append(authors[entry.AuthorId]).Append(" wrote:\n\n").Append(entry.Note.Trim()).Append("\n\n");
            }
        }
        return text.ToString().TrimEnd();
    }

    private string ChangesHtml(IReadOnlyList<JournalEntry> entries, Dictionary<string, string> authors)
    {
        var html = new StringBuilder();
        foreach (var entry in entries)
        {
            var facts = Facts(entry).ToList();
            if (facts.Count > 0)
            {
                html.Append("<ul>").AppendJoin("", facts.Select(f => $"<li>{WebUtility.HtmlEncode(f)}</li>")).Append("</ul>");
            }
            if (entry.Note is not null)
            {
                // The note is Markdown rendered with raw HTML disabled, as on the ticket page.
                html.Append("<p><strong>").Append(WebUtility.HtmlEncode(authors[entry.AuthorId])).Append("</strong> wrote:</p><blockquote>")
                    .Append(markdown.ToHtml(entry.Note)).Append("</blockquote>");
            }
        }
        return html.ToString();
    }

    private static IEnumerable<string> Facts(JournalEntry entry) =>
        entry.Changes.Select(c => c.Field switch
        {
            "status" => $"Status: {c.Old} → {c.New}",
            "attachment" => $"New file: {c.New}",
            _ => null,
        }).OfType<string>();
}
