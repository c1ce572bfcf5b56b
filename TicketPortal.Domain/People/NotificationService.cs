using Microsoft.EntityFrameworkCore;
using TicketPortal.Domain.Persistence;

namespace TicketPortal.Domain.People;

public sealed record NotificationView(int Id, int TicketNumber, string Text, DateTimeOffset CreatedAt, bool Read);

/// <summary>
/// A person's own notifications, newest first; nobody reads or marks anyone else's. They tell of staff's work (SLA
/// breaches, escalations), so a customer link's session, which is never staff, has none.
/// </summary>
public sealed class NotificationService(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock)
{
    public const int Latest = 50;

    public async Task<IReadOnlyList<NotificationView>> ListAsync(Viewer viewer, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await Own(db, viewer)
            .OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id).Take(Latest)
            .Select(n => new NotificationView(n.Id, n.TicketNumber, n.Text, n.CreatedAt, n.ReadAt != null))
            .ToListAsync(ct);
    }

    public async Task MarkReadAsync(int id, Viewer viewer, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var notification = await Own(db, viewer).SingleOrDefaultAsync(n => n.Id == id, ct)
            ?? throw DomainException.NotFound($"Notification {id}");
        notification.MarkRead(clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The viewer's own notifications; none for a customer link's session.</summary>
    private static IQueryable<Notification> Own(PortalDbContext db, Viewer viewer) =>
        viewer.IsLinkSession ? db.Notifications.Where(_ => false) : db.Notifications.Where(n => n.UserId == viewer.UserId);
}
