namespace TicketPortal.Domain.Git;

/// <summary>Portal-wide git settings (<c>Portal:Git</c>), and the repositories named in configuration (<c>Portal:Repositories</c>).</summary>
public sealed class GitSettings
{
    /// <summary>How often repositories without webhooks are scanned.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A commit that reverts one which closed tickets fires their "reopen" trigger (otherwise the revert is only noted).</summary>
    public bool RevertReopens { get; set; }

    /// <summary>The portal's public address: full ticket links in commit messages start with it.</summary>
    public string? PortalUrl { get; set; }

    /// <summary>Where remotes are fetched to (one folder per repository name).</summary>
    public string FetchDirectory { get; set; } = "git";

    public List<string> ClosingKeywords { get; set; } = [];
    public List<string> ReopeningKeywords { get; set; } = [];
    public List<string> ReferencingKeywords { get; set; } = [];

    /// <summary>The configured repositories; credentials for remotes stay here and are never stored in the database.</summary>
    public List<ConfiguredRepository> Repositories { get; set; } = [];

    public ReferenceKeywords Keywords() => new(
        ClosingKeywords.Count > 0 ? ClosingKeywords : ReferenceKeywords.Default.Closing,
        ReopeningKeywords.Count > 0 ? ReopeningKeywords : ReferenceKeywords.Default.Reopening,
        ReferencingKeywords.Count > 0 ? ReferencingKeywords : ReferenceKeywords.Default.Referencing,
        ReferenceKeywords.Default.HoursPerDay);

    public GitCredentials? CredentialsFor(string name) =>
        Repositories.FirstOrDefault(r => r.Name == name) is { Username: { Length: > 0 } user } repository ? new GitCredentials(user, repository.Password ?? "") : null;
}

/// <summary>One <c>Portal:Repositories:N</c> entry.</summary>
public sealed class ConfiguredRepository
{
    public string Name { get; set; } = "";
    public string Path { get; set; } = "";
    public string Branch { get; set; } = "main";
    public string? CommitUrl { get; set; }
    public string? Remote { get; set; }
    public string? Secret { get; set; }
    public string? Username { get; set; }
    public string? Password { get; set; }
    public List<string> ClosingBranches { get; set; } = [];

    public RepositorySettings ToSettings() => new(Name, Path, Branch, CommitUrl, Remote, Secret, ClosingBranches);
}
