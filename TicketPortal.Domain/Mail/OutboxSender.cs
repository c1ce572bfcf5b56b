using Microsoft.EntityFrameworkCore;
using MimeKit;
using TicketPortal.Domain.Persistence;

namespace TicketPortal.Domain.Mail;

/// <summary>
/// Delivers what is due in the outbox, one message at a time, and retries failures with backoff. Each delivery is saved
/// before the next one is sent, so a crash never sends a message twice; where sending again is harmless (the pickup
/// directory) the deliveries of a batch are saved together, which keeps the database's write lock free for intake.
/// </summary>
public sealed class OutboxSender(IDbContextFactory<PortalDbContext> dbFactory, IMailTransport transport, MailSettings settings, TimeProvider clock)
{
    private const int Batch = 200;

    /// <summary>Sends every due message; returns how many were delivered.</summary>
    public async Task<int> SendDueAsync(CancellationToken ct = default)
    {
        var from = MailboxAddress.Parse(settings.From);
        var sent = 0;
        while (true)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var now = clock.GetUtcNow();
            var due = await db.Outbox.Include(m => m.Body).Where(m => m.SentAt == null && m.NextAttemptAt <= now).OrderBy(m => m.Id).Take(Batch).ToListAsync(ct);
            if (due.Count == 0)
            {
                return sent;
            }
            foreach (var message in due)
            {
                try
                {
                    await transport.SendAsync([message.ToMime(from)], ct);
                    message.MarkSent(clock.GetUtcNow());
                    sent++;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    message.MarkFailed(e.Message, clock.GetUtcNow());
                }
                if (!transport.RedeliveryIsHarmless)
                {
                    await db.SaveChangesAsync(CancellationToken.None);
                }
            }
            await db.SaveChangesAsync(CancellationToken.None);
            if (due.Count < Batch)
            {
                return sent;
            }
        }
    }
}
