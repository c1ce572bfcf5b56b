using System.Data;
using Microsoft.EntityFrameworkCore;
using TicketPortal.Domain.Mail;
using TicketPortal.Domain.Persistence;
using TicketPortal.Domain.Tickets;
using TicketPortal.Domain.Workflows;

namespace TicketPortal.Domain.People;

/// <summary>Who a valid customer link lets in, and to which ticket.</summary>
public sealed record CustomerLinkGrant(int LinkId, int TicketNumber, PortalUser Customer);

/// <summary>Customer links: exchanged for a session, checked on every request of it, revoked and re-sent by staff.</summary>
public sealed class CustomerLinkService(
    IDbContextFactory<PortalDbContext> dbFactory, WorkflowCatalog catalog, TicketMail mail, TimeProvider clock)
{
    /// <summary>The grant of an active link, or null for a secret that is unknown or revoked.</summary>
    public async Task<CustomerLinkGrant?> ExchangeAsync(string secret, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(secret) || secret.Length > 100)
        {
            return null;
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var hash = ApiToken.HashOf(secret);
        var link = await db.CustomerLinks.SingleOrDefaultAsync(l => l.Hash == hash && l.RevokedAt == null, ct);
        if (link is null)
        {
            return null;
        }
        link.Used(clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return new CustomerLinkGrant(link.Id, link.TicketNumber, await db.Users.SingleAsync(u => u.Id == link.UserId, ct));
    }

    /// <summary>Which of these links still open their ticket; a session keeps only those.</summary>
    public async Task<IReadOnlySet<int>> ActiveAsync(IReadOnlyCollection<int> linkIds, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ids = linkIds.ToList();
        return (await db.CustomerLinks.Where(l => ids.Contains(l.Id) && l.RevokedAt == null).Select(l => l.Id).ToListAsync(ct)).ToHashSet();
    }

    /// <summary>Revokes every link to the ticket (open sessions from them end) and mails its customer a new one; staff only.</summary>
    public async Task<int> RenewAsync(int number, Viewer viewer, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(IsolationLevel.Serializable, ct);
        var ticket = await db.Tickets.Include(t => t.Project).SingleOrDefaultAsync(t => t.Number == number, ct) ?? throw DomainException.NotFound($"Ticket #{number}");
        var access = await Access.LoadAsync(db, viewer, catalog, ct);
        if (!access.IsStaffIn(ticket.Project!))
        {
            throw access.CanSee(ticket, ticket.Project!)
                ? new DomainException(DomainErrorKind.Forbidden, $"Only staff of {ticket.Project!.Key} may renew customer links.")
                : DomainException.NotFound($"Ticket #{number}");
        }
        var now = clock.GetUtcNow();
        var revoked = await RevokeAllAsync(db, number, now, ct);
        await mail.QueueNewLinkAsync(db, ticket, now, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return revoked;
    }

    private static async Task<int> RevokeAllAsync(PortalDbContext db, int number, DateTimeOffset now, CancellationToken ct)
    {
        var links = await db.CustomerLinks.Where(l => l.TicketNumber == number && l.RevokedAt == null).ToListAsync(ct);
        links.ForEach(l => l.Revoke(now));
        return links.Count;
    }
}
