using MimeKit;

namespace TicketPortal.Domain.Mail;

/// <summary>
/// A mail waiting in the database to be delivered. It is stored in the same transaction as the change it tells of, so
/// a crash never loses it; its Message-ID is fixed when queued, so a retry delivers the same message, never a new one.
/// </summary>
public sealed class OutboxMessage
{
    public int Id { get; private set; }
    public string ToAddress { get; private set; } = "";
    public string ToName { get; private set; } = "";
    public string Subject { get; private set; } = "";
    public string TextBody { get; private set; } = "";
    public string HtmlBody { get; private set; } = "";
    public string MessageId { get; private set; } = "";
    public int? TicketNumber { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset NextAttemptAt { get; private set; }
    public int Attempts { get; private set; }
    public DateTimeOffset? SentAt { get; private set; }
    public string? LastError { get; private set; }

    private OutboxMessage()
    {
    }

    public OutboxMessage(MailboxAddress to, string subject, string textBody, string htmlBody, string domain, int? ticketNumber, DateTimeOffset now)
    {
        ToAddress = to.Address;
        ToName = to.Name ?? "";
        Subject = subject;
        TextBody = textBody;
        HtmlBody = htmlBody;
        TicketNumber = ticketNumber;
        MessageId = $"{Guid.NewGuid():N}@{domain}";
        CreatedAt = now;
        NextAttemptAt = now;
    }

    public MimeMessage ToMime(MailboxAddress from)
    {
        var message = new MimeMessage { Subject = Subject, MessageId = MessageId, Date = CreatedAt };
        message.From.Add(from);
        message.To.Add(new MailboxAddress(ToName, ToAddress));
        message.Headers.Add(HeaderId.AutoSubmitted, "auto-generated");
        message.Body = new BodyBuilder { TextBody = TextBody, HtmlBody = HtmlBody }.ToMessageBody();
        return message;
    }

    public void MarkSent(DateTimeOffset at) => SentAt ??= at;

    /// <summary>A failed delivery waits longer each time: 1, 2, 4 ... minutes, at most an hour.</summary>
    public void MarkFailed(string error, DateTimeOffset now)
    {
        Attempts++;
        LastError = error.Length > 2000 ? error[..2000] : error;
        NextAttemptAt = now + TimeSpan.FromMinutes(Math.Min(60, Math.Pow(2, Attempts - 1)));
    }
}
