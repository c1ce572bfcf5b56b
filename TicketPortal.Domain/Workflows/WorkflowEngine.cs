namespace TicketPortal.Domain.Workflows;

/// <summary>What the engine needs to know about a ticket.</summary>
public sealed record TicketSnapshot(
    string Status,
    string Tracker,
    string ReporterId,
    string? AssigneeId,
    IReadOnlyCollection<string> Labels,
    IReadOnlyDictionary<string, string> Fields,
    IReadOnlyList<bool> ChecklistDone,
    DateTimeOffset StatusSince);

/// <summary>Who acts: a user with their roles in the ticket's project, or the system running an automation.</summary>
/// <param name="OpenAssignments">Open tickets the user owns in the project, for the WIP limit.</param>
public sealed record Actor(string UserId, IReadOnlySet<string> Roles, bool IsAdmin = false, int OpenAssignments = 0)
{
    public const string SystemId = "system";

    public static Actor System { get; } = new(SystemId, new HashSet<string>(), IsAdmin: true);

    public bool IsSystem => UserId == SystemId;
}

public sealed record TransitionInput(string TransitionId, string? Comment, IReadOnlyDictionary<string, string> Fields);

public enum RefusalKind
{
    /// <summary>No transition of that id in the workflow.</summary>
    Unknown,
    /// <summary>The transition does not start from the ticket's status.</summary>
    WrongStatus,
    /// <summary>The actor's roles do not allow it.</summary>
    Forbidden,
    /// <summary>A requirement (comment, field, label, checklist, actor) is missing.</summary>
    RequirementMissing,
}

public abstract record TransitionDecision;

public sealed record TransitionAccepted(
    TransitionDefinition Transition,
    string ToStatus,
    IReadOnlyList<EffectDefinition> Effects,
    IReadOnlyDictionary<string, string> FieldChanges,
    string? LabelToAdd) : TransitionDecision;

public sealed record TransitionRefused(RefusalKind Kind, IReadOnlyList<string> Problems) : TransitionDecision
{
    public string Message => string.Join(" ", Problems);
}

/// <summary>Pure workflow rules: values in, decisions out.</summary>
public static class WorkflowEngine
{
    public const string RoleReporter = "reporter";
    public const string RoleAssignee = "assignee";
    public const string RoleOwner = "owner";
    public const string LabelField = "label";
    public const string AnyStatus = "*";

    public static IReadOnlySet<string> RelativeRoles { get; } =
        new HashSet<string>(StringComparer.OrdinalIgnoreCase) { RoleReporter, RoleAssignee, RoleOwner };

    public static bool CanCreate(WorkflowDefinition workflow, Actor actor) =>
        actor.IsAdmin || (workflow.CreateRoles.Count == 0 ? actor.Roles.Count > 0 : workflow.CreateRoles.Any(actor.Roles.Contains));

    /// <summary>The transitions the actor may take now, in definition order.</summary>
    public static IReadOnlyList<TransitionDefinition> Available(WorkflowDefinition workflow, TicketSnapshot ticket, Actor actor) =>
        workflow.Transitions
            .Where(t => !t.Automatic && StartsFrom(t, ticket) && IsAllowed(t, ticket, actor))
            .ToList();

    public static TransitionDecision Decide(WorkflowDefinition workflow, TicketSnapshot ticket, Actor actor, TransitionInput input)
    {
        var transition = workflow.FindTransition(input.TransitionId);
        if (transition is null)
        {
            return new TransitionRefused(RefusalKind.Unknown, [$"Unknown transition '{input.TransitionId}' in workflow '{workflow.Id}'."]);
        }
        if (transition.Automatic && !actor.IsSystem)
        {
            return new TransitionRefused(RefusalKind.Forbidden, [$"Transition '{transition.Id}' is taken by the system only."]);
        }
        // Who may take it is checked first: a step the caller may never take answers "not allowed", not "try later".
        if (!IsAllowed(transition, ticket, actor) || !AppliesToTracker(transition, ticket))
        {
            return new TransitionRefused(RefusalKind.Forbidden,
                [$"Transition '{transition.Id}' needs one of the roles {string.Join(", ", transition.Roles)} on trackers {Trackers(transition)}."]);
        }
        if (!StartsFrom(transition, ticket))
        {
            return new TransitionRefused(RefusalKind.WrongStatus,
                [$"Transition '{transition.Id}' starts from {string.Join(", ", transition.From)}; the ticket is in '{ticket.Status}'."]);
        }
        var unexpected = input.Fields.Keys.Where(name => !Takes(transition, name)).ToList();
        if (unexpected.Count > 0)
        {
            return new TransitionRefused(RefusalKind.RequirementMissing,
                unexpected.Select(name => $"fields.{name}: '{transition.Id}' does not take this field.").ToList());
        }

        var fields = Merge(ticket.Fields, input.Fields);
        var problems = input.Fields
            .Select(f => workflow.FindField(f.Key)?.Problem(f.Value))
            .OfType<string>()
            .Concat(MissingRequirements(workflow, transition.Requires, ticket, actor, input))
            .ToList();
        if (problems.Count > 0)
        {
            return new TransitionRefused(RefusalKind.RequirementMissing, problems);
        }

        var branch = transition.Branches.FirstOrDefault(b => Matches(b.When, fields));
        var to = branch?.To ?? transition.To ?? ticket.Status;
        var effects = branch is null ? transition.Effects : [.. transition.Effects, .. branch.Effects];
        var fieldChanges = input.Fields
            .Where(f => !string.Equals(f.Key, LabelField, StringComparison.OrdinalIgnoreCase))
            .Where(f => !ticket.Fields.TryGetValue(f.Key, out var old) || old != f.Value)
            .ToDictionary(f => f.Key, f => f.Value, StringComparer.OrdinalIgnoreCase);
        var label = input.Fields.TryGetValue(LabelField, out var l) && !ticket.Labels.Contains(l, StringComparer.OrdinalIgnoreCase) ? l : null;
        return new TransitionAccepted(transition, to, effects, fieldChanges, label);
    }

    /// <summary>Whether the actor may reassign the ticket directly now (the workflow's reassign rule, or an admin).</summary>
    public static bool CanReassign(WorkflowDefinition workflow, TicketSnapshot ticket, Actor actor) =>
        workflow.Reassign is { } rule
        && rule.From.Contains(ticket.Status, StringComparer.OrdinalIgnoreCase)
        && (actor.IsAdmin || rule.Roles.Any(role => HasRole(role, ticket, actor)));

    /// <summary>The first automation of the trigger that applies to the ticket now, or null.</summary>
    public static AutomationDefinition? Triggered(
        WorkflowDefinition workflow, TicketSnapshot ticket, AutomationTrigger trigger, DateTimeOffset now, string? name = null) =>
        workflow.Automations.FirstOrDefault(a => a.On == trigger && Applies(workflow, a, ticket, now, name));

    private static bool Applies(WorkflowDefinition workflow, AutomationDefinition automation, TicketSnapshot ticket, DateTimeOffset now, string? name)
    {
        var transition = workflow.FindTransition(automation.Transition);
        if (transition is null || !StartsFrom(transition, ticket))
        {
            return false;
        }
        return automation.On switch
        {
            AutomationTrigger.ChecklistComplete => ticket.ChecklistDone.Count > 0 && ticket.ChecklistDone.All(d => d),
            AutomationTrigger.TimeInStatus => string.Equals(automation.Status, ticket.Status, StringComparison.OrdinalIgnoreCase)
                && now - ticket.StatusSince >= TimeSpan.FromDays(automation.Days),
            AutomationTrigger.LinkedTicketDone => string.Equals(automation.LinkType, name, StringComparison.OrdinalIgnoreCase),
            AutomationTrigger.External => string.Equals(automation.Trigger, name, StringComparison.OrdinalIgnoreCase),
        };
    }

    private static bool StartsFrom(TransitionDefinition transition, TicketSnapshot ticket) =>
        transition.From.Any(f => f == AnyStatus || string.Equals(f, ticket.Status, StringComparison.OrdinalIgnoreCase))
        && AppliesToTracker(transition, ticket);

    private static bool AppliesToTracker(TransitionDefinition transition, TicketSnapshot ticket) =>
        transition.Trackers.Count == 0 || transition.Trackers.Contains(ticket.Tracker, StringComparer.OrdinalIgnoreCase);

    /// <summary>A step takes the fields it requires or offers, the label when it asks for one, and the fields its branches look at.</summary>
    private static bool Takes(TransitionDefinition transition, string field) =>
        string.Equals(field, LabelField, StringComparison.OrdinalIgnoreCase)
            ? transition.Requires.LabelFrom.Count > 0
            : transition.Requires.Fields.Concat(transition.Offers).Concat(transition.Branches.Select(b => b.When.Field))
                .Contains(field, StringComparer.OrdinalIgnoreCase);

    private static string Trackers(TransitionDefinition transition) =>
        transition.Trackers.Count == 0 ? "all" : string.Join(", ", transition.Trackers);

    private static bool IsAllowed(TransitionDefinition transition, TicketSnapshot ticket, Actor actor) =>
        actor.IsAdmin || transition.Roles.Any(role => HasRole(role, ticket, actor));

    private static bool HasRole(string role, TicketSnapshot ticket, Actor actor) =>
        role.ToLowerInvariant() switch
        {
            RoleReporter => ticket.ReporterId == actor.UserId,
            RoleAssignee or RoleOwner => ticket.AssigneeId == actor.UserId,
            _ => actor.Roles.Contains(role),
        };

    private static List<string> MissingRequirements(
        WorkflowDefinition workflow, Requirements requires, TicketSnapshot ticket, Actor actor, TransitionInput input)
    {
        var problems = new List<string>();
        if (requires.Comment && string.IsNullOrWhiteSpace(input.Comment))
        {
            problems.Add("comment: a comment giving the reason is required.");
        }
        if (requires.WithinWipLimit && workflow.WipLimit is { } limit && actor.OpenAssignments >= limit && string.IsNullOrWhiteSpace(input.Comment))
        {
            problems.Add($"comment: you already own {actor.OpenAssignments} open tickets (WIP limit {limit}); give a reason to take another.");
        }
        problems.AddRange(requires.Fields
            .Where(f => !input.Fields.TryGetValue(f, out var value) || string.IsNullOrWhiteSpace(value))
            .Select(f => $"fields.{f}: a value is required."));
        if (requires.Unassigned && ticket.AssigneeId is not null)
        {
            problems.Add("assignee: the ticket already has an owner.");
        }
        if (requires.LabelFrom.Count > 0)
        {
            var submitted = input.Fields.GetValueOrDefault(LabelField);
            var labels = submitted is null ? ticket.Labels : [.. ticket.Labels, submitted];
            if (submitted is not null && !requires.LabelFrom.Contains(submitted, StringComparer.OrdinalIgnoreCase))
            {
                problems.Add($"fields.label: '{submitted}' is not one of {string.Join(", ", requires.LabelFrom)}.");
            }
            else if (!labels.Any(l => requires.LabelFrom.Contains(l, StringComparer.OrdinalIgnoreCase)))
            {
                problems.Add($"fields.label: one of the labels {string.Join(", ", requires.LabelFrom)} is required.");
            }
        }
        var open = ticket.ChecklistDone.Count(done => !done);
        if (requires.ChecklistComplete && open > 0)
        {
            problems.Add($"checklist: {open} item(s) are not done yet.");
        }
        if (requires.ActorNotAssignee && ticket.AssigneeId == actor.UserId)
        {
            problems.Add("actor: the assignee may not take this step; another person must.");
        }
        return problems;
    }

    private static bool Matches(FieldCondition condition, IReadOnlyDictionary<string, string> fields) =>
        fields.TryGetValue(condition.Field, out var value) && string.Equals(value, condition.EqualTo, StringComparison.OrdinalIgnoreCase);

    private static Dictionary<string, string> Merge(IReadOnlyDictionary<string, string> current, IReadOnlyDictionary<string, string> submitted)
    {
        var merged = new Dictionary<string, string>(current, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in submitted)
        {
            merged[name] = value;
        }
        return merged;
    }
}
