using TicketPortal.Domain.People;

namespace TicketPortal.Domain.Tickets;

public enum Priority
{
    Low,
    Normal,
    High,
    Urgent,
}

/// <summary>The ticket aggregate. Every change is made inside a journal entry opened with <see cref="Record"/>.</summary>
public sealed class Ticket
{
    public const int MaxTitleLength = 200;
    public const int MaxTextLength = 65_536;

    private readonly List<TicketField> _fields = [];
    private readonly List<ChecklistItem> _checklist = [];
    private readonly List<TicketLink> _links = [];
    private readonly List<Attachment> _attachments = [];
    private readonly List<JournalEntry> _journal = [];

    public int Id { get; private set; }
    public int Number { get; private set; }
    public int ProjectId { get; private set; }
    public Project? Project { get; private set; }
    public string Tracker { get; private set; } = "";
    public string Title { get; private set; } = "";
    public string Description { get; private set; } = "";
    public string Status { get; private set; } = "";
    public Priority Priority { get; private set; }
    public List<string> Labels { get; private set; } = [];
    public string ReporterId { get; private set; } = "";
    public PortalUser? Reporter { get; private set; }
    public string? AssigneeId { get; private set; }
    public PortalUser? Assignee { get; private set; }
    public int? GroupId { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    public DateTimeOffset StatusChangedAt { get; private set; }
    public int Version { get; private set; }

    public IReadOnlyList<TicketField> Fields => _fields;
    public IReadOnlyList<ChecklistItem> Checklist => _checklist;
    public IReadOnlyList<TicketLink> Links => _links;
    public IReadOnlyList<Attachment> Attachments => _attachments;
    public IReadOnlyList<JournalEntry> Journal => _journal;

    private Ticket()
    {
    }

    public static Ticket Open(
        int number, Project project, string tracker, string title, string description, Priority priority,
        string reporterId, string status, DateTimeOffset now, string? authorId = null)
    {
        var ticket = new Ticket
        {
            Number = number,
            ProjectId = project.Id,
            Project = project,
            Tracker = project.FindTracker(tracker) ?? throw DomainException.Invalid(
                $"tracker: '{tracker}' is not a tracker of {project.Key}; use one of {string.Join(", ", project.Trackers)}."),
            Title = CheckTitle(title),
            Description = CheckText("description", description),
            Priority = priority,
            ReporterId = reporterId,
            Status = status,
            CreatedAt = now,
            UpdatedAt = now,
            StatusChangedAt = now,
        };
        // Staff filing for a customer are the author; the customer stays the reporter.
        ticket.Record(authorId ?? reporterId, now, null, isInternal: false).Add("created", null, $"{project.Key}-{number}");
        return ticket;
    }

    public string Reference => $"#{Number}";

    public IReadOnlyDictionary<string, string> FieldValues =>
        _fields.ToDictionary(f => f.Name, f => f.Value, StringComparer.OrdinalIgnoreCase);

    /// <summary>Opens the journal entry that the changes of one step are written to.</summary>
    public JournalEntry Record(string authorId, DateTimeOffset now, string? note, bool isInternal)
    {
        var entry = new JournalEntry(authorId, now, note is null ? null : CheckText("comment", note), isInternal);
        _journal.Add(entry);
        UpdatedAt = now;
        Version++;
        return entry;
    }

    /// <summary>Refuses a write made against an older version of the ticket.</summary>
    public void EnsureVersion(int? expected)
    {
        if (expected is { } v && v != Version)
        {
            throw new DomainException(DomainErrorKind.Conflict,
                $"Ticket #{Number} was changed by someone else (your version {v}, current {Version}). Reload it and try again.");
        }
    }

    public void ChangeStatus(JournalEntry entry, string status)
    {
        if (status == Status)
        {
            return;
        }
        entry.Add("status", Status, status);
        Status = status;
        StatusChangedAt = entry.At;
    }

    public void Assign(JournalEntry entry, string? userId, string? userLabel, string? previousLabel)
    {
        if (userId == AssigneeId)
        {
            return;
        }
        entry.Add("assignee", previousLabel, userLabel);
        AssigneeId = userId;
    }

    public void AssignGroup(JournalEntry entry, int? groupId, string? groupName, string? previousName)
    {
        if (groupId == GroupId)
        {
            return;
        }
        entry.Add("group", previousName, groupName);
        GroupId = groupId;
    }

    public void AddLabel(JournalEntry entry, string label)
    {
        if (string.IsNullOrWhiteSpace(label) || Labels.Contains(label, StringComparer.OrdinalIgnoreCase))
        {
            return;
        }
        Labels = [.. Labels, label.Trim()];
        entry.Add("labels", null, label.Trim());
    }

    public void SetField(JournalEntry entry, string name, string value)
    {
        CheckText(name, value);
        var field = _fields.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));
        if (field?.Value == value)
        {
            return;
        }
        entry.Add(name, field?.Value, value);
        if (field is null)
        {
            _fields.Add(new TicketField(name, value));
        }
        else
        {
            field.Value = value;
        }
    }

    public ChecklistItem AddChecklistItem(JournalEntry entry, string text, string? assigneeId = null)
    {
        var item = new ChecklistItem(_checklist.Count == 0 ? 1 : _checklist.Max(i => i.Id) + 1, CheckTitle(text), assigneeId);
        _checklist.Add(item);
        entry.Add("checklist", null, item.Text);
        return item;
    }

    public const string SlaExtensionPrefix = "sla extension: ";
    public const string SlaBreachPrefix = "sla breached: ";
    public const string SlaEscalationPrefix = "sla escalated: ";

    public static string DueKey(DateTimeOffset due) => due.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Journals that a clock passed its due time; the change is the key that keeps it from being recorded twice.</summary>
    public void RecordSlaBreach(JournalEntry entry, string clock, DateTimeOffset due) => entry.Add(SlaBreachPrefix + clock, null, DueKey(due));

    public void RecordSlaEscalation(JournalEntry entry, string clock, DateTimeOffset due) => entry.Add(SlaEscalationPrefix + clock, null, DueKey(due));

    /// <summary>Journals working hours added to an SLA clock; the clock reads its extensions back from the journal.</summary>
    public void ExtendSla(JournalEntry entry, string clock, double hours) =>
        entry.Add(SlaExtensionPrefix + clock, null, hours.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public ChecklistItem FindChecklistItem(int itemId) =>
        _checklist.FirstOrDefault(i => i.Id == itemId) ?? throw DomainException.NotFound($"Checklist item {itemId} of ticket #{Number}");

    public void TickChecklistItem(JournalEntry entry, int itemId, bool done, string actorId)
    {
        var item = FindChecklistItem(itemId);
        if (item.AssigneeId is not null && item.AssigneeId != actorId)
        {
            throw new DomainException(DomainErrorKind.Forbidden, $"Checklist item '{item.Text}' is assigned to someone else; only they may tick it.");
        }
        if (item.Done == done)
        {
            return;
        }
        entry.Add($"checklist: {item.Text}", item.Done ? "done" : "open", done ? "done" : "open");
        item.Set(done, done ? actorId : null, done ? entry.At : null);
    }

    public void AssignChecklistItem(JournalEntry entry, int itemId, string? userId, string? userLabel)
    {
        var item = FindChecklistItem(itemId);
        if (item.AssigneeId == userId)
        {
            return;
        }
        entry.Add($"checklist: {item.Text}: assignee", null, userLabel);
        item.AssignTo(userId);
    }

    public bool ChecklistComplete => _checklist.Count > 0 && _checklist.All(i => i.Done);

    public void AddLink(JournalEntry entry, LinkType type, int number)
    {
        if (number == Number)
        {
            throw DomainException.Invalid("A ticket cannot link to itself.");
        }
        if (_links.Any(l => l.Type == type && l.Number == number))
        {
            return;
        }
        _links.Add(new TicketLink(type, number));
        entry.Add("link", null, $"{type.ToApiName()} #{number}");
    }

    public Attachment Attach(JournalEntry entry, string fileName, string contentType, long size, string storedName)
    {
        var attachment = new Attachment(fileName, contentType, size, storedName, entry.AuthorId, entry.At, entry.IsInternal);
        _attachments.Add(attachment);
        entry.Add("attachment", null, fileName);
        return attachment;
    }

    private static string CheckTitle(string title)
    {
        if (string.IsNullOrWhiteSpace(title))
        {
            throw DomainException.Invalid("title: a title is required.");
        }
        if (title.Length > MaxTitleLength)
        {
            throw DomainException.Invalid($"title: at most {MaxTitleLength} characters (got {title.Length}).");
        }
        return title.Trim();
    }

    private static string CheckText(string what, string text)
    {
        if (text.Length > MaxTextLength)
        {
            throw DomainException.Invalid($"{what}: at most {MaxTextLength} characters (got {text.Length}).");
        }
        return text;
    }
}
