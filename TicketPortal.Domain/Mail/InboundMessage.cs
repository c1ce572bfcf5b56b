using System.Security.Cryptography;

namespace TicketPortal.Domain.Mail;

/// <summary>
/// A received message, kept as delivered before anything is done with it, so nothing accepted is lost: what it became
/// (a ticket, a note) or why it is in the quarantine. Its Message-ID is unique, so the same message twice is processed once.
/// </summary>
public sealed class InboundMessage
{
    public int Id { get; private set; }
    /// <summary>The Message-ID, or for a message without one a hash of its bytes.</summary>
    public string MessageId { get; private set; } = "";
    public byte[] Raw { get; private set; } = [];
    public string? Project { get; private set; }
    public string From { get; private set; } = "";
    public string Subject { get; private set; } = "";
    public DateTimeOffset ReceivedAt { get; private set; }
    public InboundOutcome Outcome { get; private set; }
    public int? TicketNumber { get; private set; }
    public string? Reason { get; private set; }

    private InboundMessage()
    {
    }

    public InboundMessage(byte[] raw, string? messageId, string? project, DateTimeOffset now)
    {
        Raw = raw;
        MessageId = messageId ?? KeyOf(raw);
        Project = project;
        ReceivedAt = now;
    }

    /// <summary>The key of a message that carries no Message-ID: the same bytes delivered twice are one message.</summary>
    public static string KeyOf(byte[] raw) => "sha256:" + Convert.ToHexString(SHA256.HashData(raw)).ToLowerInvariant();

    public void Describe(string from, string subject)
    {
        From = Clip(from, 320);
        Subject = Clip(subject, 500);
    }

    public void BecameTicket(int number) => (Outcome, TicketNumber, Reason) = (InboundOutcome.Ticket, number, null);

    public void BecameNote(int number) => (Outcome, TicketNumber, Reason) = (InboundOutcome.Note, number, null);

    public void Quarantine(string reason, int? ticketNumber = null) => (Outcome, TicketNumber, Reason) = (InboundOutcome.Quarantined, ticketNumber, Clip(reason, 2000));

    /// <summary>A re-processing may name the project the message belongs to.</summary>
    public void Reassign(string? project) => Project = project ?? Project;

    public InboundReceipt Receipt(bool duplicate) => new(Id, Outcome, TicketNumber, Reason, duplicate);

    private static string Clip(string text, int length) => text.Length > length ? text[..length] : text;
}
