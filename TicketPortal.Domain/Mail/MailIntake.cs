using System.Data;
using System.Diagnostics;
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
/// one disk flush serves them all, and each poster still gets its own receipt once that commit is on disk. The writer
/// does not wait for the disk itself: a second worker flushes the WAL and answers the posters while the writer files the
/// next batch, and checkpoints run beside both (<see cref="WalFlush"/>).
/// </para>
/// </summary>
public sealed partial class MailIntake : IInboundMail
{
    /// <summary>The most messages one transaction files; the rest wait for the next.</summary>
    private const int BatchLimit = 64;

    private const string Savepoint = "inbound";

    /// <summary>How often the WAL is copied into the database while the intake commits without checkpointing.</summary>
    private static readonly TimeSpan CheckpointEvery = TimeSpan.FromMilliseconds(50);

    private readonly IDbContextFactory<PortalDbContext> _dbFactory;
    private readonly TicketService _tickets;
    private readonly CustomerService _customers;
    private readonly MailSettings _settings;
    private readonly TimeProvider _clock;
    private readonly ILogger<MailIntake> _log;

    /// <summary>Files batch after batch, committing without waiting for the disk (<see cref="WalFlush"/>).</summary>
    private readonly BatchWorker<Filing> _writer;

    /// <summary>Flushes what the writer committed and only then answers its posters.</summary>
    private readonly BatchWorker<Filing> _flusher;

    /// <summary>The database file, and whether the writer's commits leave flush and checkpoint to others; set by the writer.</summary>
    private volatile string? _databaseFile;
    private volatile bool _relaxed;

    /// <summary>Flushes a database's WAL to disk; tests put a disk that fails in its place.</summary>
    internal Action<string> FlushWal { get; init; } = WalFlush.Flush;

    /// <summary>The first flush that failed: nothing is acknowledged after it.</summary>
    private volatile Exception? _flushFailure;

    private long _lastCheckpoint;
    private int _checkpointing;

    public MailIntake(
        IDbContextFactory<PortalDbContext> dbFactory,
        TicketService tickets,
        CustomerService customers,
        MailSettings settings,
        TimeProvider clock,
        ILogger<MailIntake> log)
    {
        _dbFactory = dbFactory;
        _tickets = tickets;
        _customers = customers;
        _settings = settings;
        _clock = clock;
        _log = log;
        _writer = new BatchWorker<Filing>(FileAsync, BatchLimit, log);
        _flusher = new BatchWorker<Filing>(AnswerAsync, int.MaxValue, log);
    }

    public async Task<InboundReceipt> ReceiveAsync(byte[] raw, string? project, CancellationToken ct = default)
    {
        var (mail, unreadable) = Parse(raw);
        var key = mail?.MessageId is { Length: > 0 and <= 900 } id ? id : InboundMessage.KeyOf(raw);
        if (await StoredAsync(key, ct) is { } known)
        {
            return known.Receipt(duplicate: true);
        }
        var inbound = new InboundMessage(raw, key, string.IsNullOrWhiteSpace(project) ? null : project.Trim().ToUpperInvariant(), _clock.GetUtcNow());
        inbound.Describe(mail?.From?.ToString() ?? "", mail?.Subject ?? "");
        return await FileTogetherAsync(new Filing(inbound, mail, unreadable, IsNew: true));
    }

    /// <summary>Runs a quarantined message through intake again, e.g. after its project's address was configured; admins only.</summary>
    public async Task<InboundReceipt> ReprocessAsync(int id, string? project, Viewer viewer, CancellationToken ct = default)
    {
        EnsureAdmin(viewer);
        await using var db = await _dbFactory.CreateDbContextAsync(ct);
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
        await using var db = await _dbFactory.CreateDbContextAsync(ct);
        return await db.Inbound.AsNoTracking().Where(m => m.Outcome == InboundOutcome.Quarantined).OrderByDescending(m => m.Id)
            .Select(m => new QuarantinedView(m.Id, m.ReceivedAt, m.From, m.Subject, m.MessageId, m.Project, m.Reason ?? "", m.TicketNumber))
            .ToListAsync(ct);
    }

    /// <summary>The message as it was received, for an admin to read.</summary>
    public async Task<byte[]> RawAsync(int id, Viewer viewer, CancellationToken ct = default)
    {
        EnsureAdmin(viewer);
        await using var db = await _dbFactory.CreateDbContextAsync(ct);
        return await db.Inbound.Where(m => m.Id == id).Select(m => m.Raw).SingleOrDefaultAsync(ct) ?? throw DomainException.NotFound($"Inbound message {id}");
    }

    /// <summary>
    /// The message stored under this Message-ID, if any, once it is on disk: it may be one the writer committed a moment
    /// ago whose flush is still to come, and its copy is answered as the original would be.
    /// </summary>
    private async Task<InboundMessage?> StoredAsync(string messageId, CancellationToken ct)
    {
        await using var db = await _dbFactory.CreateDbContextAsync(ct);
        var stored = await StoredAsync(db, messageId, ct);
        if (stored is not null)
        {
            Flush(await WalFlush.DatabaseFileAsync(db));
        }
        return stored;
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
    /// Queues the message for the writer and waits until the message is committed and on disk. Once queued, a message
    /// is filed even if its poster hangs up.
    /// </summary>
    private async Task<InboundReceipt> FileTogetherAsync(Filing filing)
    {
        _writer.Add(filing);
        var receipt = await filing.Done.Task;
        // Each poster tells the live pages about its own message, after the commit and without holding up the writer.
        _tickets.Publish(filing.Changes);
        return receipt;
    }

    /// <summary>
    /// Files the messages in one transaction. Its commit does not wait for the disk: the flusher answers each poster
    /// once it is there, while this writer goes on with the next batch.
    /// </summary>
    private async Task FileAsync(List<Filing> batch)
    {
        var receipts = new List<InboundReceipt>(batch.Count);
        try
        {
            await using var db = await _dbFactory.CreateDbContextAsync();
            db.Database.AutoSavepointsEnabled = false;
            await db.Database.OpenConnectionAsync();
            _databaseFile ??= await WalFlush.DatabaseFileAsync(db);
            var relaxed = await WalFlush.RelaxAsync(db, _log);
            _relaxed = relaxed is not null;
            try
            {
                await using var tx = await db.Database.BeginTransactionAsync(IsolationLevel.Serializable);
                // Read once: no project can change while this transaction holds the write lock.
                var projects = await db.Projects.AsNoTracking().ToListAsync();
                foreach (var filing in batch)
                {
                    receipts.Add(await FileOneAsync(db, tx, filing, projects));
                }
                await tx.CommitAsync();
            }
            finally
            {
                if (relaxed is not null)
                {
                    await WalFlush.RestoreAsync(db, relaxed, _log);
                }
            }
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
                _tickets.DeleteFiles(filing.StoredFiles);
            }
            return;
        }
        foreach (var (filing, receipt) in batch.Zip(receipts))
        {
            filing.Receipt = receipt;
            _flusher.Add(filing);
        }
    }

    /// <summary>Flushes the WAL once for all the committed messages waiting, then answers their posters.</summary>
    private Task AnswerAsync(List<Filing> committed)
    {
        try
        {
            Flush(_databaseFile!);
        }
        catch (Exception e)
        {
            // Committed but perhaps not on disk: the sender hears of a failure and delivers again, and the copy is recognised.
            foreach (var filing in committed)
            {
                filing.Done.SetException(e);
            }
            return Task.CompletedTask;
        }
        foreach (var filing in committed)
        {
            filing.Done.SetResult(filing.Receipt!);
        }
        CheckpointWhenDue();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Flushes the WAL to disk. A failed flush fails every later one until the portal restarts: after an fsync error the
    /// system may have dropped the pages it could not write, and a later fsync that succeeds would not bring them back.
    /// </summary>
    private void Flush(string databaseFile)
    {
        if (_flushFailure is { } failed)
        {
            throw new IOException($"Mail is refused until the portal restarts: flushing the database to disk failed ({failed.Message}).", failed);
        }
        try
        {
            FlushWal(databaseFile);
        }
        catch (Exception e)
        {
            _log.LogCritical(e, "Flushing the database to disk failed; mail is refused until the portal restarts.");
            _flushFailure = e;
            throw;
        }
    }

    /// <summary>Starts a checkpoint beside the writer when the last one is <see cref="CheckpointEvery"/> ago and done.</summary>
    private void CheckpointWhenDue()
    {
        if (!_relaxed || Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastCheckpoint)) < CheckpointEvery
            || Interlocked.CompareExchange(ref _checkpointing, 1, 0) != 0)
        {
            return;
        }
        _ = Task.Run(async () =>
        {
            try
            {
                await using var db = await _dbFactory.CreateDbContextAsync();
                await WalFlush.CheckpointAsync(db);
            }
            catch (Exception e)
            {
                // Nothing is lost: the WAL holds every commit, and the next checkpoint copies it.
                _log.LogWarning(e, "A checkpoint of the mail intake's commits failed.");
            }
            finally
            {
                Interlocked.Exchange(ref _lastCheckpoint, Stopwatch.GetTimestamp());
                Volatile.Write(ref _checkpointing, 0);
            }
        });
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
            _tickets.DeleteFiles(filing.StoredFiles);
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
        _log.LogWarning(e, "Inbound message {MessageId} could not be filed; it is kept in the quarantine.", inbound.MessageId);
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
            var author = await _customers.ResolveAsync(db, from, ticket.Project!, _clock.GetUtcNow(), ct);
            if (!await _tickets.MayWriteAsync(db, ticket, author, ct))
            {
                return $"{from.Address} may not write to ticket #{ticket.Number}: only its customer and its project's staff may.";
            }
            if (mail.Body.Length == 0 && mail.Attachments.Count == 0)
            {
                return $"the reply to ticket #{ticket.Number} is empty.";
            }
            inbound.BecameNote(ticket.Number);
            filing.Changes = await _tickets.AddMailNoteAsync(db, ticket, author, mail.Body.Length == 0 ? null : mail.Body, mail.Attachments, stored, ct);
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
        var reporter = await _customers.ResolveAsync(db, from, project, _clock.GetUtcNow(), ct);
        filing.Changes = await _tickets.OpenFromMailAsync(db, inbound, project, reporter, Title(mail.Subject), mail.Body, mail.Attachments, stored, ct);
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
        if (inbound.Raw.LongLength > _settings.MaxMessageBytes)
        {
            return $"over limits: the message has {Megabytes(inbound.Raw.LongLength)}, more than {Megabytes(_settings.MaxMessageBytes)}.";
        }
        if (mail.Attachments.Count > _settings.MaxAttachments)
        {
            return $"over limits: {mail.Attachments.Count} attachments, more than {_settings.MaxAttachments}.";
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
        string.Equals(MimeKit.MailboxAddress.Parse(_settings.From).Address, address, StringComparison.OrdinalIgnoreCase)
        || _settings.ProjectOf(address) is not null;

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
        ThreadRoot().Match(messageId) is { Success: true } m && string.Equals(m.Groups[2].Value, _settings.Domain, StringComparison.OrdinalIgnoreCase)
            ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)
            : null;

    /// <summary>A recipient that is a project's address, else one addressed to <c>name+KEY@</c>, else the fallback.</summary>
    private string? ProjectFor(ParsedMail mail, string? fallback, IReadOnlyList<string> keys)
    {
        foreach (var recipient in mail.Recipients)
        {
            if (_settings.ProjectOf(recipient) is { } configured)
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

        /// <summary>What its poster hears, once the commit that holds it is on disk.</summary>
        public InboundReceipt? Receipt { get; set; }

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
