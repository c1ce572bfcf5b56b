namespace TicketPortal.Domain.Tickets;

public sealed class TicketField(string name, string value)
{
    public string Name { get; private set; } = name;
    public string Value { get; internal set; } = value;
}

public sealed class ChecklistItem(int id, string text, string? assigneeId)
{
    public int Id { get; private set; } = id;
    public string Text { get; private set; } = text;
    public string? AssigneeId { get; private set; } = assigneeId;
    public bool Done { get; private set; }
    public string? DoneById { get; private set; }
    public DateTimeOffset? DoneAt { get; private set; }

    internal void AssignTo(string? userId) => AssigneeId = userId;

    internal void Set(bool done, string? by, DateTimeOffset? at)
    {
        Done = done;
        DoneById = by;
        DoneAt = at;
    }
}

public enum LinkType
{
    Related,
    Duplicates,
    DuplicatedBy,
    CopiedTo,
    CopiedFrom,
    Blocks,
    BlockedBy,
}

public static class LinkTypes
{
    public static string ToApiName(this LinkType type) => type switch
    {
        LinkType.Related => "related",
        LinkType.Duplicates => "duplicates",
        LinkType.DuplicatedBy => "duplicated-by",
        LinkType.CopiedTo => "copied-to",
        LinkType.CopiedFrom => "copied-from",
        LinkType.Blocks => "blocks",
        LinkType.BlockedBy => "blocked-by",
    };

    /// <summary>The type the other ticket records for the same link.</summary>
    public static LinkType Inverse(this LinkType type) => type switch
    {
        LinkType.Related => LinkType.Related,
        LinkType.Duplicates => LinkType.DuplicatedBy,
        LinkType.DuplicatedBy => LinkType.Duplicates,
        LinkType.CopiedTo => LinkType.CopiedFrom,
        LinkType.CopiedFrom => LinkType.CopiedTo,
        LinkType.Blocks => LinkType.BlockedBy,
        LinkType.BlockedBy => LinkType.Blocks,
    };

    public static LinkType Parse(string name) =>
        Enum.GetValues<LinkType>().Where(t => string.Equals(t.ToApiName(), name, StringComparison.OrdinalIgnoreCase)).Select(t => (LinkType?)t).FirstOrDefault()
            ?? throw DomainException.Invalid(
                $"Unknown link type '{name}'; use one of {string.Join(", ", Enum.GetValues<LinkType>().Select(t => t.ToApiName()))}.");
}

public sealed class TicketLink(LinkType type, int number)
{
    public LinkType Type { get; private set; } = type;
    public int Number { get; private set; } = number;
}

public sealed class Attachment(
    string fileName, string contentType, long size, string storedName, string uploadedById, DateTimeOffset uploadedAt, bool isInternal)
{
    public const long MaxSize = 10 * 1024 * 1024;

    public int Id { get; private set; }
    public string FileName { get; private set; } = fileName;
    public string ContentType { get; private set; } = contentType;
    public long Size { get; private set; } = size;
    public string StoredName { get; private set; } = storedName;
    public string UploadedById { get; private set; } = uploadedById;
    public DateTimeOffset UploadedAt { get; private set; } = uploadedAt;
    /// <summary>Staff only, like an internal note.</summary>
    public bool IsInternal { get; private set; } = isInternal;
}
