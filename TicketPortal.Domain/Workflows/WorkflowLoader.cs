using System.Reflection;
using System.Text.Json;

namespace TicketPortal.Domain.Workflows;

/// <summary>A workflow definition that cannot be used, with where and why.</summary>
public sealed class WorkflowDefinitionException(string file, string path, string reason)
    : Exception($"{file}: {path}: {reason}")
{
    public string File { get; } = file;
    public string JsonPath { get; } = path;
    public string Reason { get; } = reason;
}

/// <summary>Reads and validates workflow definitions; an invalid one fails with file, JSON path and reason.</summary>
public static class WorkflowLoader
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
        AllowTrailingCommas = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>The shipped presets, then every <c>*.json</c> in <paramref name="directory"/> (a file replaces the preset of its id).</summary>
    public static IReadOnlyDictionary<string, WorkflowDefinition> LoadPresets(string? directory)
    {
        var presets = new Dictionary<string, WorkflowDefinition>(LoadPresets(), StringComparer.OrdinalIgnoreCase);
        if (directory is null)
        {
            return presets;
        }
        foreach (var file in Directory.GetFiles(directory, "*.json").Order(StringComparer.Ordinal))
        {
            using var stream = File.OpenRead(file);
            var definition = Load(file, stream);
            presets[definition.Id] = definition;
        }
        return presets;
    }

    /// <summary>The presets shipped in <c>Workflows/Presets/</c>, keyed by id.</summary>
    public static IReadOnlyDictionary<string, WorkflowDefinition> LoadPresets()
    {
        var assembly = typeof(WorkflowLoader).Assembly;
        var presets = new Dictionary<string, WorkflowDefinition>(StringComparer.OrdinalIgnoreCase);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.Contains(".Workflows.Presets.", StringComparison.Ordinal)))
        {
            var file = "Workflows/Presets/" + resource[(resource.IndexOf(".Presets.", StringComparison.Ordinal) + ".Presets.".Length)..];
            using var stream = assembly.GetManifestResourceStream(resource)
                ?? throw new InvalidOperationException($"Embedded preset {resource} is missing.");
            var definition = Load(file, stream);
            presets.Add(definition.Id, definition);
        }
        return presets;
    }

    public static WorkflowDefinition Load(string file, Stream json)
    {
        WorkflowDefinition? definition;
        try
        {
            definition = JsonSerializer.Deserialize<WorkflowDefinition>(json, Options);
        }
        catch (JsonException e)
        {
            throw new WorkflowDefinitionException(file, e.Path ?? "$", FirstLine(e.Message));
        }
        if (definition is null)
        {
            throw new WorkflowDefinitionException(file, "$", "the file holds no definition.");
        }
        var problem = WorkflowValidator.FirstProblem(definition);
        if (problem is not null)
        {
            throw new WorkflowDefinitionException(file, problem.Value.Path, problem.Value.Reason);
        }
        return definition;
    }

    public static WorkflowDefinition Load(string file, string json)
    {
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json));
        return Load(file, stream);
    }

    private static string FirstLine(string message)
    {
        var end = message.IndexOf(" Path:", StringComparison.Ordinal);
        return end > 0 ? message[..end] : message;
    }
}
