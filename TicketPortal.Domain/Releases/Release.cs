namespace TicketPortal.Domain.Releases;

public enum ReleaseState
{
    Draft,
    Published,
}

/// <summary>
/// A project's batch of finished tickets under one version. What the notes say is generated from the tickets each time;
/// a person's edits are kept as overrides (the intro, an entry's note), so regenerating never loses them.
/// </summary>
public sealed class Release
{
    public const int MaxNameLength = 120;
    public const int MaxTextLength = 20_000;

    private readonly List<ReleaseItem> _items = [];

    public int Id { get; private set; }
    public int ProjectId { get; private set; }
    public string Version { get; private set; } = "";
    public string? Name { get; private set; }
    public DateOnly GoLiveDate { get; private set; }
    public ReleaseState State { get; private set; }
    public string? IntroOverride { get; private set; }
    public string CreatedById { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    public string? PublishedById { get; private set; }
    public DateTimeOffset? PublishedAt { get; private set; }
    public string? CommitSha { get; private set; }
    public int Revision { get; private set; }
    public IReadOnlyList<ReleaseItem> Items => _items;

    private Release()
    {
    }

    public Release(int projectId, SemanticVersion version, string? name, DateOnly goLiveDate, string createdById, DateTimeOffset now, IEnumerable<int> tickets)
    {
        ProjectId = projectId;
        Version = version.ToString();
        CreatedById = createdById;
        CreatedAt = now;
        Rename(name);
        GoLiveDate = goLiveDate;
        AddTickets(tickets);
    }

    public void Rename(string? name)
    {
        EnsureDraft();
        name = string.IsNullOrWhiteSpace(name) ? null : name.Trim();
        if (name?.Length > MaxNameLength)
        {
            throw DomainException.Invalid($"name: at most {MaxNameLength} characters.");
        }
        if (name != Name)
        {
            Name = name;
            Revision++;
        }
    }

    public void Reschedule(DateOnly goLiveDate)
    {
        EnsureDraft();
        if (goLiveDate != GoLiveDate)
        {
            GoLiveDate = goLiveDate;
            Revision++;
        }
    }

    /// <summary>Sets the intro a person wrote; null goes back to the generated one.</summary>
    public void OverrideIntro(string? intro)
    {
        EnsureDraft();
        IntroOverride = Text("intro", intro);
        Revision++;
    }

    public void AddTickets(IEnumerable<int> numbers)
    {
        EnsureDraft();
        foreach (var number in numbers.Where(n => _items.All(i => i.TicketNumber != n)))
        {
            _items.Add(new ReleaseItem(number));
        }
        Revision++;
    }

    public void RemoveTicket(int number)
    {
        EnsureDraft();
        var item = _items.SingleOrDefault(i => i.TicketNumber == number)
            ?? throw DomainException.Invalid($"remove: #{number} is not in release {Version}.");
        _items.Remove(item);
        Revision++;
    }

    /// <summary>Sets an entry's note a person wrote; null goes back to the ticket's own release note.</summary>
    public void OverrideNote(int number, string? note)
    {
        EnsureDraft();
        var item = _items.SingleOrDefault(i => i.TicketNumber == number)
            ?? throw DomainException.Invalid($"notes: #{number} is not in release {Version}.");
        item.NoteOverride = Text($"notes.{number}", note);
        Revision++;
    }

    public void MarkPublished(string userId, DateTimeOffset at, string commitSha)
    {
        EnsureDraft();
        (State, PublishedById, PublishedAt, CommitSha) = (ReleaseState.Published, userId, at, commitSha);
        Revision++;
    }

    private void EnsureDraft()
    {
        if (State == ReleaseState.Published)
        {
            throw new DomainException(DomainErrorKind.Conflict, $"Release {Version} is already published; a published release cannot change.");
        }
    }

    private static string? Text(string field, string? text)
    {
        if (text is null)
        {
            return null;
        }
        return text.Length > MaxTextLength ? throw DomainException.Invalid($"{field}: at most {MaxTextLength} characters.") : text;
    }
}

/// <summary>A ticket in a release, with the note a person wrote for it (if any).</summary>
public sealed class ReleaseItem
{
    public int Id { get; private set; }
    public int TicketNumber { get; private set; }
    public string? NoteOverride { get; internal set; }

    private ReleaseItem()
    {
    }

    internal ReleaseItem(int ticketNumber) => TicketNumber = ticketNumber;
}
