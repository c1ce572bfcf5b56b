namespace TicketPortal.Domain.Git;

/// <summary>
/// The words a portal accepts before ticket references in commit messages, and how long a working day (<c>@1d</c>) is.
/// Words are letters and single spaces (<c>part of</c>), matched case-insensitively on word boundaries.
/// </summary>
public sealed class ReferenceKeywords
{
    public ReferenceKeywords(IEnumerable<string> closing, IEnumerable<string> reopening, IEnumerable<string> referencing, int hoursPerDay = 8)
    {
        Closing = Words(closing);
        Reopening = Words(reopening);
        Referencing = Words(referencing);
        if (Closing.Concat(Reopening).Concat(Referencing).CountBy(w => w).FirstOrDefault(w => w.Value > 1) is { Key: { } twice })
        {
            throw DomainException.Invalid($"Keyword '{twice}' is in more than one set; it cannot both close, reopen and refer.");
        }
        if (hoursPerDay is < 1 or > 24)
        {
            throw DomainException.Invalid($"A working day of {hoursPerDay} hours is not between 1 and 24.");
        }
        HoursPerDay = hoursPerDay;
    }

    /// <summary>
    /// GitHub, GitLab, Gitea and Redmine together: their closing verbs plus <c>reopening</c>, and their referencing words
    /// plus <c>ref</c>, <c>addresses</c> and <c>relates to</c>.
    /// </summary>
    public static ReferenceKeywords Default { get; } = new(
        [
            "close", "closes", "closed", "closing", "fix", "fixes", "fixed", "fixing",
            "resolve", "resolves", "resolved", "resolving", "implement", "implements", "implemented", "implementing",
        ],
        ["reopen", "reopens", "reopened", "reopening"],
        ["refs", "ref", "references", "see", "re", "part of", "addresses", "relates to"]);

    public IReadOnlySet<string> Closing { get; }
    public IReadOnlySet<string> Reopening { get; }
    public IReadOnlySet<string> Referencing { get; }
    public int HoursPerDay { get; }

    private static HashSet<string> Words(IEnumerable<string> words) => [.. words.Select(Word)];

    private static string Word(string word)
    {
        var normal = string.Join(' ', word.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant();
        return normal.Length > 0 && normal.All(c => char.IsLetter(c) || c == ' ')
            ? normal
            : throw DomainException.Invalid($"Keyword '{word}' must be letters, words separated by spaces.");
    }
}
