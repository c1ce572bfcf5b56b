using Microsoft.EntityFrameworkCore;
using TicketPortal.Domain.Persistence;

namespace TicketPortal.Domain.People;

/// <summary>Finding a person by e-mail or by API token: compiled, as every API request finds its bearer this way.</summary>
public static class Users
{
    public static Task<PortalUser?> ByEmailAsync(PortalDbContext db, string email, CancellationToken ct) =>
        ByNormalizedEmail.For(db)(db, email.ToUpperInvariant(), ct);

    /// <summary>The owner of the API token whose secret this is; tokens are stored hashed.</summary>
    public static Task<PortalUser?> ByApiTokenAsync(PortalDbContext db, string secret, CancellationToken ct) =>
        ByTokenHash.For(db)(db, ApiToken.HashOf(secret), ct);

    private static readonly CompiledQuery<Func<PortalDbContext, string, CancellationToken, Task<PortalUser?>>> ByNormalizedEmail =
        new(() => EF.CompileAsyncQuery((PortalDbContext db, string normalized, CancellationToken ct) =>
            db.Users.SingleOrDefault(u => u.NormalizedEmail == normalized)));

    private static readonly CompiledQuery<Func<PortalDbContext, string, CancellationToken, Task<PortalUser?>>> ByTokenHash =
        new(() => EF.CompileAsyncQuery((PortalDbContext db, string hash, CancellationToken ct) =>
            db.ApiTokens.Where(t => t.Hash == hash).Join(db.Users, t => t.UserId, u => u.Id, (_, u) => u).SingleOrDefault()));
}
