using System.Text.RegularExpressions;

namespace TicketPortal.Domain.Mail;

/// <summary>
/// Cuts a reply down to what the sender wrote this time: the quoted thread, the signature and the
/// "Sent from my phone" line go, so a ticket note does not repeat the whole conversation.
/// </summary>
public static partial class ReplyTrimmer
{
    /// <summary>The line our outgoing mail puts above the quoted ticket text; everything from it down is cut.</summary>
    public const string ReplyMarker = "-- Reply above this line --";

    /// <summary>The text with line endings normalised to \n, cut at the first quote marker and trimmed; the whole text when nothing would be left.</summary>
    public static string Trim(string text)
    {
        var whole = text.ReplaceLineEndings("\n").Trim();
        var lines = whole.Split('\n');
        var end = QuoteStart(lines);
        end = SignatureStart(lines, end);
        while (end > 0 && IsTrailingNoise(lines[end - 1]))
        {
            end--;
        }
        var trimmed = string.Join('\n', lines, 0, end).Trim();
        return trimmed.Length == 0 ? whole : trimmed;
    }

    private static int QuoteStart(string[] lines)
    {
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            var next = i + 1 < lines.Length ? lines[i + 1].Trim() : "";
            if (line.Contains(ReplyMarker, StringComparison.Ordinal)
                || Attribution().IsMatch(line)
                || (next.Length > 0 && Attribution().IsMatch(line + " " + next) && !Attribution().IsMatch(next))
                || OriginalMessage().IsMatch(line)
                || (Underscores().IsMatch(line) && HeaderLine().IsMatch(NextNonBlank(lines, i + 1)))
                || IsHeaderBlock(lines, i))
            {
                return i;
            }
        }
        return lines.Length;
    }

    private static string NextNonBlank(string[] lines, int from) =>
        lines.Skip(from).Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "";

    /// <summary>Outlook's plain-text quote: "From: ..." with "Sent:" or "Date:" within the next three lines.</summary>
    private static bool IsHeaderBlock(string[] lines, int i) =>
        FromHeader().IsMatch(lines[i].Trim()) && lines.Skip(i + 1).Take(3).Any(l => SentHeader().IsMatch(l.Trim()));

    private static int SignatureStart(string[] lines, int end)
    {
        var delimiter = Array.FindIndex(lines, 0, end, l => l.TrimEnd() == "--");
        return delimiter < 0 ? end : delimiter;
    }

    private static bool IsTrailingNoise(string line)
    {
        var trimmed = line.Trim();
        return trimmed.Length == 0 || trimmed.StartsWith('>') || MobileFooter().IsMatch(trimmed);
    }

    // An attribution names a date, so it holds a digit; that keeps "On Monday someone wrote:" prose apart.
    [GeneratedRegex(@"^(?=.*\d)(?:On\s.+\swrote|Am\s.+\sschrieb\s.+|Le\s.+\sa\s+écrit)\s?:$")]
    private static partial Regex Attribution();

    [GeneratedRegex(@"^-{2,}\s*(?:Original Message|Ursprüngliche Nachricht|Message d'origine)\s*-{2,}$", RegexOptions.IgnoreCase)]
    private static partial Regex OriginalMessage();

    [GeneratedRegex("^_{10,}$")]
    private static partial Regex Underscores();

    [GeneratedRegex(@"^(?:From|Von|De)\s?:", RegexOptions.IgnoreCase)]
    private static partial Regex HeaderLine();

    [GeneratedRegex(@"^(?:From|Von)\s?:\s\S")]
    private static partial Regex FromHeader();

    [GeneratedRegex(@"^(?:Sent|Date|Gesendet|Datum)\s?:\s\S")]
    private static partial Regex SentHeader();

    [GeneratedRegex(@"^(?:Sent from my \S.*|Sent from (?:Mail|Outlook) for \S.*|Get Outlook for \S.*|Von meinem \S.* gesendet|Envoyé de mon \S.*)$", RegexOptions.IgnoreCase)]
    private static partial Regex MobileFooter();
}
