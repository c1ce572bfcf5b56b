using Microsoft.EntityFrameworkCore;
using MimeKit;
using TicketPortal.Domain.Persistence;

namespace TicketPortal.Domain.Mail;

/// <summary>
/// Delivers what is due in the outbox and retries failures with backoff. Where sending again could double a message
/// (SMTP), each one is sent on its own and saved before the next, so a crash never sends a message twice. Where sending
/// again is harmless (the pickup directory), a whole batch goes to the transport in one call, which puts it on disk
/// at once, and its deliveries are saved together; that keeps the disk and the database's write lock free for intake.
/// </summary>
public sealed class OutboxSender(IDbContextFactory<PortalDbContext> dbFactory, IMailTransport transport, MailSettings settings, TimeProvider clock)
{
    private const int Batch = 200;

    /// <summary>Sends every due message; returns how many were delivered.</summary>
    public async Task<int> SendDueAsync(CancellationToken ct = default)
    {
        var from = MailboxAddress.Parse(settings.From);
        var perCall = transport.RedeliveryIsHarmless ? Batch : 1;
        var sent = 0;
        while (true)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var now = clock.GetUtcNow();
            var due = await db.Outbox.Include(m => m.Body).Where(m => m.SentAt == null && m.NextAttemptAt <= now).OrderBy(m => m.Id).Take(Batch).ToListAsync(ct);
            foreach (var messages in due.Chunk(perCall))
            {
                sent += await DeliverAsync(messages, from, ct);
                await db.SaveChangesAsync(CancellationToken.None);
            }
            if (due.Count < Batch)
            {
                return sent;
            }
        }
    }

    /// <summary>Hands the messages to the transport in one call: all are sent, or each is marked failed with the reason.</summary>
    private async Task<int> DeliverAsync(OutboxMessage[] messages, MailboxAddress from, CancellationToken ct)
    {
        var built = new List<(OutboxMessage Message, MimeMessage Mime)>(messages.Length);
        foreach (var message in messages)
        {
            try
            {
                built.Add((message, message.ToMime(from)));
            }
            catch (Exception e)
            {
                message.MarkFailed(e.Message, clock.GetUtcNow());
            }
        }
        if (built.Count == 0)
        {
            return 0;
        }
        try
        {
            await transport.SendAsync([.. built.Select(b => b.Mime)], ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var failedAt = clock.GetUtcNow();
            foreach (var (message, _) in built)
            {
                message.MarkFailed(e.Message, failedAt);
            }
            return 0;
        }
        var sentAt = clock.GetUtcNow();
        foreach (var (message, _) in built)
        {
            message.MarkSent(sentAt);
        }
        return built.Count;
    }
}
