namespace TicketPortal.Domain.People;

/// <summary>
/// A customer record (CRM): the person behind the mail, with their organisation. Each is a portal user, so tickets,
/// the customer page and the workflow's reporter rules treat mail senders and account holders alike.
/// </summary>
public sealed class Customer
{
    public int Id { get; private set; }
    public string UserId { get; private set; } = "";
    public PortalUser? User { get; private set; }
    public int? OrganisationId { get; private set; }
    public Organisation? Organisation { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    private Customer()
    {
    }

    public Customer(PortalUser user, Organisation? organisation, DateTimeOffset now)
    {
        User = user;
        UserId = user.Id;
        Organisation = organisation;
        CreatedAt = now;
    }
}

/// <summary>An organisation, recognised by its mail domain.</summary>
public sealed class Organisation
{
    /// <summary>Mail providers whose users share nothing but the provider: no organisation for them.</summary>
    private static readonly HashSet<string> PublicDomains = new(StringComparer.OrdinalIgnoreCase)
    {
        "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "msn.com", "yahoo.com", "icloud.com", "me.com",
        "aol.com", "proton.me", "protonmail.com", "gmx.de", "gmx.net", "web.de", "t-online.de", "mail.ru", "yandex.ru", "qq.com",
    };

    public int Id { get; private set; }
    public string Name { get; private set; } = "";
    public string Domain { get; private set; } = "";

    private Organisation()
    {
    }

    public Organisation(string domain)
    {
        Domain = domain.ToLowerInvariant();
        Name = Domain;
    }

    /// <summary>The domain an address's organisation is known by, or null for a public mail provider.</summary>
    public static string? DomainOf(string email)
    {
        var at = email.LastIndexOf('@');
        var domain = at < 0 ? "" : email[(at + 1)..].Trim().ToLowerInvariant();
        return domain.Length == 0 || PublicDomains.Contains(domain) ? null : domain;
    }
}
