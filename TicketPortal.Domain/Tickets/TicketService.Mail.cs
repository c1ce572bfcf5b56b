using TicketPortal.Domain.Mail;
using TicketPortal.Domain.People;
using TicketPortal.Domain.Persistence;

namespace TicketPortal.Domain.Tickets;

public sealed partial class TicketService
{
    /// <summary>
    /// Opens a ticket from a mail, with its files, and saves it with the confirmation mail into the intake's
    /// transaction; the message is marked as this ticket's before the save, so the confirmation answers it.
    /// </summary>
    internal async Task<IReadOnlyList<TicketChanged>> OpenFromMailAsync(
        PortalDbContext db, InboundMessage inbound, Project project, PortalUser reporter, string title, string body,
        IReadOnlyList<MailAttachment> files, List<string> storedFiles, CancellationToken ct)
    {
        var changed = new List<Ticket>();
        var ticket = await new EffectRunner(db, catalog, clock).OpenAsync(
            project, project.Trackers[0], title, body, Priority.Normal, reporter.Id, reporter.Id, changed, ct);
        inbound.BecameTicket(ticket.Number);
        AttachMailFiles(ticket, ticket.Journal[0], files, storedFiles);
        return await StageAsync(db, tellCustomers: true, ct, [.. changed]);
    }

    /// <summary>Adds a mail reply as a public note by its sender, with its files, and saves it into the intake's transaction.</summary>
    internal async Task<IReadOnlyList<TicketChanged>> AddMailNoteAsync(
        PortalDbContext db, Ticket ticket, PortalUser author, string? body,
        IReadOnlyList<MailAttachment> files, List<string> storedFiles, CancellationToken ct)
    {
        var entry = ticket.Record(author.Id, clock.GetUtcNow(), body, isInternal: false);
        AttachMailFiles(ticket, entry, files, storedFiles);
        return await StageAsync(db, tellCustomers: true, ct, ticket);
    }

    /// <summary>May this person write to the ticket: its reporter, or staff of its project.</summary>
    internal async Task<bool> MayWriteAsync(PortalDbContext db, Ticket ticket, PortalUser user, CancellationToken ct) =>
        ticket.ReporterId == user.Id || (await Access.LoadAsync(db, new Viewer(user.Id, user.IsAdmin), catalog, ct)).IsStaffIn(ticket.Project!);

    private void AttachMailFiles(Ticket ticket, JournalEntry entry, IReadOnlyList<MailAttachment> files, List<string> storedFiles)
    {
        foreach (var file in files)
        {
            var storedName = attachments.Save(file.Content);
            storedFiles.Add(storedName);
            ticket.Attach(entry, file.FileName, file.ContentType, file.Content.LongLength, storedName);
        }
    }

    /// <summary>Removes the files of a mail whose ticket change was not saved.</summary>
    internal void DeleteFiles(IEnumerable<string> storedFiles)
    {
        foreach (var name in storedFiles)
        {
            attachments.Delete(name);
        }
    }
}
