namespace TicketPortal.Domain.Tickets;

/// <summary>A project (key like SUP) running one workflow preset over its trackers.</summary>
public sealed class Project
{
    public int Id { get; private set; }
    public string Key { get; private set; } = "";
    public string Name { get; private set; } = "";
    public string Preset { get; private set; } = "";
    public List<string> Trackers { get; private set; } = [];

    private Project()
    {
    }

    public Project(string key, string name, string preset, IEnumerable<string> trackers)
    {
        if (!IsValidKey(key))
        {
            throw DomainException.Invalid($"Project key '{key}' must be 2-10 capital letters.");
        }
        Key = key;
        Name = name;
        Preset = preset;
        Trackers = [.. trackers];
    }

    public static bool IsValidKey(string key) => key.Length is >= 2 and <= 10 && key.All(char.IsAsciiLetterUpper);

    public string? FindTracker(string name) => Trackers.FirstOrDefault(t => string.Equals(t, name, StringComparison.OrdinalIgnoreCase));
}
