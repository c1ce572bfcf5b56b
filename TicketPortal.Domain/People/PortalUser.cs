using Microsoft.AspNetCore.Identity;

namespace TicketPortal.Domain.People;

/// <summary>A person who signs in: staff, developer or customer.</summary>
public sealed class PortalUser : IdentityUser
{
    public string DisplayName { get; set; } = "";
    public bool IsAdmin { get; set; }

    /// <summary>How the person is addressed: their display name, or their e-mail when they gave none.</summary>
    public string Name => string.IsNullOrWhiteSpace(DisplayName) ? Email ?? "" : DisplayName;

    /// <summary>How customers see anyone but themselves: by display name, never by e-mail address.</summary>
    public string PublicName => string.IsNullOrWhiteSpace(DisplayName) ? Unnamed : DisplayName;

    /// <summary>What customers see of a person who gave no display name.</summary>
    public const string Unnamed = "Support";
}
