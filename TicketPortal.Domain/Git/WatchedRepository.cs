using System.Text.RegularExpressions;

namespace TicketPortal.Domain.Git;

/// <summary>A git repository the portal reads commits from: a local clone, or a remote it fetches into its data directory.</summary>
public sealed partial class WatchedRepository
{
    public int Id { get; private set; }
    public string Name { get; private set; } = "";
    /// <summary>The repository on disk: the local clone, or where the remote is fetched to.</summary>
    public string Path { get; private set; } = "";
    public string? Remote { get; private set; }
    public string Branch { get; private set; } = "";
    /// <summary>The web address of a commit, with <c>{sha}</c> for the hash (the hash is appended when it is missing).</summary>
    public string? CommitUrl { get; private set; }
    public string? WebhookSecret { get; private set; }
    /// <summary>Branch patterns (<c>*</c> matches within a name) whose commits may close tickets.</summary>
    public List<string> ClosingBranches { get; private set; } = [];
    /// <summary>The tip of every watched branch at the last scan: the next scan walks only what is new since.</summary>
    public Dictionary<string, string> Tips { get; private set; } = [];
    /// <summary>False until the first scan has linked the existing history (which is never acted on).</summary>
    public bool Imported { get; private set; }
    public DateTimeOffset? LastScanAt { get; private set; }
    public string? LastError { get; private set; }
    public int Commits { get; private set; }
    public int References { get; private set; }
    public int Applied { get; private set; }

    private WatchedRepository()
    {
    }

    public WatchedRepository(RepositorySettings settings) => Update(settings);

    public void Update(RepositorySettings settings)
    {
        var problems = settings.Problems();
        if (problems.Count > 0)
        {
            throw new DomainException(DomainErrorKind.Invalid, string.Join(" ", problems), problems);
        }
        if (Imported && (settings.Path != Path || settings.Remote != Remote))
        {
            // Another repository: its history is imported afresh, never acted on.
            (Imported, Tips) = (false, []);
        }
        Name = settings.Name;
        Path = settings.Path;
        Remote = string.IsNullOrWhiteSpace(settings.Remote) ? null : settings.Remote;
        Branch = settings.Branch;
        CommitUrl = string.IsNullOrWhiteSpace(settings.CommitUrl) ? null : settings.CommitUrl;
        WebhookSecret = string.IsNullOrEmpty(settings.WebhookSecret) ? null : settings.WebhookSecret;
        ClosingBranches = settings.ClosingBranches is { Count: > 0 } closing ? [.. closing] : [settings.Branch, "release/*"];
    }

    public string? LinkTo(string sha) =>
        CommitUrl is null ? null : CommitUrl.Contains("{sha}", StringComparison.Ordinal) ? CommitUrl.Replace("{sha}", sha, StringComparison.Ordinal) : CommitUrl.TrimEnd('/') + "/" + sha;

    public bool IsClosing(string branch) =>
        ClosingBranches.Any(pattern => Regex.IsMatch(branch, "^" + Regex.Escape(pattern).Replace(@"\*", "[^/]*", StringComparison.Ordinal) + "$", RegexOptions.CultureInvariant));

    public void RecordScan(DateTimeOffset at, IReadOnlyDictionary<string, string> tips, int commits, int references, int applied)
    {
        (LastScanAt, LastError, Imported, Tips) = (at, null, true, new Dictionary<string, string>(tips));
        Commits += commits;
        References += references;
        Applied += applied;
    }

    public void RecordError(DateTimeOffset at, string error) => (LastScanAt, LastError) = (at, error.Length > 2000 ? error[..2000] : error);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    internal static partial Regex NamePattern();
}

/// <summary>What an admin (or the configuration) says about a repository; checked before anything is stored.</summary>
public sealed record RepositorySettings(
    string Name, string Path, string Branch, string? CommitUrl = null, string? Remote = null, string? WebhookSecret = null,
    IReadOnlyList<string>? ClosingBranches = null)
{
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (!WatchedRepository.NamePattern().IsMatch(Name ?? ""))
        {
            problems.Add($"name: '{Name}' must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit.");
        }
        if (string.IsNullOrWhiteSpace(Path))
        {
            problems.Add("path: give the folder of the repository (or where the remote is fetched to).");
        }
        if (string.IsNullOrWhiteSpace(Branch) || Branch.Any(char.IsWhiteSpace))
        {
            problems.Add("branch: give the watched branch, e.g. main.");
        }
        if (!string.IsNullOrWhiteSpace(CommitUrl) && !(Uri.TryCreate(CommitUrl.Replace("{sha}", "0", StringComparison.Ordinal), UriKind.Absolute, out var url) && url.Scheme is "http" or "https"))
        {
            problems.Add($"commitUrl: '{CommitUrl}' is not an http(s) address.");
        }
        if (ClosingBranches?.Any(string.IsNullOrWhiteSpace) == true)
        {
            problems.Add("closingBranches: a pattern is empty.");
        }
        return problems;
    }
}
