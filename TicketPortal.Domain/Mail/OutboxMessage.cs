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
    public int BodyId { get; private set; }
    public MailBody? Body { get; private set; }
    public string MessageId { get; private set; } = "";
    public int? TicketNumber { get; private set; }
    /// <summary>Where replies go: the project's intake address, so a reply becomes a note.</summary>
    public string? ReplyTo { get; private set; }
    /// <summary>The Message-ID this mail answers (the ticket's first message), so mail clients show one thread.</summary>
    public string? InReplyTo { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset NextAttemptAt { get; private set; }
    public int Attempts { get; private set; }
    public DateTimeOffset? SentAt { get; private set; }
    public string? LastError { get; private set; }

    private OutboxMessage()
    {
    }

    /// <summary>A message to one recipient; messages that say the same (a release to everyone) share one <paramref name="body"/>.</summary>
    public OutboxMessage(
        MailboxAddress to, string subject, MailBody body, string domain, int? ticketNumber, DateTimeOffset now, string? replyTo = null, string? inReplyTo = null)
    {
        ReplyTo = replyTo;
        InReplyTo = inReplyTo;
        ToAddress = to.Address;
        ToName = to.Name ?? "";
        Subject = subject;
        Body = body;
        TicketNumber = ticketNumber;
        MessageId = $"{Guid.NewGuid():N}@{domain}";
        CreatedAt = now;
        NextAttemptAt = now;
    }

    /// <summary>The message as sent; <see cref="Body"/> must be loaded.</summary>
    public MimeMessage ToMime(MailboxAddress from)
    {
        var body = Body ?? throw new InvalidOperationException($"Outbox message {Id} was loaded without its body.");
        var message = new MimeMessage { Subject = Subject, MessageId = MessageId, Date = CreatedAt };
        message.From.Add(from);
        message.To.Add(new MailboxAddress(ToName, ToAddress));
        message.Headers.Add(HeaderId.AutoSubmitted, "auto-generated");
        if (ReplyTo is not null)
        {
            message.ReplyTo.Add(MailboxAddress.Parse(ReplyTo));
        }
        if (InReplyTo is not null)
        {
            message.InReplyTo = InReplyTo;
            message.References.Add(InReplyTo);
        }
        message.Body = new BodyBuilder { TextBody = body.Text, HtmlBody = body.Html }.ToMessageBody();
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

/// <summary>The text and HTML of a mail, stored once however many recipients it has.</summary>
public sealed class MailBody
{
    public int Id { get; private set; }
    public string Text { get; private set; } = "";
    public string Html { get; private set; } = "";

    private MailBody()
    {
    }

    public MailBody(string text, string html) => (Text, Html) = (text, html);
}
