using System.Text;
using MimeKit;
using MimeKit.Text;

namespace TicketPortal.Domain.Mail;

/// <summary>
/// Reads one raw inbound message into the <see cref="ParsedMail"/> intake works with; tolerant of broken
/// MIME, since a customer's mail is worth a ticket even when their mail client is not standards-perfect.
/// </summary>
public static class MailParser
{
    private static readonly string[] EnvelopeRecipientHeaders = ["Delivered-To", "X-Original-To", "Envelope-To"];

    static MailParser() => RegisterEncodings();

    /// <summary>
    /// .NET ships windows-1252, koi8-r, shift_jis, iso-2022-jp and friends only through the code pages provider, and
    /// MimeKit does not register it; MimeKit decides once which charsets exist, so this must run before its first use.
    /// </summary>
    public static void RegisterEncodings() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>Parses <paramref name="raw"/>; throws <see cref="MailUnreadableException"/> when it is not a message at all.</summary>
    public static ParsedMail Parse(byte[] raw)
    {
        var message = Load(raw);
        var attachments = MailAttachments.FromParts(message);
        var body = Body(message, attachments);
        if (message.From.Count == 0 && message.Sender is null && body.Length == 0 && attachments.Count == 0)
        {
            throw new MailUnreadableException("The message has no sender (From or Sender) and no body.");
        }
        var from = message.From.Mailboxes.FirstOrDefault() ?? message.Sender ?? message.ReplyTo.Mailboxes.FirstOrDefault();
        var (kind, reason) = MailClassifier.Classify(message, from);
        return new ParsedMail(
            NullIfEmpty(message.MessageId),
            from,
            Recipients(message),
            message.Subject ?? "",
            ThreadIds(message),
            body,
            kind,
            reason,
            attachments,
            kind == MailKind.Bounce ? MailClassifier.BouncedMessageIds(message) : []);
    }

    private static MimeMessage Load(byte[] raw)
    {
        if (raw.Length == 0)
        {
            throw new MailUnreadableException("The message is empty.");
        }
        MimeMessage message;
        try
        {
            using var stream = new MemoryStream(raw, writable: false);
            message = MimeMessage.Load(stream);
        }
        catch (FormatException e)
        {
            throw new MailUnreadableException($"Not a mail message: {e.Message}");
        }
        return message.Headers.Count == 0 ? throw new MailUnreadableException("The message has no headers.") : message;
    }

    private static string Body(MimeMessage message, List<MailAttachment> attachments)
    {
        if (message.GetTextBody(TextFormat.Plain) is { } plain)
        {
            return ReplyTrimmer.Trim(MailAttachments.TakeUuencoded(plain.ReplaceLineEndings("\n"), attachments));
        }
        return message.HtmlBody is { } html ? ReplyTrimmer.Trim(HtmlText.ToPlainText(html)) : "";
    }

    private static IReadOnlyList<string> Recipients(MimeMessage message)
    {
        var envelope = EnvelopeRecipientHeaders
            .SelectMany(name => message.Headers.Where(h => h.Field.Equals(name, StringComparison.OrdinalIgnoreCase)))
            .SelectMany(h => InternetAddressList.TryParse(h.Value, out var list) ? list.Mailboxes : []);
        return [.. message.To.Mailboxes.Concat(message.Cc.Mailboxes).Concat(envelope).Select(m => m.Address.ToLowerInvariant()).Distinct()];
    }

    private static IReadOnlyList<string> ThreadIds(MimeMessage message) =>
        [.. new[] { message.InReplyTo }.Concat(message.References.Reverse()).OfType<string>().Where(id => id.Length > 0).Distinct()];

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
