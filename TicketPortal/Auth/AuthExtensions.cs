using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using TicketPortal.Domain.People;
using TicketPortal.Domain.Persistence;

namespace TicketPortal.Auth;

public static class AuthExtensions
{
    public const string AdminPolicy = "admin";
    private const string SelectScheme = "portal";

    /// <summary>Identity cookies for people, bearer tokens for automation; the request picks which.</summary>
    public static void AddPortalAuth(this WebApplicationBuilder builder)
    {
        builder.Services.AddAuthentication(o =>
            {
                o.DefaultScheme = SelectScheme;
                o.DefaultChallengeScheme = SelectScheme;
            })
            .AddPolicyScheme(SelectScheme, "Cookie or bearer", o =>
                o.ForwardDefaultSelector = SchemeOf)
            .AddScheme<AuthenticationSchemeOptions, BearerTokenHandler>(BearerTokenHandler.SchemeName, null)
            .AddCustomerLinks()
            .AddIdentityCookies();
        builder.Services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/account/login";
            o.Events.OnRedirectToLogin = context => Refuse(context, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = context => Refuse(context, StatusCodes.Status403Forbidden);
        });
        builder.Services.AddIdentityCore<PortalUser>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.Password.RequiredLength = 8;
            })
            .AddEntityFrameworkStores<PortalDbContext>()
            .AddSignInManager()
            .AddClaimsPrincipalFactory<PortalClaimsFactory>()
            .AddDefaultTokenProviders();
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(AdminPolicy, p => p.RequireClaim(PortalClaims.Admin, "true"));
        builder.Services.AddCascadingAuthenticationState();
    }

    /// <summary>A bearer token, else the sign-in cookie, else a customer link's cookie.</summary>
    private static string SchemeOf(HttpContext context) =>
        BearerTokenHandler.TokenOf(context.Request) is not null ? BearerTokenHandler.SchemeName
        : !context.Request.Cookies.ContainsKey(IdentityCookie) && context.Request.Cookies.ContainsKey(CustomerLinks.CookieName) ? CustomerLinks.Scheme
        : IdentityConstants.ApplicationScheme;

    private const string IdentityCookie = ".AspNetCore.Identity.Application";

    /// <summary>API callers get a status code, people get the sign-in page.</summary>
    internal static Task Refuse(RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api") || context.Request.Path.StartsWithSegments("/hubs"))
        {
            context.Response.StatusCode = status;
        }
        else
        {
            context.Response.Redirect(context.RedirectUri);
        }
        return Task.CompletedTask;
    }
}
