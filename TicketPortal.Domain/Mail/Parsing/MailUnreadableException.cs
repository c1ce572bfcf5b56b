namespace TicketPortal.Domain.Mail;

/// <summary>The bytes handed to <see cref="MailParser"/> are not a message at all, so intake quarantines them with this reason.</summary>
public sealed class MailUnreadableException(string message) : Exception(message);
