using System.Globalization;

namespace TicketPortal.Domain.Releases;

/// <summary>The one way a go-live date is written and read: ISO yyyy-MM-dd, whatever the server's culture.</summary>
public static class ReleaseDate
{
    public const string Pattern = "yyyy-MM-dd";

    public static string Format(DateOnly date) => date.ToString(Pattern, CultureInfo.InvariantCulture);

    public static string Format(DateTime date) => date.ToString(Pattern, CultureInfo.InvariantCulture);

    public static bool TryParse(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text?.Trim(), Pattern, CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
}
