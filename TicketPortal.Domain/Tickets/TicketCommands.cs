namespace TicketPortal.Domain.Tickets;

public sealed record CreateTicket(string Project, string Tracker, string Title, string? Description, string? Priority, string? ReporterEmail);

public sealed record TicketQuery(
    string? Project = null,
    string? Status = null,
    string? Assignee = null,
    string? Q = null,
    bool IncludeHidden = false,
    string? View = null,
    string? Sort = null,
    int Page = 1,
    int PageSize = 50)
{
    public const int MaxPageSize = 200;
}

public sealed record TakeTransition(string Transition, string? Comment, IReadOnlyDictionary<string, string>? Fields, int? Version);
