namespace TicketPortal.Domain.People;

/// <summary>Something a person should know about a ticket (an SLA breach, an escalation), shown until they read it.</summary>
public sealed class Notification
{
    public int Id { get; private set; }
    public string UserId { get; private set; } = "";
    public int TicketNumber { get; private set; }
    public string Text { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? ReadAt { get; private set; }

    private Notification()
    {
    }

    public Notification(string userId, int ticketNumber, string text, DateTimeOffset createdAt)
    {
        UserId = userId;
        TicketNumber = ticketNumber;
        Text = text;
        CreatedAt = createdAt;
    }

    public void MarkRead(DateTimeOffset at) => ReadAt ??= at;
}
