using TicketPortal.Domain.People;
using TicketPortal.Domain.Workflows;

namespace TicketPortal.Domain.Tickets;

/// <summary>A person as the contract shows them; <see cref="Email"/> is null where the viewer may not see it.</summary>
public sealed record PersonView(string? Email, string Name)
{
    /// <summary>A person as a viewer sees them: staff see e-mail addresses; a customer sees names, and no address but their own.</summary>
    public static PersonView Seen(PortalUser user, bool staff, string viewerId) =>
        staff || user.Id == viewerId ? new(user.Email ?? "", user.Name) : new(null, user.PublicName);

    /// <summary>The person in one word, as journals and lists name them: by address for staff, by name for customers.</summary>
    public string Label(bool staff) => staff && Email is { } email ? email : Name;
}

/// <summary>A ticket as the API and pages show it to one viewer (internal entries left out for customers).</summary>
public sealed record TicketView(
    int Number,
    string Project,
    string Tracker,
    string Title,
    string Description,
    string Status,
    string StatusCategory,
    string Priority,
    PersonView Reporter,
    PersonView? Assignee,
    string? Group,
    IReadOnlyList<string> Labels,
    IReadOnlyDictionary<string, string> Fields,
    IReadOnlyList<ChecklistItemView> Checklist,
    IReadOnlyList<LinkView> Links,
    IReadOnlyList<AttachmentView> Attachments,
    IReadOnlyList<JournalEntryView> Journal,
    IReadOnlyList<SlaView> Sla,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    int Version,
    bool CanReassign);

public sealed record ChecklistItemView(int Id, string Text, bool Done, string? Assignee, string? DoneBy);

public sealed record LinkView(string Type, int Number);

public sealed record AttachmentView(int Id, string FileName, string ContentType, long Size, bool Internal);

public sealed record JournalEntryView(DateTimeOffset At, string Author, string? Text, bool Internal, IReadOnlyList<ChangeView> Changes);

public sealed record ChangeView(string Field, string? Old, string? New);

public sealed record SlaView(string Name, DateTimeOffset DueAt, TimeSpan Remaining, bool Paused, bool Breached, bool Met)
{
    /// <summary>Under this much working time left a running clock is about to breach: amber on cards, listed on queues.</summary>
    public static readonly TimeSpan Soon = TimeSpan.FromHours(2);

    public bool BreachingSoon => !Met && (Breached || (!Paused && Remaining < Soon));
}

public sealed record TicketSummary(
    int Number, string Project, string Title, string Status, string StatusCategory, string? Assignee, DateTimeOffset UpdatedAt, IReadOnlyList<string> Labels);

public sealed record TicketListResult(IReadOnlyList<TicketSummary> Items, int Total, int Page, int PageSize);

/// <summary>A transition the viewer may take now, with what it asks for.</summary>
public sealed record TransitionView(string Id, string Name, string To, Requirements Requires, IReadOnlyList<string> Offers);

/// <summary>A card on the board: what a person needs at a glance, with the most urgent SLA clock.</summary>
public sealed record BoardCard(int Number, string Title, string Status, PersonView? Assignee, IReadOnlyList<string> Labels, SlaView? Sla)
{
    /// <summary>The card of a ticket loaded with its assignee and journal; a customer's card leaves out labels and clocks, as their ticket page does.</summary>
    public static BoardCard From(Ticket ticket, WorkflowDefinition workflow, DateTimeOffset now, bool staff, string viewerId) =>
        new(ticket.Number, ticket.Title, ticket.Status, ticket.Assignee is null ? null : PersonView.Seen(ticket.Assignee, staff, viewerId),
            staff ? ticket.Labels : [],
            !staff ? null : TicketSla.For(ticket, ticket.Journal, workflow, now).Where(c => !c.Met).OrderBy(c => c.Remaining)
                .Select(c => new SlaView(c.Name, c.DueAt, c.Remaining, c.Paused, c.Breached, c.Met)).FirstOrDefault());
}

/// <summary>A group's wall-screen queue: tickets nobody has taken yet, and tickets whose clocks are about to run out.</summary>
public sealed record QueueView(int GroupId, string Group, IReadOnlyList<BoardCard> Unassigned, IReadOnlyList<BoardCard> BreachingSoon);

public sealed record GroupView(int Id, string Name, int Members);

/// <summary>How many open tickets a staff member owns, against the workflow's WIP limit.</summary>
public sealed record WorkloadView(string Email, string Name, int Open, int? Limit, bool OverLimit);

public static class StatusCategoryNames
{
    public static string ToApiName(this StatusCategory category) => category switch
    {
        StatusCategory.New => "new",
        StatusCategory.Open => "open",
        StatusCategory.Waiting => "waiting",
        StatusCategory.Done => "done",
    };
}
