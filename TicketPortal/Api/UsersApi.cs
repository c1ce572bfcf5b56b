using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using TicketPortal.Auth;
using TicketPortal.Domain;
using TicketPortal.Domain.People;
using TicketPortal.Domain.Persistence;

namespace TicketPortal.Api;

public sealed record TokenResponse(string Token);

public static class UsersApi
{
    public static void MapUsersApi(this IEndpointRouteBuilder api)
    {
        var users = api.MapGroup("/users").WithTags("Users");
        users.MapPost("/{email}/tokens", MintTokenAsync).RequireAuthorization(AuthExtensions.AdminPolicy);
    }

    /// <summary>Mints a bearer token acting as the user; only its hash is kept.</summary>
    private static async Task<Ok<TokenResponse>> MintTokenAsync(
        string email, UserManager<PortalUser> users, IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock, CancellationToken ct)
    {
        var user = await users.FindByEmailAsync(email) ?? throw DomainException.NotFound($"User {email}");
        var secret = ApiToken.NewSecret();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.ApiTokens.Add(new ApiToken(user.Id, ApiToken.HashOf(secret), clock.GetUtcNow()));
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new TokenResponse(secret));
    }
}
