namespace TicketPortal.Domain.Tickets;

/// <summary>One append-only step in a ticket's history: who, when, an optional note, and the field changes.</summary>
public sealed class JournalEntry
{
    private readonly List<JournalChange> _changes = [];

    public int Id { get; private set; }
    public int TicketId { get; private set; }
    public string AuthorId { get; private set; } = "";
    public DateTimeOffset At { get; private set; }
    public string? Note { get; private set; }
    public bool IsInternal { get; private set; }
    public IReadOnlyList<JournalChange> Changes => _changes;

    private JournalEntry()
    {
    }

    internal JournalEntry(string authorId, DateTimeOffset at, string? note, bool isInternal)
    {
        AuthorId = authorId;
        At = at;
        Note = string.IsNullOrWhiteSpace(note) ? null : note;
        IsInternal = isInternal;
    }

    internal void Add(string field, string? oldValue, string? newValue) => _changes.Add(new JournalChange(field, oldValue, newValue));
}

public sealed record JournalChange(string Field, string? Old, string? New);
