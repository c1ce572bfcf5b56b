using System.Globalization;
using TicketPortal.Domain.Workflows;

namespace TicketPortal.Components.Pages.Admin;

/// <summary>Lays a workflow out for drawing: statuses in columns by distance from the start, transitions as curved arrows.</summary>
public sealed class WorkflowDiagram
{
    public const double NodeWidth = 170;
    public const double NodeHeight = 48;
    private const double ColumnGap = 110;
    private const double RowGap = 60;
    private const double Margin = 40;

    public IReadOnlyList<DiagramNode> Nodes { get; }
    public IReadOnlyList<DiagramEdge> Edges { get; }
    public double Width { get; }
    public double Height { get; }

    public WorkflowDiagram(WorkflowDefinition workflow)
    {
        var layers = Layers(workflow);
        var nodes = new List<DiagramNode>();
        foreach (var column in layers.GroupBy(l => l.Value).OrderBy(g => g.Key))
        {
            var row = 0;
            foreach (var status in workflow.Statuses.Where(s => layers[s.Name] == column.Key))
            {
                nodes.Add(new DiagramNode(status, Margin + column.Key * (NodeWidth + ColumnGap), Margin + 20 + row++ * (NodeHeight + RowGap)));
            }
        }
        Nodes = nodes;
        var byName = nodes.ToDictionary(n => n.Status.Name, StringComparer.OrdinalIgnoreCase);
        var pairs = new Dictionary<(string, string), int>();
        var edges = new List<DiagramEdge>();
        foreach (var transition in workflow.Transitions)
        {
            var sources = transition.From.Contains(WorkflowEngine.AnyStatus) ? workflow.Statuses.Select(s => s.Name) : transition.From;
            foreach (var from in sources)
            {
                foreach (var to in transition.Branches.Select(b => b.To).Append(transition.To ?? from).Distinct(StringComparer.OrdinalIgnoreCase))
                {
                    var key = (from.ToLowerInvariant(), to.ToLowerInvariant());
                    var index = pairs[key] = pairs.GetValueOrDefault(key) + 1;
                    edges.Add(new DiagramEdge(transition, byName[from], byName[to], index));
                }
            }
        }
        Edges = edges;
        Width = nodes.Max(n => n.X) + NodeWidth + Margin * 2;
        Height = nodes.Max(n => n.Y) + NodeHeight + Margin * 2;
    }

    /// <summary>Breadth-first distance from the start status; statuses it never reaches go in a last column.</summary>
    private static Dictionary<string, int> Layers(WorkflowDefinition workflow)
    {
        var layers = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase) { [workflow.StartStatus] = 0 };
        var queue = new Queue<string>([workflow.StartStatus]);
        while (queue.TryDequeue(out var status))
        {
            var next = workflow.Transitions
                .Where(t => t.From.Contains(status, StringComparer.OrdinalIgnoreCase))
                .SelectMany(t => t.Branches.Select(b => b.To).Append(t.To ?? status));
            foreach (var target in next.Where(t => !layers.ContainsKey(t)))
            {
                layers[target] = layers[status] + 1;
                queue.Enqueue(target);
            }
        }
        var last = layers.Values.Max() + 1;
        foreach (var status in workflow.Statuses.Where(s => !layers.ContainsKey(s.Name)))
        {
            layers[status.Name] = last;
        }
        return layers;
    }

    public static string Number(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}

public sealed record DiagramNode(StatusDefinition Status, double X, double Y)
{
    public double CenterX => X + WorkflowDiagram.NodeWidth / 2;
    public double CenterY => Y + WorkflowDiagram.NodeHeight / 2;
}

/// <summary>One arrow; <see cref="Index"/> counts arrows between the same two statuses so they bend apart.</summary>
public sealed record DiagramEdge(TransitionDefinition Transition, DiagramNode From, DiagramNode To, int Index)
{
    public bool IsLoop => ReferenceEquals(From, To);

    /// <summary>An SVG path: a loop above the node for actions, else a quadratic curve bent to one side.</summary>
    public string Path
    {
        get
        {
            var n = WorkflowDiagram.Number;
            if (IsLoop)
            {
                var x = From.X + 30 + (Index - 1) * 40;
                return $"M {n(x)} {n(From.Y)} C {n(x - 20)} {n(From.Y - 45)}, {n(x + 40)} {n(From.Y - 45)}, {n(x + 20)} {n(From.Y)}";
            }
            var (x1, y1) = Anchor(From, To);
            var (x2, y2) = Anchor(To, From);
            var (cx, cy) = Control(x1, y1, x2, y2);
            return $"M {n(x1)} {n(y1)} Q {n(cx)} {n(cy)} {n(x2)} {n(y2)}";
        }
    }

    public (double X, double Y) LabelAt
    {
        get
        {
            if (IsLoop)
            {
                return (From.X + 40 + (Index - 1) * 40, From.Y - 40);
            }
            var (x1, y1) = Anchor(From, To);
            var (x2, y2) = Anchor(To, From);
            var (cx, cy) = Control(x1, y1, x2, y2);
            return (0.25 * x1 + 0.5 * cx + 0.25 * x2, 0.25 * y1 + 0.5 * cy + 0.25 * y2 - 4);
        }
    }

    private (double, double) Control(double x1, double y1, double x2, double y2)
    {
        var (dx, dy) = (x2 - x1, y2 - y1);
        var length = Math.Max(1, Math.Sqrt(dx * dx + dy * dy));
        // Arrows in opposite directions bend to opposite sides; several between the same pair bend further.
        var bend = 28 * Index;
        return ((x1 + x2) / 2 - dy / length * bend, (y1 + y2) / 2 + dx / length * bend);
    }

    /// <summary>Where the line from one box towards another leaves the box's border.</summary>
    private static (double, double) Anchor(DiagramNode node, DiagramNode towards)
    {
        var (dx, dy) = (towards.CenterX - node.CenterX, towards.CenterY - node.CenterY);
        var halfW = WorkflowDiagram.NodeWidth / 2;
        var halfH = WorkflowDiagram.NodeHeight / 2;
        var scale = Math.Min(dx == 0 ? double.MaxValue : halfW / Math.Abs(dx), dy == 0 ? double.MaxValue : halfH / Math.Abs(dy));
        return (node.CenterX + dx * scale, node.CenterY + dy * scale);
    }

    /// <summary>What the hover shows: who may take the step, what it needs and what it does.</summary>
    public string Details
    {
        get
        {
            var t = Transition;
            var lines = new List<string> { $"{t.Name} ({t.Id})" };
            lines.Add(t.Automatic ? "Taken by an automation" : $"Roles: {string.Join(", ", t.Roles)}");
            if (t.Trackers.Count > 0)
            {
                lines.Add($"Trackers: {string.Join(", ", t.Trackers)}");
            }
            var needs = new List<string>();
            if (t.Requires.Comment)
            {
                needs.Add("a comment");
            }
            needs.AddRange(t.Requires.Fields.Select(f => $"field {f}"));
            if (t.Requires.LabelFrom.Count > 0)
            {
                needs.Add($"a label from {string.Join("/", t.Requires.LabelFrom)}");
            }
            if (t.Requires.ChecklistComplete)
            {
                needs.Add("a complete checklist");
            }
            if (t.Requires.ActorNotAssignee)
            {
                needs.Add("someone other than the assignee");
            }
            if (t.Requires.WithinWipLimit)
            {
                needs.Add("a reason when over the WIP limit");
            }
            if (needs.Count > 0)
            {
                lines.Add($"Requires: {string.Join(", ", needs)}");
            }
            var effects = t.Effects.Concat(t.Branches.SelectMany(b => b.Effects)).Select(Describe).ToList();
            if (effects.Count > 0)
            {
                lines.Add($"Does: {string.Join("; ", effects)}");
            }
            lines.AddRange(t.Branches.Select(b => $"When {b.When.Field} = {b.When.EqualTo}: to {b.To}"));
            return string.Join("\n", lines);
        }
    }

    private static string Describe(EffectDefinition e) => e.Kind switch
    {
        EffectKind.Assign => $"assign to {e.Assign?.ToString().ToLowerInvariant()} {e.Target ?? e.Field}".TrimEnd(),
        EffectKind.AddChecklistItem => $"add checklist item \"{e.Text}\"",
        EffectKind.SetField => $"set {e.Field} = {e.Value}",
        EffectKind.AddLabel => $"add label {e.Value}",
        EffectKind.AddLink => $"link {e.LinkType} the ticket in {e.Field}",
        EffectKind.CopyToProject => $"copy to {e.Project} ({e.LinkType ?? "copied-to"})",
        EffectKind.ExtendSla => $"extend SLA {e.Target} by {e.Field}",
    };
}
