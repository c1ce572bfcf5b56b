namespace TicketPortal.Domain.People;

/// <summary>
/// The secret in a customer's mail that opens one ticket without an account: 256 random bits, only the SHA-256 hash
/// stored, revocable. It is exchanged for a session cookie scoped to the customer and that ticket.
/// </summary>
public sealed class CustomerLink
{
    public int Id { get; private set; }
    public int TicketNumber { get; private set; }
    public string UserId { get; private set; } = "";
    public string Hash { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? RevokedAt { get; private set; }
    public DateTimeOffset? LastUsedAt { get; private set; }

    private CustomerLink()
    {
    }

    private CustomerLink(int ticketNumber, string userId, string hash, DateTimeOffset now)
    {
        TicketNumber = ticketNumber;
        UserId = userId;
        Hash = hash;
        CreatedAt = now;
    }

    /// <summary>A new link for the ticket's customer; the secret is returned once, for the mail, and never stored.</summary>
    public static (CustomerLink Link, string Secret) Issue(int ticketNumber, string userId, DateTimeOffset now)
    {
        var secret = ApiToken.NewSecret();
        return (new CustomerLink(ticketNumber, userId, ApiToken.HashOf(secret), now), secret);
    }

    public bool IsActive => RevokedAt is null;

    public void Revoke(DateTimeOffset now) => RevokedAt ??= now;

    public void Used(DateTimeOffset now) => LastUsedAt = now;
}
