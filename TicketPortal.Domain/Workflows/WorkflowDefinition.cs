using System.Text.Json.Serialization;

namespace TicketPortal.Domain.Workflows;

/// <summary>A workflow preset: statuses, transitions and automations, loaded from JSON.</summary>
public sealed record WorkflowDefinition
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    /// <summary>Project membership roles the preset uses; relative roles are implicit.</summary>
    public required IReadOnlyList<string> Roles { get; init; }
    public required IReadOnlyList<string> Trackers { get; init; }
    public required IReadOnlyList<StatusDefinition> Statuses { get; init; }
    /// <summary>Status a new ticket starts in; defaults to the first status.</summary>
    public string? InitialStatus { get; init; }
    /// <summary>Roles that see only the tickets they reported, and only public journal entries.</summary>
    public IReadOnlyList<string> CustomerRoles { get; init; } = [];
    /// <summary>Roles allowed to create tickets; empty means any member.</summary>
    public IReadOnlyList<string> CreateRoles { get; init; } = [];
    /// <summary>Roles allowed to batch tickets into releases and publish them; empty means any staff member.</summary>
    public IReadOnlyList<string> ReleaseRoles { get; init; } = [];
    /// <summary>Roles mailed about every new ticket, so work arriving by mail reaches them (timer-review: staff).</summary>
    public IReadOnlyList<string> NewTicketMail { get; init; } = [];
    /// <summary>
    /// Statuses whose tickets can go into a release, for a workflow without a step on the "release" trigger (which
    /// otherwise decides); empty means the workflow's tickets are never released.
    /// </summary>
    public IReadOnlyList<string> ReleaseStatuses { get; init; } = [];
    /// <summary>Trackers whose tickets can go into a release (e.g. bugs and features, not support questions); empty means all.</summary>
    public IReadOnlyList<string> ReleaseTrackers { get; init; } = [];
    /// <summary>Custom fields transitions ask for, with their type so forms and the engine can check values.</summary>
    public IReadOnlyList<FieldDefinition> Fields { get; init; } = [];
    public required IReadOnlyList<TransitionDefinition> Transitions { get; init; }
    public IReadOnlyList<AutomationDefinition> Automations { get; init; } = [];
    /// <summary>Effects applied to every new ticket of the given trackers (a queue, a checklist), however it was created.</summary>
    public IReadOnlyList<TrackerRule> OnCreate { get; init; } = [];
    /// <summary>Who may be assigned tickets of the given trackers; trackers not named take any staff member.</summary>
    public IReadOnlyList<AssignableRule> Assignable { get; init; } = [];
    /// <summary>Open tickets one person may own before taking another needs a reason (a soft limit).</summary>
    public int? WipLimit { get; init; }
    /// <summary>Priority and assignee chosen by a customer are kept as a note, not applied.</summary>
    public bool CustomerHints { get; init; }
    /// <summary>Who may reassign a ticket directly, and in which statuses; null means only steps assign.</summary>
    public ReassignRule? Reassign { get; init; }
    /// <summary>SLA clocks on a business calendar; waiting statuses pause them.</summary>
    public Sla.SlaDefinition? Sla { get; init; }

    [JsonIgnore]
    public string StartStatus => InitialStatus ?? Statuses[0].Name;

    public StatusDefinition? FindStatus(string name) =>
        Statuses.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));

    public FieldDefinition? FindField(string name) =>
        Fields.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));

    public IEnumerable<StatusDefinition> StatusesIn(StatusCategory category) => Statuses.Where(s => s.Category == category);

    /// <summary>The roles a tracker's tickets may be assigned to, or null when any staff member will do.</summary>
    public IReadOnlyList<string>? AssignableRoles(string tracker) =>
        Assignable.FirstOrDefault(a => a.Trackers.Contains(tracker, StringComparer.OrdinalIgnoreCase))?.Roles;

    public TransitionDefinition? FindTransition(string id) =>
        Transitions.FirstOrDefault(t => string.Equals(t.Id, id, StringComparison.OrdinalIgnoreCase));
}

[JsonConverter(typeof(JsonStringEnumConverter<StatusCategory>))]
public enum StatusCategory
{
    New,
    Open,
    Waiting,
    Done,
}

[JsonConverter(typeof(JsonStringEnumConverter<FieldType>))]
public enum FieldType
{
    Text,
    LongText,
    Bool,
    Choice,
    /// <summary>A person, given by e-mail, who must hold one of <see cref="FieldDefinition.Roles"/> in the project.</summary>
    User,
    /// <summary>A positive number, e.g. working hours of an SLA extension.</summary>
    Number,
}

public sealed record FieldDefinition
{
    public required string Name { get; init; }
    public required string Label { get; init; }
    public FieldType Type { get; init; } = FieldType.Text;
    /// <summary>The allowed values of a Choice field.</summary>
    public IReadOnlyList<string> Options { get; init; } = [];
    /// <summary>For User fields: the project roles the person must hold; empty means any member.</summary>
    public IReadOnlyList<string> Roles { get; init; } = [];
    /// <summary>Shown to the customer (e.g. the build with the fix); every other field is staff-only.</summary>
    public bool Public { get; init; }

    /// <summary>Null when the value suits the type, else why not.</summary>
    public string? Problem(string value) => Type switch
    {
        FieldType.User when !value.Contains('@', StringComparison.Ordinal) => $"fields.{Name}: '{value}' is not an e-mail address.",
        FieldType.Number when !double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var n) || n <= 0 =>
            $"fields.{Name}: '{value}' is not a positive number.",
        FieldType.Bool when value is not ("true" or "false") => $"fields.{Name}: must be true or false.",
        FieldType.Choice when !Options.Contains(value, StringComparer.OrdinalIgnoreCase) =>
            $"fields.{Name}: '{value}' is not one of {string.Join(", ", Options)}.",
        _ => null,
    };
}

/// <summary>A status; hidden statuses are left out of lists unless asked for.</summary>
public sealed record StatusDefinition
{
    public required string Name { get; init; }
    public required StatusCategory Category { get; init; }
    public bool Hidden { get; init; }
}

/// <summary>A move from one of <see cref="From"/> to <see cref="To"/>; an action keeps the status when To is absent.</summary>
public sealed record TransitionDefinition
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    /// <summary>Statuses the transition starts from; "*" means any.</summary>
    public required IReadOnlyList<string> From { get; init; }
    /// <summary>Target status; null keeps the current status.</summary>
    public string? To { get; init; }
    /// <summary>Who may take it: project roles and the relative roles "reporter" and "assignee".</summary>
    public required IReadOnlyList<string> Roles { get; init; }
    public Requirements Requires { get; init; } = new();
    /// <summary>Fields the step offers but does not require, e.g. an optional knowledge-base link.</summary>
    public IReadOnlyList<string> Offers { get; init; } = [];
    public IReadOnlyList<EffectDefinition> Effects { get; init; } = [];
    /// <summary>Alternative targets chosen by the submitted or stored field values; the first that matches wins.</summary>
    public IReadOnlyList<BranchDefinition> Branches { get; init; } = [];
    /// <summary>Trackers the transition applies to; empty means all.</summary>
    public IReadOnlyList<string> Trackers { get; init; } = [];
    /// <summary>Only automations take it; people never see it.</summary>
    public bool Automatic { get; init; }
}

public sealed record Requirements
{
    public bool Comment { get; init; }
    /// <summary>Fields that must be submitted with this step (a value left from an earlier step does not count).</summary>
    public IReadOnlyList<string> Fields { get; init; } = [];
    /// <summary>The ticket must carry one label of this set (submitted as fields.label or already present).</summary>
    public IReadOnlyList<string> LabelFrom { get; init; } = [];
    public bool ChecklistComplete { get; init; }
    public bool ActorNotAssignee { get; init; }
    /// <summary>Over the workflow's WIP limit the actor must give a reason (comment).</summary>
    public bool WithinWipLimit { get; init; }
    /// <summary>Only a ticket nobody owns yet.</summary>
    public bool Unassigned { get; init; }
}

public sealed record TrackerRule
{
    /// <summary>Empty means every tracker.</summary>
    public IReadOnlyList<string> Trackers { get; init; } = [];
    public required IReadOnlyList<EffectDefinition> Effects { get; init; }

    public bool AppliesTo(string tracker) => Trackers.Count == 0 || Trackers.Contains(tracker, StringComparer.OrdinalIgnoreCase);
}

public sealed record ReassignRule
{
    public required IReadOnlyList<string> Roles { get; init; }
    public required IReadOnlyList<string> From { get; init; }
}

public sealed record AssignableRule
{
    public required IReadOnlyList<string> Trackers { get; init; }
    public required IReadOnlyList<string> Roles { get; init; }
}

public sealed record BranchDefinition
{
    public required FieldCondition When { get; init; }
    public required string To { get; init; }
    public IReadOnlyList<EffectDefinition> Effects { get; init; } = [];
}

public sealed record FieldCondition
{
    public required string Field { get; init; }
    public required string EqualTo { get; init; }
}

[JsonConverter(typeof(JsonStringEnumConverter<EffectKind>))]
public enum EffectKind
{
    Assign,
    AddChecklistItem,
    SetField,
    AddLabel,
    AddLink,
    CopyToProject,
    /// <summary>Gives the SLA clock named in Target the working hours in Field; journalled, so the history shows why.</summary>
    ExtendSla,
}

[JsonConverter(typeof(JsonStringEnumConverter<AssignTarget>))]
public enum AssignTarget
{
    Role,
    Group,
    Self,
    Reporter,
    None,
    /// <summary>The person named in the User field <see cref="EffectDefinition.Field"/>.</summary>
    Field,
}

/// <summary>Something a transition does besides changing status. Which properties apply depends on <see cref="Kind"/>.</summary>
public sealed record EffectDefinition
{
    public required EffectKind Kind { get; init; }
    public AssignTarget? Assign { get; init; }
    /// <summary>Role or group name for Assign.</summary>
    public string? Target { get; init; }
    public string? Text { get; init; }
    public string? Field { get; init; }
    public string? Value { get; init; }
    public string? LinkType { get; init; }
    public string? Project { get; init; }
    public IReadOnlyDictionary<string, string> TrackerMap { get; init; } = new Dictionary<string, string>();
}

[JsonConverter(typeof(JsonStringEnumConverter<AutomationTrigger>))]
public enum AutomationTrigger
{
    ChecklistComplete,
    TimeInStatus,
    LinkedTicketDone,
    External,
}

/// <summary>Takes <see cref="Transition"/> as the system when the trigger fires for a ticket in one of its statuses.</summary>
public sealed record AutomationDefinition
{
    public required string Id { get; init; }
    public required AutomationTrigger On { get; init; }
    public required string Transition { get; init; }
    /// <summary>For TimeInStatus: the status and how long.</summary>
    public string? Status { get; init; }
    public int Days { get; init; }
    /// <summary>For LinkedTicketDone: the link type to follow.</summary>
    public string? LinkType { get; init; }
    /// <summary>For External: the trigger name, e.g. "commit" or "release".</summary>
    public string? Trigger { get; init; }
    /// <summary>Public note written with the automatic transition; {field} placeholders take ticket or linked-ticket fields.</summary>
    public string? Note { get; init; }
    /// <summary>For a commit trigger: fields filled from the commit, e.g. <c>buildNumber: tag</c> (the first tag that contains it).</summary>
    public IReadOnlyDictionary<string, string> FromCommit { get; init; } = new Dictionary<string, string>();

    /// <summary>What a commit can fill a field with.</summary>
    public static readonly IReadOnlyList<string> CommitValues = ["tag", "sha", "branch"];
}
