namespace TicketPortal.Domain.Tickets;

public sealed record CreateTicket(
    string Project, string Tracker, string Title, string? Description, string? Priority, string? ReporterEmail, string? AssigneeEmail = null);

public sealed record TicketQuery(
    string? Project = null,
    string? Status = null,
    string? Assignee = null,
    string? Q = null,
    bool IncludeHidden = false,
    string? View = null,
    string? Label = null,
    string? Sort = null,
    int Page = 1,
    int PageSize = 50)
{
    public const int MaxPageSize = 200;
}

/// <summary>A step on a ticket; an internal comment (staff only) is kept from customers while the step itself stays visible.</summary>
public sealed record TakeTransition(
    string Transition, string? Comment, IReadOnlyDictionary<string, string>? Fields, int? Version, bool CommentInternal = false);

/// <summary>One transition over many tickets: the listed numbers, or every open ticket of a person in a project.</summary>
public sealed record BulkTransition(
    string Transition, string? Comment, IReadOnlyDictionary<string, string>? Fields,
    IReadOnlyList<int>? Numbers = null, string? Project = null, string? Assignee = null, bool CommentInternal = false);

public sealed record BulkRefusal(int Number, string Problem);

public sealed record BulkResult(IReadOnlyList<int> Taken, IReadOnlyList<BulkRefusal> Refused);
