using MimeKit;

namespace TicketPortal.Tests.Support;

/// <summary>Raw RFC 822 messages as a customer's mail client would send them.</summary>
public static class TestMail
{
    /// <summary>When every test message says it was written; intake does not read the date.</summary>
    private static readonly DateTimeOffset Written = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    public static byte[] Raw(
        MailboxAddress from, string to, string subject, string body, string messageId,
        IReadOnlyList<(string FileName, byte[] Content)>? files = null, string? inReplyTo = null)
    {
        var message = new MimeMessage { Subject = subject, MessageId = messageId, Date = Written };
        message.From.Add(from);
        message.To.Add(MailboxAddress.Parse(to));
        if (inReplyTo is not null)
        {
            message.InReplyTo = inReplyTo;
        }
        var builder = new BodyBuilder { TextBody = body };
        foreach (var (fileName, content) in files ?? [])
        {
            builder.Attachments.Add(fileName, content, ContentType.Parse("text/plain"));
        }
        message.Body = builder.ToMessageBody();
        using var stream = new MemoryStream();
        message.WriteTo(stream);
        return stream.ToArray();
    }

    /// <summary>A Message-ID no other test uses.</summary>
    public static string NewMessageId() => $"{Guid.NewGuid():N}@customer-mail.example";
}
