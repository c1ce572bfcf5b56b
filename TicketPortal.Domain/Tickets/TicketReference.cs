using System.Globalization;

namespace TicketPortal.Domain.Tickets;

/// <summary>A ticket reference as people write it: 123, #123 or SUP-123 (numbers are global, the key is a reading aid).</summary>
public sealed record TicketReference(string? ProjectKey, int Number)
{
    public static TicketReference Parse(string reference)
    {
        var text = reference.Trim().TrimStart('#');
        string? key = null;
        var dash = text.LastIndexOf('-');
        if (dash > 0 && Project.IsValidKey(text[..dash].ToUpperInvariant()))
        {
            key = text[..dash].ToUpperInvariant();
            text = text[(dash + 1)..];
        }
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0
            ? new TicketReference(key, number)
            : throw DomainException.Invalid($"number: '{reference}' is not a ticket reference like 123, #123 or SUP-123.");
    }

    /// <summary>A key that names another project than the ticket's is a wrong reference, not a different spelling.</summary>
    public TicketView Check(TicketView ticket) =>
        ProjectKey is null || ProjectKey == ticket.Project ? ticket : throw DomainException.NotFound($"Ticket {ProjectKey}-{Number}");
}
