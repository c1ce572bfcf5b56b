namespace TicketPortal.Domain.Releases;

/// <summary>The Keep a Changelog categories, in the order the notes list them.</summary>
public enum ChangeCategory
{
    Added,
    Changed,
    Deprecated,
    Removed,
    Fixed,
    Security,
}

/// <summary>One ticket's line in the notes: its release-note text (already overridden where a person edited it).</summary>
public sealed record ReleaseNoteEntry(int Number, string Title, string Note, ChangeCategory Category, bool UxChange, string Url);

/// <summary>Everything the notes writer needs, as values: no database, no clock.</summary>
public sealed record ReleaseNotesInput(
    string Project,
    string ProjectName,
    SemanticVersion Version,
    string? Name,
    DateOnly GoLiveDate,
    string Intro,
    IReadOnlyList<ReleaseNoteEntry> Entries,
    IReadOnlyList<string> Contributors);

/// <summary>Which category a ticket belongs to: a label names it, else the tracker implies it, else Changed.</summary>
public static class ChangeCategories
{
    private static readonly (ChangeCategory Category, string[] Words)[] Rules =
    [
        (ChangeCategory.Security, ["security", "vulnerability", "cve"]),
        (ChangeCategory.Removed, ["removed", "removal"]),
        (ChangeCategory.Deprecated, ["deprecated", "deprecation"]),
        (ChangeCategory.Fixed, ["bug", "fix", "fixed", "defect", "incident", "problem"]),
        (ChangeCategory.Added, ["added", "idea", "feature", "feature request", "enhancement", "new"]),
        (ChangeCategory.Changed, ["changed", "change", "improvement"]),
    ];

    /// <summary>Labels first (the strongest rule wins), then the tracker; a ticket lands in exactly one category.</summary>
    public static ChangeCategory Of(IEnumerable<string> labels, string tracker) =>
        Match(labels.Select(l => l.Trim().ToLowerInvariant()).ToHashSet())
            ?? Match(new HashSet<string> { tracker.Trim().ToLowerInvariant() })
            ?? ChangeCategory.Changed;

    private static ChangeCategory? Match(HashSet<string> words) =>
        Rules.Where(r => r.Words.Any(words.Contains)).Select(r => (ChangeCategory?)r.Category).FirstOrDefault();
}
