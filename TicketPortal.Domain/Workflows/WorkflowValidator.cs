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
        for (var i = 0; i < d.CreateRoles.Count; i++)
        {
            if (!IsKnownRole(d, d.CreateRoles[i]))
            {
                yield return ($"$.createRoles[{i}]", UnknownRole(d, d.CreateRoles[i]));
            }
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
    }

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
        for (var i = 0; i < t.Roles.Count; i++)
        {
            if (!IsKnownRole(d, t.Roles[i]))
            {
                yield return ($"{path}.roles[{i}]", UnknownRole(d, t.Roles[i]));
            }
        }
        for (var i = 0; i < t.Requires.Fields.Count; i++)
        {
            if (d.FindField(t.Requires.Fields[i]) is null)
            {
                yield return ($"{path}.requires.fields[{i}]", $"unknown field '{t.Requires.Fields[i]}'; declare it under $.fields.");
            }
        }
        for (var i = 0; i < t.Trackers.Count; i++)
        {
            if (!d.Trackers.Contains(t.Trackers[i], StringComparer.OrdinalIgnoreCase))
            {
                yield return ($"{path}.trackers[{i}]", $"unknown tracker '{t.Trackers[i]}'; known: {string.Join(", ", d.Trackers)}.");
            }
        }
        for (var i = 0; i < t.Branches.Count; i++)
        {
            var branch = t.Branches[i];
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
                EffectKind.Assign when e.Assign is AssignTarget.Group && string.IsNullOrWhiteSpace(e.Target) => "assigning to a group needs the group name in 'target'.",
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
            AutomationTrigger.External when string.IsNullOrWhiteSpace(a.Trigger) => ($"{path}.trigger", "the trigger name is required."),
            _ => ((string, string)?)null,
        };
        if (problem is not null)
        {
            yield return problem.Value;
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

    private static bool IsKnownRole(WorkflowDefinition d, string role) =>
        WorkflowEngine.RelativeRoles.Contains(role) || d.Roles.Contains(role, StringComparer.OrdinalIgnoreCase);

    private static string UnknownStatus(WorkflowDefinition d, string status) =>
        $"unknown status '{status}'; known: {string.Join(", ", d.Statuses.Select(s => s.Name))}.";

    private static string UnknownRole(WorkflowDefinition d, string role) =>
        $"unknown role '{role}'; known: {string.Join(", ", d.Roles)}, reporter, assignee.";
}
