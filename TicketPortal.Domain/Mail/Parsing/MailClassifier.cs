using System.Text.RegularExpressions;
using MimeKit;

namespace TicketPortal.Domain.Mail;

/// <summary>
/// Tells spam, bounces and machine-written replies from mail a person wrote, by the headers mail systems
/// set for exactly that, so intake never opens a ticket for (or answers) a robot.
/// </summary>
internal static partial class MailClassifier
{
    private static readonly string[] AutoReplyFlags = ["X-Autoreply", "X-Autorespond"];

    public static (MailKind Kind, string? Reason) Classify(MimeMessage message, MailboxAddress? from)
    {
        if (JunkReason(message) is { } junk)
        {
            return (MailKind.Junk, junk);
        }
        if (BounceReason(message, from) is { } bounce)
        {
            return (MailKind.Bounce, bounce);
        }
        return AutoReplyReason(message) is { } auto ? (MailKind.AutoReply, auto) : (MailKind.Normal, null);
    }

    /// <summary>The Message-IDs of the messages a bounce returns: the attached original or its headers.</summary>
    public static IReadOnlyList<string> BouncedMessageIds(MimeMessage message) =>
    [
        .. message.BodyParts.OfType<MessagePart>()
            .Select(part => part.Message?.MessageId)
            .OfType<string>()
            .Where(id => id.Length > 0)
            .Distinct(),
    ];

    private static string? JunkReason(MimeMessage message)
    {
        if (Header(message, "X-Spam-Flag") is { } flag && flag.Equals("YES", StringComparison.OrdinalIgnoreCase))
        {
            return $"X-Spam-Flag: {flag}";
        }
        return Header(message, "X-Spam-Status") is { } status && status.StartsWith("Yes", StringComparison.OrdinalIgnoreCase)
            ? $"X-Spam-Status: {status}"
            : null;
    }

    private static string? BounceReason(MimeMessage message, MailboxAddress? from)
    {
        if (message.Body is MultipartReport report && report.ReportType?.Equals("delivery-status", StringComparison.OrdinalIgnoreCase) == true)
        {
            return "Content-Type: multipart/report; report-type=delivery-status";
        }
        if (from is not null && from.LocalPart.ToLowerInvariant() is "mailer-daemon" or "postmaster" && DeliveryFailureSubject().IsMatch(message.Subject ?? ""))
        {
            return $"From: {from.Address}";
        }
        return Header(message, "Return-Path") == "<>" && message.BodyParts.OfType<MessageDeliveryStatus>().Any()
            ? "Return-Path: <>"
            : null;
    }

    private static string? AutoReplyReason(MimeMessage message)
    {
        if (Header(message, "Auto-Submitted") is { } submitted && !submitted.Equals("no", StringComparison.OrdinalIgnoreCase))
        {
            return $"Auto-Submitted: {submitted}";
        }
        foreach (var flag in AutoReplyFlags)
        {
            if (Header(message, flag) is { } value)
            {
                return $"{flag}: {value}";
            }
        }
        // X-Auto-Response-Suppress and vacation-like subjects are left out: Outlook sets the one on ordinary mail, people write the other.
        return Header(message, "Precedence") is { } precedence && AutomaticPrecedence().IsMatch(precedence)
            ? $"Precedence: {precedence}"
            : null;
    }

    private static string? Header(MimeMessage message, string name) => message.Headers[name]?.Trim();

    [GeneratedRegex("^(?:bulk|junk|list|auto_reply)$", RegexOptions.IgnoreCase)]
    private static partial Regex AutomaticPrecedence();

    [GeneratedRegex(@"undeliver|delivery status notification|delivery (?:has )?failed|delivery failure|failure notice|returned mail|mail delivery (?:failed|system)|non-?delivery|nicht zustellbar|unzustellbar", RegexOptions.IgnoreCase)]
    private static partial Regex DeliveryFailureSubject();
}
