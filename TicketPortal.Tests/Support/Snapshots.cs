using TicketPortal.Domain.Workflows;

namespace TicketPortal.Tests.Support;

/// <summary>Builds engine inputs with sensible defaults so each test states only what matters to it.</summary>
public sealed record TicketSnapshotBuilder
{
    public const string Reporter = "reporter-id";
    public const string Assignee = "assignee-id";

    public string Status { get; init; } = "Ticket";
    public string Tracker { get; init; } = "Change";
    public string? AssigneeId { get; init; }
    public IReadOnlyCollection<string> Labels { get; init; } = [];
    public IReadOnlyDictionary<string, string> Fields { get; init; } = new Dictionary<string, string>();
    public IReadOnlyList<bool> Checklist { get; init; } = [];
    public DateTimeOffset StatusSince { get; init; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public TicketSnapshot Build() => new(Status, Tracker, Reporter, AssigneeId, Labels, Fields, Checklist, StatusSince);

    public static Actor With(params string[] roles) => new("someone", roles.ToHashSet());

    public static Actor User(string id, params string[] roles) => new(id, roles.ToHashSet());

    public static TransitionInput Take(string id, string? comment = null, params (string Name, string Value)[] fields) =>
        new(id, comment, fields.ToDictionary(f => f.Name, f => f.Value));
}
