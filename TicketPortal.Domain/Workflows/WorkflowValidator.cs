namespace TicketPortal.Domain.Workflows;

/// <summary>Checks that every name a definition uses is one it declares.</summary>
public static class WorkflowValidator
{
    public static (string Path, string Reason)? FirstProblem(WorkflowDefinition d) =>
        Problems(d).Select(p => ((string, string)?)p).FirstOrDefault();

    public static IEnumerable<(string Path, string Reason)> Problems(WorkflowDefinition d)
    {
        if (string.IsNullOrWhiteSpace(d.Id))
        {
            yield return ("$.id", "the id is empty.");
        }
        if (d.Statuses.Count == 0)
        {
            yield return ("$.statuses", "a workflow needs at least one status.");
            yield break;
        }
        if (d.Trackers.Count == 0)
        {
            yield return ("$.trackers", "a workflow needs at least one tracker.");
        }
        foreach (var (name, index) in Duplicates(d.Statuses.Select(s => s.Name)))
        {
            yield return ($"$.statuses[{index}].name", $"status '{name}' is declared twice.");
        }
        foreach (var (id, index) in Duplicates(d.Transitions.Select(t => t.Id)))
        {
            yield return ($"$.transitions[{index}].id", $"transition id '{id}' is declared twice.");
        }
        foreach (var (id, index) in Duplicates(d.Automations.Select(a => a.Id)))
        {
            yield return ($"$.automations[{index}].id", $"automation id '{id}' is declared twice.");
        }
        foreach (var (name, index) in Duplicates(d.Fields.Select(f => f.Name)))
        {
            yield return ($"$.fields[{index}].name", $"field '{name}' is declared twice.");
        }
        if (d.Reassign is { } reassign)
        {
            foreach (var problem in RoleProblems(d, reassign.Roles, "$.reassign.roles"))
            {
                yield return problem;
            }
            for (var i = 0; i < reassign.From.Count; i++)
            {
                if (d.FindStatus(reassign.From[i]) is null)
                {
                    yield return ($"$.reassign.from[{i}]", UnknownStatus(d, reassign.From[i]));
                }
            }
        }
        for (var i = 0; i < d.ReleaseStatuses.Count; i++)
        {
            if (d.FindStatus(d.ReleaseStatuses[i]) is null)
            {
                yield return ($"$.releaseStatuses[{i}]", UnknownStatus(d, d.ReleaseStatuses[i]));
            }
        }
        foreach (var problem in TrackerProblems(d, d.ReleaseTrackers, "$.releaseTrackers"))
        {
            yield return problem;
        }
        if (d.InitialStatus is not null && d.FindStatus(d.InitialStatus) is null)
        {
            yield return ("$.initialStatus", UnknownStatus(d, d.InitialStatus));
        }
        for (var i = 0; i < d.CustomerRoles.Count; i++)
        {
            if (!d.Roles.Contains(d.CustomerRoles[i], StringComparer.OrdinalIgnoreCase))
            {
                yield return ($"$.customerRoles[{i}]", UnknownRole(d, d.CustomerRoles[i]));
            }
        }
        foreach (var problem in RoleProblems(d, d.ReleaseRoles, "$.releaseRoles"))
        {
            yield return problem;
        }
        foreach (var problem in RoleProblems(d, d.NewTicketMail, "$.newTicketMail"))
        {
            yield return problem;
        }
        foreach (var problem in RoleProblems(d, d.CreateRoles, "$.createRoles"))
        {
            yield return problem;
        }
        for (var i = 0; i < d.Fields.Count; i++)
        {
            if (d.Fields[i].Type == FieldType.Choice && d.Fields[i].Options.Count == 0)
            {
                yield return ($"$.fields[{i}].options", "a choice field needs options.");
            }
        }
        for (var i = 0; i < d.Transitions.Count; i++)
        {
            foreach (var problem in TransitionProblems(d, d.Transitions[i], $"$.transitions[{i}]"))
            {
                yield return problem;
            }
        }
        for (var i = 0; i < d.Automations.Count; i++)
        {
            foreach (var problem in AutomationProblems(d, d.Automations[i], $"$.automations[{i}]"))
            {
                yield return problem;
            }
        }
        if (AutomationLoop(d) is { } loop)
        {
            yield return loop;
        }
        for (var i = 0; i < d.OnCreate.Count; i++)
        {
            foreach (var problem in TrackerProblems(d, d.OnCreate[i].Trackers, $"$.onCreate[{i}].trackers"))
            {
                yield return problem;
            }
            foreach (var problem in EffectProblems(d, d.OnCreate[i].Effects, $"$.onCreate[{i}].effects"))
            {
                yield return problem;
            }
            var copy = d.OnCreate[i].Effects.Select((e, j) => (e, j)).FirstOrDefault(x => x.e.Kind == EffectKind.CopyToProject);
            if (copy.e is not null)
            {
                yield return ($"$.onCreate[{i}].effects[{copy.j}]", "a new ticket cannot be copied on creation: copies would create copies.");
            }
        }
        for (var i = 0; i < d.Assignable.Count; i++)
        {
            foreach (var problem in TrackerProblems(d, d.Assignable[i].Trackers, $"$.assignable[{i}].trackers"))
            {
                yield return problem;
            }
            foreach (var problem in RoleProblems(d, d.Assignable[i].Roles, $"$.assignable[{i}].roles"))
            {
                yield return problem;
            }
        }
        foreach (var problem in SlaProblems(d))
        {
            yield return problem;
        }
        if (d.WipLimit is < 1)
        {
            yield return ("$.wipLimit", "the WIP limit must be at least 1.");
        }
        for (var i = 0; i < d.Fields.Count; i++)
        {
            foreach (var problem in RoleProblems(d, d.Fields[i].Roles, $"$.fields[{i}].roles"))
            {
                yield return problem;
            }
        }
    }

    private static IEnumerable<(string, string)> SlaProblems(WorkflowDefinition d)
    {
        if (d.Sla is null)
        {
            yield break;
        }
        var calendar = d.Sla.Calendar;
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(calendar.TimeZone, out _))
        {
            yield return ("$.sla.calendar.timeZone", $"unknown time zone '{calendar.TimeZone}'.");
        }
        if (calendar.DayEnd <= calendar.DayStart || calendar.WorkingDays.Count == 0)
        {
            yield return ("$.sla.calendar", "a calendar needs working days and a day end after the day start.");
        }
        foreach (var problem in RoleProblems(d, d.Sla.EscalateTo, "$.sla.escalateTo"))
        {
            yield return problem;
        }
        foreach (var (name, index) in Duplicates(d.Sla.Policies.Select(p => p.Name)))
        {
            yield return ($"$.sla.policies[{index}].name", $"SLA '{name}' is declared twice.");
        }
        for (var i = 0; i < d.Sla.Policies.Count; i++)
        {
            var policy = d.Sla.Policies[i];
            if (policy.Hours < 0 || policy.Days < 0 || policy.Hours + policy.Days <= 0)
            {
                yield return ($"$.sla.policies[{i}]", "an SLA needs a positive number of hours or days.");
            }
            foreach (var problem in TrackerProblems(d, policy.Trackers, $"$.sla.policies[{i}].trackers"))
            {
                yield return problem;
            }
        }
    }

    /// <summary>Automations of one trigger whose transitions lead back to where they started would fire for ever.</summary>
    private static (string, string)? AutomationLoop(WorkflowDefinition d)
    {
        // Time-in-status automations chain across statuses (A→B after a while, B→A after a while), so they form one group.
        foreach (var group in d.Automations.Select((a, i) => (a, i)).GroupBy(x => (x.a.On, Key: (x.a.Trigger ?? x.a.LinkType ?? "").ToLowerInvariant())))
        {
            var edges = group
                .Select(x => (x.i, Transition: d.FindTransition(x.a.Transition)))
                .Where(x => x.Transition is not null)
                .SelectMany(x => Sources(d, x.Transition!).SelectMany(from => Targets(x.Transition!, from).Select(to => (x.i, From: from, To: to))))
                // An action that keeps the status loops only when the ticket's own state fires it again; an event fires it once.
                .Where(e => group.Key.On is AutomationTrigger.ChecklistComplete or AutomationTrigger.TimeInStatus
                    || !string.Equals(e.From, e.To, StringComparison.OrdinalIgnoreCase))
                .ToList();
            foreach (var start in edges)
            {
                var path = FindPath(edges, start.To, start.From, [start.From, start.To]);
                if (path is not null)
                {
                    return ($"$.automations[{start.i}]",
                        $"automation loop on trigger '{group.Key.On.ToString().ToLowerInvariant()}': {string.Join(" → ", path)}.");
                }
            }
        }
        return null;
    }

    private static List<string>? FindPath(List<(int I, string From, string To)> edges, string at, string goal, List<string> path)
    {
        if (string.Equals(at, goal, StringComparison.OrdinalIgnoreCase))
        {
            return path;
        }
        foreach (var edge in edges.Where(e => string.Equals(e.From, at, StringComparison.OrdinalIgnoreCase)))
        {
            if (path.Skip(1).Contains(edge.To, StringComparer.OrdinalIgnoreCase) && !string.Equals(edge.To, goal, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            if (FindPath(edges, edge.To, goal, [.. path, edge.To]) is { } found)
            {
                return found;
            }
        }
        return null;
    }

    private static IEnumerable<string> Sources(WorkflowDefinition d, TransitionDefinition t) =>
        t.From.Contains(WorkflowEngine.AnyStatus) ? d.Statuses.Select(s => s.Name) : t.From;

    private static IEnumerable<string> Targets(TransitionDefinition t, string from) =>
        t.Branches.Select(b => b.To).Append(t.To ?? from);

    private static IEnumerable<(string, string)> TrackerProblems(WorkflowDefinition d, IReadOnlyList<string> trackers, string path) =>
        trackers.Select((t, i) => (t, i))
            .Where(x => !d.Trackers.Contains(x.t, StringComparer.OrdinalIgnoreCase))
            .Select(x => ($"{path}[{x.i}]", $"unknown tracker '{x.t}'; known: {string.Join(", ", d.Trackers)}."));

    private static IEnumerable<(string, string)> RoleProblems(WorkflowDefinition d, IReadOnlyList<string> roles, string path) =>
        roles.Select((r, i) => (r, i))
            .Where(x => !IsKnownRole(d, x.r))
            .Select(x => ($"{path}[{x.i}]", UnknownRole(d, x.r)));

    private static IEnumerable<(string, string)> TransitionProblems(WorkflowDefinition d, TransitionDefinition t, string path)
    {
        if (t.From.Count == 0)
        {
            yield return ($"{path}.from", "a transition needs at least one status to start from.");
        }
        for (var i = 0; i < t.From.Count; i++)
        {
            if (t.From[i] != WorkflowEngine.AnyStatus && d.FindStatus(t.From[i]) is null)
            {
                yield return ($"{path}.from[{i}]", UnknownStatus(d, t.From[i]));
            }
        }
        if (t.To is not null && d.FindStatus(t.To) is null)
        {
            yield return ($"{path}.to", UnknownStatus(d, t.To));
        }
        if (t.Roles.Count == 0 && !t.Automatic)
        {
            yield return ($"{path}.roles", "a transition people take needs at least one role.");
        }
        foreach (var problem in RoleProblems(d, t.Roles, $"{path}.roles"))
        {
            yield return problem;
        }
        if (t.Requires.WithinWipLimit && d.WipLimit is null)
        {
            yield return ($"{path}.requires.withinWipLimit", "the workflow sets no wipLimit to stay within.");
        }
        foreach (var (list, at) in new[] { (t.Requires.Fields, $"{path}.requires.fields"), (t.Offers, $"{path}.offers") })
        {
            for (var i = 0; i < list.Count; i++)
            {
                if (d.FindField(list[i]) is null)
                {
                    yield return ($"{at}[{i}]", $"unknown field '{list[i]}'; declare it under $.fields.");
                }
            }
        }
        foreach (var problem in TrackerProblems(d, t.Trackers, $"{path}.trackers"))
        {
            yield return problem;
        }
        for (var i = 0; i < t.Branches.Count; i++)
        {
            var branch = t.Branches[i];
            if (d.FindField(branch.When.Field) is null)
            {
                yield return ($"{path}.branches[{i}].when.field", $"unknown field '{branch.When.Field}'; declare it under $.fields.");
            }
            if (d.FindStatus(branch.To) is null)
            {
                yield return ($"{path}.branches[{i}].to", UnknownStatus(d, branch.To));
            }
            foreach (var problem in EffectProblems(d, branch.Effects, $"{path}.branches[{i}].effects"))
            {
                yield return problem;
            }
        }
        foreach (var problem in EffectProblems(d, t.Effects, $"{path}.effects"))
        {
            yield return problem;
        }
        var assigned = t.Effects.Concat(t.Branches.SelectMany(b => b.Effects))
            .Where(e => e is { Kind: EffectKind.Assign, Assign: AssignTarget.Field } || e is { Kind: EffectKind.Assign, Assign: AssignTarget.Group, Field: not null })
            .Select(e => e.Field!)
            .FirstOrDefault(f => !t.Requires.Fields.Concat(t.Offers).Contains(f, StringComparer.OrdinalIgnoreCase));
        if (assigned is not null)
        {
            yield return ($"{path}.effects", $"the effect assigns from field '{assigned}', which the transition neither requires nor offers.");
        }
    }

    private static IEnumerable<(string, string)> EffectProblems(WorkflowDefinition d, IReadOnlyList<EffectDefinition> effects, string path)
    {
        for (var i = 0; i < effects.Count; i++)
        {
            var e = effects[i];
            var at = $"{path}[{i}]";
            var problem = e.Kind switch
            {
                EffectKind.Assign when e.Assign is null => "an assign effect needs 'assign' (role, group, self, reporter or none).",
                EffectKind.Assign when e.Assign is AssignTarget.Role && !IsKnownRole(d, e.Target ?? "") => UnknownRole(d, e.Target ?? ""),
                EffectKind.Assign when e.Assign is AssignTarget.Group && string.IsNullOrWhiteSpace(e.Target) && string.IsNullOrWhiteSpace(e.Field) =>
                    "assigning to a group needs the group name in 'target' or the field holding it in 'field'.",
                EffectKind.Assign when e.Assign is AssignTarget.Field && d.FindField(e.Field ?? "")?.Type != FieldType.User =>
                    $"assigning from a field needs 'field' naming a declared field of type user, not '{e.Field}'.",
                EffectKind.AddLabel when string.IsNullOrWhiteSpace(e.Value) => "adding a label needs the label in 'value'.",
                EffectKind.ExtendSla when d.Sla?.Policies.Any(p => p.Name == e.Target) != true =>
                    $"extending needs 'target' naming an SLA of this workflow, not '{e.Target}'.",
                EffectKind.ExtendSla when d.FindField(e.Field ?? "")?.Type != FieldType.Number => "extending needs 'field' naming a declared number field (working hours).",
                EffectKind.AddLink or EffectKind.CopyToProject when e.LinkType is not null && !IsLinkType(e.LinkType) => UnknownLinkType(e.LinkType),
                EffectKind.AddChecklistItem when string.IsNullOrWhiteSpace(e.Text) => "a checklist item needs 'text'.",
                EffectKind.SetField when string.IsNullOrWhiteSpace(e.Field) || e.Value is null => "setting a field needs 'field' and 'value'.",
                EffectKind.AddLink when string.IsNullOrWhiteSpace(e.LinkType) || string.IsNullOrWhiteSpace(e.Field) =>
                    "adding a link needs 'linkType' and the 'field' holding the ticket number.",
                EffectKind.CopyToProject when string.IsNullOrWhiteSpace(e.Project) => "copying needs the target 'project'.",
                EffectKind.CopyToProject when e.TrackerMap.Keys.FirstOrDefault(k => !d.Trackers.Contains(k)) is { } tracker =>
                    $"tracker map names unknown tracker '{tracker}'; known: {string.Join(", ", d.Trackers)}.",
                _ => null,
            };
            if (problem is not null)
            {
                yield return (at, problem);
            }
        }
    }

    private static IEnumerable<(string, string)> AutomationProblems(WorkflowDefinition d, AutomationDefinition a, string path)
    {
        if (d.FindTransition(a.Transition) is null)
        {
            yield return ($"{path}.transition", $"unknown transition '{a.Transition}'.");
        }
        var problem = a.On switch
        {
            AutomationTrigger.TimeInStatus when a.Status is null || d.FindStatus(a.Status) is null =>
                ($"{path}.status", UnknownStatus(d, a.Status ?? "")),
            AutomationTrigger.TimeInStatus when a.Days <= 0 => ($"{path}.days", "days must be at least 1."),
            AutomationTrigger.LinkedTicketDone when string.IsNullOrWhiteSpace(a.LinkType) => ($"{path}.linkType", "the link type to follow is required."),
            AutomationTrigger.LinkedTicketDone when !IsLinkType(a.LinkType!) => ($"{path}.linkType", UnknownLinkType(a.LinkType!)),
            AutomationTrigger.External when string.IsNullOrWhiteSpace(a.Trigger) => ($"{path}.trigger", "the trigger name is required."),
            _ => ((string, string)?)null,
        };
        if (problem is not null)
        {
            yield return problem.Value;
        }
        foreach (var (field, value) in a.FromCommit)
        {
            if (d.FindField(field) is null)
            {
                yield return ($"{path}.fromCommit.{field}", $"unknown field '{field}'.");
            }
            if (!AutomationDefinition.CommitValues.Contains(value))
            {
                yield return ($"{path}.fromCommit.{field}", $"'{value}' is not something a commit gives; use one of {string.Join(", ", AutomationDefinition.CommitValues)}.");
            }
        }
    }

    private static IEnumerable<(string Value, int Index)> Duplicates(IEnumerable<string> values)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var index = 0;
        foreach (var value in values)
        {
            if (!seen.Add(value))
            {
                yield return (value, index);
            }
            index++;
        }
    }

    private static bool IsLinkType(string name) =>
        Enum.GetValues<Tickets.LinkType>().Any(t => string.Equals(Tickets.LinkTypes.ToApiName(t), name, StringComparison.OrdinalIgnoreCase));

    private static string UnknownLinkType(string name) =>
        $"unknown link type '{name}'; use one of {string.Join(", ", Enum.GetValues<Tickets.LinkType>().Select(Tickets.LinkTypes.ToApiName))}.";

    private static bool IsKnownRole(WorkflowDefinition d, string role) =>
        WorkflowEngine.RelativeRoles.Contains(role) || d.Roles.Contains(role, StringComparer.OrdinalIgnoreCase);

    private static string UnknownStatus(WorkflowDefinition d, string status) =>
        $"unknown status '{status}'; known: {string.Join(", ", d.Statuses.Select(s => s.Name))}.";

    private static string UnknownRole(WorkflowDefinition d, string role) =>
        $"unknown role '{role}'; known: {string.Join(", ", d.Roles)}, reporter, assignee.";
}
