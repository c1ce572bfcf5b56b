namespace TicketPortal.Domain.Mail;

/// <summary>What became of one inbound message.</summary>
public enum InboundOutcome
{
    /// <summary>A new ticket was opened.</summary>
    Ticket,
    /// <summary>A note was added to an existing ticket.</summary>
    Note,
    /// <summary>Kept in the quarantine with a reason (no sender, junk, auto-reply, over limits, unknown project, unreadable).</summary>
    Quarantined,
}

/// <summary>The answer to a delivered message: the ticket it became or went to, or the quarantine id it is kept under.</summary>
/// <param name="Duplicate">True when the same Message-ID was received before; nothing was done again.</param>
public sealed record InboundReceipt(int Id, InboundOutcome Outcome, int? TicketNumber, string? Reason, bool Duplicate);

/// <summary>The one way mail comes in (HTTP, mailgate, IMAP): every accepted message is stored first, then processed.</summary>
public interface IInboundMail
{
    /// <summary>Stores and processes one raw RFC 822 message; <paramref name="project"/> is the fallback project key.</summary>
    Task<InboundReceipt> ReceiveAsync(byte[] raw, string? project, CancellationToken ct = default);
}
