using MimeKit;

namespace TicketPortal.Domain.Mail;

/// <summary>What an inbound message is, as far as the portal cares.</summary>
public enum MailKind
{
    /// <summary>Written by a person: may become a ticket or a note.</summary>
    Normal,
    /// <summary>Written by a machine on someone's behalf (Auto-Submitted, vacation replies, Precedence: bulk/auto_reply).</summary>
    AutoReply,
    /// <summary>A delivery status notification: one of our mails did not arrive.</summary>
    Bounce,
    /// <summary>Marked as spam by the mail system in front of us (X-Spam-Flag, X-Spam-Status).</summary>
    Junk,
}

/// <summary>A file carried by a message: named attachments, inline images, uuencoded blocks.</summary>
public sealed record MailAttachment(string FileName, string ContentType, byte[] Content);

/// <summary>An inbound message reduced to what intake needs; built by MailParser.</summary>
/// <param name="MessageId">The Message-ID without angle brackets, or null when the message has none.</param>
/// <param name="From">The first From mailbox (else Sender, else Reply-To), or null when there is none.</param>
/// <param name="Recipients">Every recipient address, lower-case: To, Cc, Delivered-To, X-Original-To, Envelope-To.</param>
/// <param name="ThreadIds">In-Reply-To first, then References newest first, without angle brackets.</param>
/// <param name="Body">The new text of the message as plain text: HTML converted and sanitised, quoted replies and signatures cut.</param>
/// <param name="KindReason">Why the message is not <see cref="MailKind.Normal"/>, naming the header, e.g. "Auto-Submitted: auto-replied".</param>
/// <param name="BouncedMessageIds">For a bounce: the Message-IDs of the messages that did not arrive, when the report names them.</param>
public sealed record ParsedMail(
    string? MessageId,
    MailboxAddress? From,
    IReadOnlyList<string> Recipients,
    string Subject,
    IReadOnlyList<string> ThreadIds,
    string Body,
    MailKind Kind,
    string? KindReason,
    IReadOnlyList<MailAttachment> Attachments,
    IReadOnlyList<string> BouncedMessageIds);
