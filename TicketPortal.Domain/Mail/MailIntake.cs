using System.Collections.Concurrent;
using System.Data;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;
using TicketPortal.Domain.People;
using TicketPortal.Domain.Persistence;
using TicketPortal.Domain.Tickets;

namespace TicketPortal.Domain.Mail;

/// <summary>A quarantined message as admins see it.</summary>
public sealed record QuarantinedView(int Id, DateTimeOffset ReceivedAt, string From, string Subject, string MessageId, string? Project, string Reason, int? TicketNumber);

/// <summary>
/// Mail in: every message is stored as received, then becomes a new ticket, a note on the ticket it answers, or stays
/// in the quarantine with the reason. The same Message-ID twice is processed once; machines' mail (auto-replies,
/// bounces) never becomes a ticket, so two systems cannot answer each other for ever.
/// <para>
/// Messages that arrive together are filed together: one transaction with a savepoint per message and one commit, so
/// one disk flush serves them all, and each poster still gets its own receipt once that commit is on disk.
/// </para>
/// </summary>
public sealed partial class MailIntake(
    IDbContextFactory<PortalDbContext> dbFactory,
    TicketService tickets,
    CustomerService customers,
    MailSettings settings,
    TimeProvider clock,
    ILogger<MailIntake> log) : IInboundMail
{
    /// <summary>The most messages one transaction files; the rest wait for the next.</summary>
    private const int BatchLimit = 64;

    private const string Savepoint = "inbound";

    private readonly ConcurrentQueue<Filing> _waiting = new();

    /// <summary>1 while the writer runs; there is at most one.</summary>
    private int _writing;

    public async Task<InboundReceipt> ReceiveAsync(byte[] raw, string? project, CancellationToken ct = default)
    {
        var (mail, unreadable) = Parse(raw);
        var key = mail?.MessageId is { Length: > 0 and <= 900 } id ? id : InboundMessage.KeyOf(raw);
        if (await StoredAsync(key, ct) is { } known)
        {
            return known.Receipt(duplicate: true);
        }
        var inbound = new InboundMessage(raw, key, string.IsNullOrWhiteSpace(project) ? null : project.Trim().ToUpperInvariant(), clock.GetUtcNow());
        inbound.Describe(mail?.From?.ToString() ?? "", mail?.Subject ?? "");
        return await FileTogetherAsync(new Filing(inbound, mail, unreadable, IsNew: true));
    }

    /// <summary>Runs a quarantined message through intake again, e.g. after its project's address was configured; admins only.</summary>
    public async Task<InboundReceipt> ReprocessAsync(int id, string? project, Viewer viewer, CancellationToken ct = default)
    {
        EnsureAdmin(viewer);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var inbound = await db.Inbound.AsNoTracking().SingleOrDefaultAsync(m => m.Id == id, ct) ?? throw DomainException.NotFound($"Quarantined message {id}");
        if (inbound.Outcome != InboundOutcome.Quarantined)
        {
            throw new DomainException(DomainErrorKind.Conflict, $"Message {id} is not in the quarantine: it became ticket #{inbound.TicketNumber}.");
        }
        inbound.Reassign(string.IsNullOrWhiteSpace(project) ? null : project.Trim().ToUpperInvariant());
        var (mail, unreadable) = Parse(inbound.Raw);
        return await FileTogetherAsync(new Filing(inbound, mail, unreadable, IsNew: false));
    }

    public async Task<IReadOnlyList<QuarantinedView>> QuarantineAsync(Viewer viewer, CancellationToken ct = default)
    {
        EnsureAdmin(viewer);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Inbound.AsNoTracking().Where(m => m.Outcome == InboundOutcome.Quarantined).OrderByDescending(m => m.Id)
            .Select(m => new QuarantinedView(m.Id, m.ReceivedAt, m.From, m.Subject, m.MessageId, m.Project, m.Reason ?? "", m.TicketNumber))
            .ToListAsync(ct);
    }

    /// <summary>The message as it was received, for an admin to read.</summary>
    public async Task<byte[]> RawAsync(int id, Viewer viewer, CancellationToken ct = default)
    {
        EnsureAdmin(viewer);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Inbound.Where(m => m.Id == id).Select(m => m.Raw).SingleOrDefaultAsync(ct) ?? throw DomainException.NotFound($"Inbound message {id}");
    }

    private async Task<InboundMessage?> StoredAsync(string messageId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await StoredAsync(db, messageId, ct);
    }

    /// <summary>The message stored under this Message-ID, if any: compiled, as every posted message asks it.</summary>
    private static Task<InboundMessage?> StoredAsync(PortalDbContext db, string messageId, CancellationToken ct) =>
        StoredQuery.For(db)(db, messageId, ct);

    private static readonly CompiledQuery<Func<PortalDbContext, string, CancellationToken, Task<InboundMessage?>>> StoredQuery =
        new(() => EF.CompileAsyncQuery((PortalDbContext db, string messageId, CancellationToken ct) =>
            db.Inbound.AsNoTracking().SingleOrDefault(m => m.MessageId == messageId)));

    private static (ParsedMail? Mail, string? Unreadable) Parse(byte[] raw)
    {
        try
        {
            return (MailParser.Parse(raw), null);
        }
        catch (MailUnreadableException e)
        {
            return (null, e.Message);
        }
    }

    /// <summary>
    /// Queues the message for the writer, starting it if it is not running, and waits until the message is committed.
    /// Once queued, a message is filed even if its poster hangs up.
    /// </summary>
    private async Task<InboundReceipt> FileTogetherAsync(Filing filing)
    {
        _waiting.Enqueue(filing);
        if (Interlocked.CompareExchange(ref _writing, 1, 0) == 0)
        {
            _ = Task.Run(WriteAsync);
        }
        var receipt = await filing.Done.Task;
        // Each poster tells the live pages about its own message, after the commit and without holding up the writer.
        tickets.Publish(filing.Changes);
        return receipt;
    }

    /// <summary>The one writer: files batch after batch while messages wait, then stops until the next one arrives.</summary>
    private async Task WriteAsync()
    {
        do
        {
            while (!_waiting.IsEmpty)
            {
                try
                {
                    await FileWaitingAsync();
                }
                catch (Exception e)
                {
                    // Its posters have their answer already; the writer must outlive whatever went wrong after that.
                    log.LogError(e, "Mail intake could not clean up after a failed batch.");
                }
            }
            Volatile.Write(ref _writing, 0);
        }
        // A message queued between the last look and clearing the flag found the writer running: it is this writer's.
        while (!_waiting.IsEmpty && Interlocked.CompareExchange(ref _writing, 1, 0) == 0);
    }

    /// <summary>Files the waiting messages in one transaction and answers each poster once it has committed.</summary>
    private async Task FileWaitingAsync()
    {
        var batch = new List<Filing>();
        while (batch.Count < BatchLimit && _waiting.TryDequeue(out var next))
        {
            batch.Add(next);
        }
        var receipts = new List<InboundReceipt>(batch.Count);
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            db.Database.AutoSavepointsEnabled = false;
            await using var tx = await db.Database.BeginTransactionAsync(IsolationLevel.Serializable);
            // Read once: no project can change while this transaction holds the write lock.
            var projects = await db.Projects.AsNoTracking().ToListAsync();
            foreach (var filing in batch)
            {
                receipts.Add(await FileOneAsync(db, tx, filing, projects));
            }
            await tx.CommitAsync();
        }
        catch (Exception e)
        {
            // Nothing was accepted: every poster hears why, and its sender (an MTA, the IMAP poller) tries again.
            foreach (var filing in batch)
            {
                filing.Done.SetException(e);
            }
            foreach (var filing in batch)
            {
                tickets.DeleteFiles(filing.StoredFiles);
            }
            return;
        }
        foreach (var (filing, receipt) in batch.Zip(receipts))
        {
            filing.Done.SetResult(receipt);
        }
    }

    /// <summary>
    /// Files one message behind its own savepoint, so a message that fails undoes only itself: it is then kept in the
    /// quarantine with the reason, or recognised as a copy of one filed meanwhile.
    /// </summary>
    private async Task<InboundReceipt> FileOneAsync(PortalDbContext db, IDbContextTransaction tx, Filing filing, IReadOnlyList<Project> projects)
    {
        var inbound = filing.Inbound;
        InboundReceipt receipt;
        await tx.CreateSavepointAsync(Savepoint);
        try
        {
            Track(db, filing);
            var reason = filing.Unreadable is { } unreadable ? $"unreadable: {unreadable}" : await FileMailAsync(db, filing, projects);
            if (reason is not null)
            {
                // Only the message is kept: no customer record for a sender whose mail became nothing.
                db.ChangeTracker.Clear();
                Track(db, filing);
                inbound.Quarantine(reason, inbound.TicketNumber);
                await db.SaveChangesAsync();
            }
            receipt = inbound.Receipt(duplicate: false);
        }
        catch (Exception e)
        {
            await tx.RollbackToSavepointAsync(Savepoint);
            db.ChangeTracker.Clear();
            tickets.DeleteFiles(filing.StoredFiles);
            filing.StoredFiles.Clear();
            receipt = await FailedAsync(db, filing, e);
        }
        await tx.ReleaseSavepointAsync(Savepoint);
        db.ChangeTracker.Clear();
        return receipt;
    }

    /// <summary>A message whose filing failed: a copy of one stored meanwhile, or else kept in the quarantine with the reason.</summary>
    private async Task<InboundReceipt> FailedAsync(PortalDbContext db, Filing filing, Exception e)
    {
        var inbound = filing.Inbound;
        if (filing.IsNew && e is DbUpdateException
            && await StoredAsync(db, inbound.MessageId, CancellationToken.None) is { } other)
        {
            // The same message arrived twice at once: the other delivery stored it.
            return other.Receipt(duplicate: true);
        }
        // Accepted is kept: whatever went wrong, the message waits in the quarantine with the reason.
        log.LogWarning(e, "Inbound message {MessageId} could not be filed; it is kept in the quarantine.", inbound.MessageId);
        Track(db, filing);
        inbound.Quarantine(e is DomainException ? e.Message : $"could not be filed: {e.GetBaseException().Message}");
        await db.SaveChangesAsync();
        return inbound.Receipt(duplicate: false);
    }

    private static void Track(PortalDbContext db, Filing filing)
    {
        if (filing.IsNew)
        {
            db.Inbound.Add(filing.Inbound);
        }
        else
        {
            db.Inbound.Update(filing.Inbound);
        }
    }

    /// <summary>Files the mail into the transaction; returns why it must be quarantined instead, or null when it was filed.</summary>
    private async Task<string?> FileMailAsync(PortalDbContext db, Filing filing, IReadOnlyList<Project> projects)
    {
        var (inbound, mail, stored) = (filing.Inbound, filing.Mail!, filing.StoredFiles);
        // Never cancelled halfway: the transaction holds other posters' messages too.
        var ct = CancellationToken.None;
        if (Refusal(inbound, mail) is { } refused)
        {
            return refused;
        }
        var from = mail.From!;
        if (await AnsweredTicketAsync(db, mail, ct) is { } ticket)
        {
            var author = await customers.ResolveAsync(db, from, ticket.Project!, clock.GetUtcNow(), ct);
            if (!await tickets.MayWriteAsync(db, ticket, author, ct))
            {
                return $"{from.Address} may not write to ticket #{ticket.Number}: only its customer and its project's staff may.";
            }
            if (mail.Body.Length == 0 && mail.Attachments.Count == 0)
            {
                return $"the reply to ticket #{ticket.Number} is empty.";
            }
            inbound.BecameNote(ticket.Number);
            filing.Changes = await tickets.AddMailNoteAsync(db, ticket, author, mail.Body.Length == 0 ? null : mail.Body, mail.Attachments, stored, ct);
            return null;
        }
        var projectKey = ProjectFor(mail, inbound.Project, projects.Select(p => p.Key).ToList());
        if (projectKey is null)
        {
            return $"unknown project: no recipient ({string.Join(", ", mail.Recipients.DefaultIfEmpty("none"))}) is a project's address; "
                + "configure Portal:Mail:Projects or deliver with ?project=KEY.";
        }
        var project = projects.SingleOrDefault(p => p.Key == projectKey);
        if (project is null)
        {
            return $"unknown project '{projectKey}'.";
        }
        db.Projects.Attach(project);
        var reporter = await customers.ResolveAsync(db, from, project, clock.GetUtcNow(), ct);
        filing.Changes = await tickets.OpenFromMailAsync(db, inbound, project, reporter, Title(mail.Subject), mail.Body, mail.Attachments, stored, ct);
        return null;
    }

    /// <summary>Why a message cannot become a ticket whatever it says, or null.</summary>
    private string? Refusal(InboundMessage inbound, ParsedMail mail)
    {
        if (mail.Kind != MailKind.Normal)
        {
            return $"{mail.Kind switch { MailKind.AutoReply => "auto-reply", MailKind.Bounce => "bounce", _ => "junk" }}: {mail.KindReason}";
        }
        if (mail.From is null || !mail.From.Address.Contains('@', StringComparison.Ordinal))
        {
            return "no sender: the message has no From address.";
        }
        if (IsOurs(mail.From.Address))
        {
            return $"sent by the portal itself ({mail.From.Address}); filing it would start a mail loop.";
        }
        if (inbound.Raw.LongLength > settings.MaxMessageBytes)
        {
            return $"over limits: the message has {Megabytes(inbound.Raw.LongLength)}, more than {Megabytes(settings.MaxMessageBytes)}.";
        }
        if (mail.Attachments.Count > settings.MaxAttachments)
        {
            return $"over limits: {mail.Attachments.Count} attachments, more than {settings.MaxAttachments}.";
        }
        if (mail.Attachments.FirstOrDefault(a => a.Content.LongLength > Attachment.MaxSize) is { } big)
        {
            return $"over limits: attachment '{big.FileName}' has {Megabytes(big.Content.LongLength)}, more than {Megabytes(Attachment.MaxSize)}.";
        }
        if (mail.Body.Length > Ticket.MaxTextLength)
        {
            return $"over limits: the text has {mail.Body.Length} characters, more than {Ticket.MaxTextLength}.";
        }
        return null;
    }

    private bool IsOurs(string address) =>
        string.Equals(MimeKit.MailboxAddress.Parse(settings.From).Address, address, StringComparison.OrdinalIgnoreCase)
        || settings.ProjectOf(address) is not null;

    /// <summary>The ticket a reply answers: by the Message-IDs it refers to (ours or received), else by [#123] in the subject.</summary>
    private async Task<Ticket?> AnsweredTicketAsync(PortalDbContext db, ParsedMail mail, CancellationToken ct)
    {
        var ids = mail.ThreadIds.ToList();
        int? number = null;
        if (ids.Count > 0)
        {
            number = await db.Outbox.Where(m => ids.Contains(m.MessageId) && m.TicketNumber != null).Select(m => m.TicketNumber).FirstOrDefaultAsync(ct)
                ?? await db.Inbound.Where(m => ids.Contains(m.MessageId) && m.TicketNumber != null && m.Outcome != InboundOutcome.Quarantined)
                    .Select(m => m.TicketNumber).FirstOrDefaultAsync(ct)
                ?? ids.Select(ThreadRootNumber).FirstOrDefault(n => n is not null);
        }
        number ??= SubjectReference().Match(mail.Subject) is { Success: true } m ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : null;
        return number is { } n ? await TicketService.FindAsync(db, n, ct) : null;
    }

    private int? ThreadRootNumber(string messageId) =>
        ThreadRoot().Match(messageId) is { Success: true } m && string.Equals(m.Groups[2].Value, settings.Domain, StringComparison.OrdinalIgnoreCase)
            ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)
            : null;

    /// <summary>A recipient that is a project's address, else one addressed to <c>name+KEY@</c>, else the fallback.</summary>
    private string? ProjectFor(ParsedMail mail, string? fallback, IReadOnlyList<string> keys)
    {
        foreach (var recipient in mail.Recipients)
        {
            if (settings.ProjectOf(recipient) is { } configured)
            {
                return configured.ToUpperInvariant();
            }
        }
        foreach (var recipient in mail.Recipients)
        {
            if (SubAddress().Match(recipient) is { Success: true } m && keys.Contains(m.Groups[1].Value.ToUpperInvariant()))
            {
                return m.Groups[1].Value.ToUpperInvariant();
            }
        }
        return fallback;
    }

    private static string Title(string subject)
    {
        var title = Whitespace().Replace(SubjectReference().Replace(ReplyPrefix().Replace(subject, ""), ""), " ").Trim();
        if (title.Length == 0)
        {
            return "(no subject)";
        }
        return title.Length > Ticket.MaxTitleLength ? title[..(Ticket.MaxTitleLength - 1)] + "…" : title;
    }

    private static string Megabytes(long bytes) => $"{bytes / (1024.0 * 1024.0):0.#} MB";

    private static void EnsureAdmin(Viewer viewer)
    {
        if (!viewer.IsAdmin || viewer.IsLinkSession)
        {
            throw new DomainException(DomainErrorKind.Forbidden, "Only admins may see and re-process the mail quarantine.");
        }
    }

    /// <summary>A message waiting to be filed, and what filing it stored and changed.</summary>
    private sealed record Filing(InboundMessage Inbound, ParsedMail? Mail, string? Unreadable, bool IsNew)
    {
        public List<string> StoredFiles { get; } = [];

        public IReadOnlyList<TicketChanged> Changes { get; set; } = [];

        public TaskCompletionSource<InboundReceipt> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [GeneratedRegex(@"\[#(\d{1,9})\]")]
    private static partial Regex SubjectReference();

    [GeneratedRegex(@"^ticket-(\d{1,9})@(.+)$")]
    private static partial Regex ThreadRoot();

    [GeneratedRegex(@"^[^@+]+\+([A-Za-z]{2,10})@")]
    private static partial Regex SubAddress();

    [GeneratedRegex(@"^\s*((re|aw|fw|fwd|wg|sv|vs|antw)\s*(\[\d+\])?\s*:\s*)+", RegexOptions.IgnoreCase)]
    private static partial Regex ReplyPrefix();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
