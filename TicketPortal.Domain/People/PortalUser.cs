using Microsoft.AspNetCore.Identity;

namespace TicketPortal.Domain.People;

/// <summary>A person who signs in: staff, developer or customer.</summary>
public sealed class PortalUser : IdentityUser
{
    public string DisplayName { get; set; } = "";
    public bool IsAdmin { get; set; }

    /// <summary>How the person is addressed: their display name, or their e-mail when they gave none.</summary>
    public string Name => string.IsNullOrWhiteSpace(DisplayName) ? Email ?? "" : DisplayName;
}
