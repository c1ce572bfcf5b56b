using System.Security.Cryptography;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TicketPortal.Domain.People;
using TicketPortal.Domain.Persistence;
using TicketPortal.Setup;

namespace TicketPortal.Auth;

/// <summary>Bearer API tokens (stored hashed) and the bootstrap admin token; SignalR clients send it as access_token.</summary>
public sealed class BearerTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IDbContextFactory<PortalDbContext> dbFactory,
    IOptions<PortalOptions> portal) : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, logger, encoder)
{
    public const string SchemeName = "Bearer";

    public static string? TokenOf(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return header["Bearer ".Length..].Trim();
        }
        return request.Path.StartsWithSegments("/hubs") ? request.Query["access_token"].ToString() is { Length: > 0 } t ? t : null : null;
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = TokenOf(Request);
        if (token is null)
        {
            return AuthenticateResult.NoResult();
        }
        await using var db = await dbFactory.CreateDbContextAsync(Context.RequestAborted);
        var user = IsBootstrap(token)
            ? await Users.ByEmailAsync(db, DemoData.AdminEmail, Context.RequestAborted)
            : await Users.ByApiTokenAsync(db, token, Context.RequestAborted);
        if (user is null)
        {
            return AuthenticateResult.Fail("The bearer token is not valid.");
        }
        var principal = new ClaimsPrincipal(new ClaimsIdentity(PortalClaims.For(user), SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    private bool IsBootstrap(string token) =>
        portal.Value.BootstrapAdminToken is { Length: > 0 } bootstrap
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(bootstrap), Encoding.UTF8.GetBytes(token));
}
