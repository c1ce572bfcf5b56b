using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using TicketPortal.Domain.People;

namespace TicketPortal.Auth;

/// <summary>Puts the admin flag and display name into the sign-in cookie.</summary>
public sealed class PortalClaimsFactory(UserManager<PortalUser> users, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<PortalUser>(users, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(PortalUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(PortalClaims.Admin, user.IsAdmin ? "true" : "false"));
        identity.AddClaim(new Claim(PortalClaims.DisplayName, user.DisplayName));
        return identity;
    }
}
