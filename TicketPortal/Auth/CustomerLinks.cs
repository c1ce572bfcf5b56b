using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using TicketPortal.Domain.Mail;
using TicketPortal.Domain.People;

namespace TicketPortal.Auth;

/// <summary>
/// The customer link in a mail: <c>/c/{secret}</c> is exchanged at once for a cookie of its own scheme, scoped to the
/// customer and the tickets their links opened, and the browser is sent on to the ticket so the secret leaves the
/// address bar and the history. Every request re-checks the links, so revoking one ends the sessions it started.
/// </summary>
public static class CustomerLinks
{
    public const string Scheme = "CustomerLink";
    public const string CookieName = ".TicketPortal.CustomerLink";

    /// <summary>One claim per link the session holds: "linkId:ticketNumber".</summary>
    public const string LinkClaim = "portal:link";

    public static AuthenticationBuilder AddCustomerLinks(this AuthenticationBuilder auth) =>
        auth.AddCookie(Scheme, o =>
        {
            o.Cookie.Name = CookieName;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.ExpireTimeSpan = TimeSpan.FromDays(14);
            o.SlidingExpiration = true;
            o.LoginPath = "/account/login";
            o.AccessDeniedPath = "/my";
            o.Events.OnValidatePrincipal = ValidateAsync;
            o.Events.OnRedirectToLogin = context => AuthExtensions.Refuse(context, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = context => AuthExtensions.Refuse(context, StatusCodes.Status403Forbidden);
        });

    public static void MapCustomerLinks(this IEndpointRouteBuilder app) =>
        app.MapGet(TicketMail.CustomerPath + "{secret}", ExchangeAsync).AllowAnonymous().ExcludeFromDescription();

    public static bool IsLinkSession(this ClaimsPrincipal principal) => principal.Identity?.AuthenticationType == Scheme;

    /// <summary>The (link, ticket) pairs a link session holds.</summary>
    public static IReadOnlyList<(int Link, int Ticket)> Grants(this ClaimsPrincipal principal) =>
        principal.FindAll(LinkClaim).Select(c => c.Value.Split(':')).Where(p => p.Length == 2)
            .Select(p => (int.Parse(p[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture)))
            .ToList();

    private static async Task<IResult> ExchangeAsync(string secret, HttpContext http, CustomerLinkService links, CancellationToken ct)
    {
        http.Response.Headers["Referrer-Policy"] = "no-referrer";
        http.Response.Headers.CacheControl = "no-store";
        var grant = await links.ExchangeAsync(secret, ct);
        if (grant is null)
        {
            return Results.Content(
                "<!DOCTYPE html><html><body><h1>This link does not open a ticket</h1>"
                + "<p>It may have been replaced by a newer one. Use the link in the latest mail about your ticket, or reply to that mail to ask for a new one.</p></body></html>",
                "text/html", statusCode: StatusCodes.Status404NotFound);
        }
        var target = $"/my/tickets/{grant.TicketNumber}";
        var user = http.User;
        if (user.Identity?.IsAuthenticated == true && !user.IsLinkSession() && user.FindFirstValue(ClaimTypes.NameIdentifier) == grant.Customer.Id)
        {
            // Signed in with their own account: they already see all their tickets.
            return Results.Redirect(target);
        }
        var kept = user.IsLinkSession() && user.FindFirstValue(ClaimTypes.NameIdentifier) == grant.Customer.Id ? user.Grants() : [];
        await http.SignOutAsync(IdentityConstants.ApplicationScheme);
        await http.SignInAsync(Scheme, Principal(grant.Customer, [.. kept.Where(g => g.Link != grant.LinkId), (grant.LinkId, grant.TicketNumber)]));
        return Results.Redirect(target);
    }

    private static ClaimsPrincipal Principal(PortalUser customer, IEnumerable<(int Link, int Ticket)> grants) =>
        new(new ClaimsIdentity(
            PortalClaims.For(customer).Where(c => c.Type != PortalClaims.Admin)
                .Append(new Claim(PortalClaims.Admin, "false"))
                .Concat(grants.Select(ClaimOf)),
            Scheme));

    private static Claim ClaimOf((int Link, int Ticket) grant) => new(LinkClaim, $"{grant.Link}:{grant.Ticket}");

    private static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var principal = context.Principal!;
        var grants = principal.Grants();
        var active = await context.HttpContext.RequestServices.GetRequiredService<CustomerLinkService>()
            .ActiveAsync(grants.Select(g => g.Link).ToList(), context.HttpContext.RequestAborted);
        if (active.Count == grants.Count && grants.Count > 0)
        {
            return;
        }
        if (active.Count == 0)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(Scheme);
            return;
        }
        var identity = new ClaimsIdentity(principal.Claims.Where(c => c.Type != LinkClaim), Scheme);
        identity.AddClaims(grants.Where(g => active.Contains(g.Link)).Select(ClaimOf));
        context.ReplacePrincipal(new ClaimsPrincipal(identity));
        context.ShouldRenew = true;
    }
}
