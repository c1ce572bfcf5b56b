using System.Security.Claims;
using TicketPortal.Domain.People;

namespace TicketPortal.Auth;

public static class PortalClaims
{
    public const string Admin = "portal:admin";
    public const string DisplayName = "portal:name";

    public static IEnumerable<Claim> For(PortalUser user) =>
    [
        new(ClaimTypes.NameIdentifier, user.Id),
        new(ClaimTypes.Name, user.Email ?? user.Id),
        new(ClaimTypes.Email, user.Email ?? ""),
        new(DisplayName, user.DisplayName),
        new(Admin, user.IsAdmin ? "true" : "false"),
    ];

    /// <summary>The domain's view of who is signed in.</summary>
    public static Viewer ToViewer(this ClaimsPrincipal principal)
    {
        var id = principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("The principal has no user id.");
        return principal.IsLinkSession()
            ? new Viewer(id, IsAdmin: false, principal.Grants().Select(g => g.Ticket).ToHashSet())
            : new Viewer(id, principal.FindFirstValue(Admin) == "true");
    }
}
