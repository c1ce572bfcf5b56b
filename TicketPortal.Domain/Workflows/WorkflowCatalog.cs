using TicketPortal.Domain.Tickets;

namespace TicketPortal.Domain.Workflows;

/// <summary>The workflow presets loaded at start; a project names the one it runs.</summary>
public sealed class WorkflowCatalog(IReadOnlyDictionary<string, WorkflowDefinition> presets)
{
    public IReadOnlyDictionary<string, WorkflowDefinition> Presets { get; } = presets;

    public WorkflowDefinition For(Project project) =>
        Presets.TryGetValue(project.Preset, out var workflow)
            ? workflow
            : throw new InvalidOperationException($"Project {project.Key} uses preset '{project.Preset}', which is not loaded.");
}
