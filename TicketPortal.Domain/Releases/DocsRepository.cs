using LibGit2Sharp;
using TicketPortal.Domain.Git;

namespace TicketPortal.Domain.Releases;

/// <summary><c>Portal:Docs</c>: where the GitBook space lives and where it is pushed.</summary>
public sealed class DocsSettings
{
    public string Path { get; set; } = "";
    public string? Remote { get; set; }
    public string Branch { get; set; } = "main";
    public string? Username { get; set; }
    public string? Password { get; set; }

    /// <summary>A link to a docs commit, with <c>{sha}</c> for its hash (e.g. https://github.com/acme/docs/commit/{sha}).</summary>
    public string? CommitUrl { get; set; }

    public string Title { get; set; } = "Release notes";

    /// <summary>The portal's public address: ticket links in the notes start with it.</summary>
    public string PortalUrl { get; set; } = "http://localhost:5080";

    /// <summary>The public release notes, or one version's page.</summary>
    public string PageUrl(string? version = null) => $"{PortalUrl.TrimEnd('/')}/release-notes{(version is null ? "" : "/" + version)}";

    public string TicketUrl(int number) => $"{PortalUrl.TrimEnd('/')}/tickets/{number}";
}

/// <summary>A release page to commit: where it goes, what it says and who publishes it.</summary>
public sealed record DocsPublication(string Project, string ProjectName, SemanticVersion Version, DateOnly GoLiveDate, string Markdown, string AuthorName, string AuthorEmail, DateTimeOffset At);

/// <summary>What publishing did: the commit, new or the one an interrupted publish of the same page had already made.</summary>
public sealed record DocsCommit(string Sha, bool Created);

/// <summary>A release page as committed: its version, what its front matter and title say, and its text.</summary>
public sealed record DocsPage(SemanticVersion Version, ReleasePageFacts Facts, string Markdown);

/// <summary>
/// The GitBook docs repository, through LibGit2Sharp. A publish writes the page, SUMMARY.md and README.md, commits,
/// tags and pushes, one at a time. A marker inside .git names the release being written, so a publish cut off before
/// its tag is undone on the next one, and one cut off after its tag is taken as done. Readers see only commits.
/// </summary>
public sealed class DocsRepository(DocsSettings settings, TimeProvider clock)
{
    private const string MarkerName = "ticketportal-publishing";
    private static readonly SemaphoreSlim Writing = new(1, 1);

    /// <summary>Called after the files are written and before the commit; tests use it to cut a publish off there.</summary>
    internal Action? AfterWrite { get; set; }

    public static string TagName(SemanticVersion version) => $"v{version}";

    public static string Trailer(string project, SemanticVersion version) => $"{GitScanner.ReleaseTrailer} {project} {version}";

    public string? CommitLink(string? sha) => sha is null || settings.CommitUrl is null ? null : settings.CommitUrl.Replace("{sha}", sha, StringComparison.Ordinal);

    /// <summary>Problems that stop a publish (not a repository, uncommitted changes, the tag taken by another release), or none.</summary>
    public IReadOnlyList<string> Check(string project, SemanticVersion version)
    {
        if (!Directory.Exists(settings.Path) || !Directory.EnumerateFileSystemEntries(settings.Path).Any())
        {
            return [];
        }
        if (!Repository.IsValid(settings.Path))
        {
            return [NotARepository()];
        }
        using var repo = new Repository(settings.Path);
        return Problems(repo, project, version);
    }

    private List<string> Problems(Repository repo, string project, SemanticVersion version)
    {
        var problems = new List<string>();
        if (!File.Exists(MarkerPath(repo)) && Dirty(repo) is { Count: > 0 } dirty)
        {
            problems.Add($"docs: {settings.Path} has uncommitted changes ({string.Join(", ", dirty.Take(5))}); commit or discard them first.");
        }
        if (repo.Tags[TagName(version)] is { } tag && !IsOurs(tag, project, version))
        {
            problems.Add($"docs: tag {TagName(version)} already exists in {settings.Path} and was not made by this release.");
        }
        return problems;
    }

    /// <summary>Commits the release page; safe to call again for the same release, which then returns the same commit.</summary>
    public async Task<DocsCommit> PublishAsync(DocsPublication publication, CancellationToken ct)
    {
        await Writing.WaitAsync(ct);
        try
        {
            return Publish(publication);
        }
        finally
        {
            Writing.Release();
        }
    }

    /// <summary>Every release page in the last commit, newest version first.</summary>
    public IReadOnlyList<DocsPage> Pages()
    {
        if (!Repository.IsValid(settings.Path))
        {
            return [];
        }
        using var repo = new Repository(settings.Path);
        if (repo.Head.Tip?[DocsSpace.ReleasesFolder]?.Target is not Tree folder)
        {
            return [];
        }
        return folder.Where(e => e.TargetType == TreeEntryTargetType.Blob)
            .Select(e => (Version: DocsSpace.VersionOfPage(e.Name), Entry: e))
            .Where(p => p.Version is not null)
            .Select(p => new DocsPage(p.Version!, ReleasePageFacts.Read(((Blob)p.Entry.Target).GetContentText()), ((Blob)p.Entry.Target).GetContentText()))
            .OrderByDescending(p => p.Version)
            .ToList();
    }

    /// <summary>The id of the last commit, which changes whenever the pages may have.</summary>
    public string? Head()
    {
        if (!Repository.IsValid(settings.Path))
        {
            return null;
        }
        using var repo = new Repository(settings.Path);
        return repo.Head.Tip?.Sha;
    }

    private DocsCommit Publish(DocsPublication publication)
    {
        using var repo = Open();
        Recover(repo);
        var problems = Problems(repo, publication.Project, publication.Version);
        if (problems.Count > 0)
        {
            throw new DomainException(DomainErrorKind.Conflict, problems[0], problems);
        }
        if (repo.Tags[TagName(publication.Version)] is { PeeledTarget: Commit done })
        {
            // An earlier publish of this release got as far as its tag: the same page is taken as done, another is refused.
            return (done[DocsSpace.PagePath(publication.Version)]?.Target as Blob)?.GetContentText() == publication.Markdown
                ? new DocsCommit(done.Sha, false)
                : throw new DomainException(DomainErrorKind.Conflict,
                    $"docs: {TagName(publication.Version)} in {settings.Path} holds other notes than this draft (it changed after an interrupted publish); remove the tag or publish another version.");
        }
        File.WriteAllText(MarkerPath(repo), publication.Version.ToString());
        var page = DocsSpace.PagePath(publication.Version);
        Write(repo, page, publication.Markdown);
        Write(repo, DocsSpace.Summary, DocsSpace.WithRelease(Read(repo, DocsSpace.Summary), publication.Version));
        Write(repo, DocsSpace.Readme, DocsSpace.WithLatest(Read(repo, DocsSpace.Readme), publication.Version, publication.ProjectName, publication.GoLiveDate));
        AfterWrite?.Invoke();
        Commands.Stage(repo, [page, DocsSpace.Summary, DocsSpace.Readme]);
        var author = new Signature(publication.AuthorName, publication.AuthorEmail, publication.At);
        var commit = repo.Commit($"Release {publication.Version}\n\n{Trailer(publication.Project, publication.Version)}\n", author, author);
        repo.ApplyTag(TagName(publication.Version));
        File.Delete(MarkerPath(repo));
        return new DocsCommit(commit.Sha, true);
    }

    private string NotARepository() =>
        $"docs: {settings.Path} is not a git repository (Portal__Docs__Path); point it at a repository or at an empty folder.";

    /// <summary>Pushes the branch and every release tag to <c>Portal:Docs:Remote</c>; returns why it failed, or null.</summary>
    public async Task<string?> PushAsync(CancellationToken ct)
    {
        await Writing.WaitAsync(ct);
        try
        {
            using var repo = Open();
            return Push(repo);
        }
        finally
        {
            Writing.Release();
        }
    }

    /// <summary>
    /// Takes back a release commit this portal just made (its tag, and the commit while it is still the tip), when the
    /// rest of the publish failed: the space then holds nothing of it, as if the publish never started.
    /// </summary>
    public async Task UndoAsync(SemanticVersion version, string sha)
    {
        await Writing.WaitAsync(CancellationToken.None);
        try
        {
            using var repo = Open();
            if (repo.Tags[TagName(version)] is { } tag && tag.Target.Sha == sha)
            {
                repo.Tags.Remove(tag);
            }
            if (repo.Head.Tip.Sha == sha && repo.Head.Tip.Parents.FirstOrDefault() is { } parent)
            {
                repo.Reset(ResetMode.Hard, parent);
            }
        }
        finally
        {
            Writing.Release();
        }
    }

    /// <summary>Opens the space, making it first: a repository on the configured branch with README, SUMMARY and .gitbook.yaml.</summary>
    private Repository Open()
    {
        if (Directory.Exists(settings.Path) && Directory.EnumerateFileSystemEntries(settings.Path).Any())
        {
            return Repository.IsValid(settings.Path)
                ? new Repository(settings.Path)
                : throw new DomainException(DomainErrorKind.Conflict, NotARepository());
        }
        Directory.CreateDirectory(settings.Path);
        Repository.Init(settings.Path);
        File.WriteAllText(System.IO.Path.Combine(settings.Path, ".git", "HEAD"), $"ref: refs/heads/{settings.Branch}\n");
        var repo = new Repository(settings.Path);
        foreach (var (name, text) in DocsSpace.InitialFiles(settings.Title))
        {
            Write(repo, name, text);
        }
        Commands.Stage(repo, [.. DocsSpace.InitialFiles(settings.Title).Keys]);
        var portal = new Signature("TicketPortal", "ticketportal@localhost", clock.GetUtcNow());
        repo.Commit("Start the release notes space", portal, portal);
        return repo;
    }

    /// <summary>An earlier publish stopped midway, before its tag: its commit (if it got that far) and its files are undone.</summary>
    private static void Recover(Repository repo)
    {
        var marker = MarkerPath(repo);
        if (!File.Exists(marker))
        {
            return;
        }
        if (SemanticVersion.TryParse(File.ReadAllText(marker), out var version) && repo.Tags[TagName(version)] is null)
        {
            // Cut off between commit and tag: the untagged release commit goes too, or the publish would find nothing to commit.
            var tip = repo.Head.Tip;
            var untagged = tip.MessageShort == $"Release {version}" && tip.Message.Contains(GitScanner.ReleaseTrailer, StringComparison.Ordinal);
            repo.Reset(ResetMode.Hard, untagged && tip.Parents.FirstOrDefault() is { } parent ? parent : tip);
            var page = System.IO.Path.Combine(repo.Info.WorkingDirectory, DocsSpace.PagePath(version));
            if (File.Exists(page) && repo.Head.Tip[DocsSpace.PagePath(version)] is null)
            {
                File.Delete(page);
            }
        }
        File.Delete(marker);
    }

    private string? Push(Repository repo)
    {
        if (string.IsNullOrWhiteSpace(settings.Remote))
        {
            return null;
        }
        try
        {
            var remote = repo.Network.Remotes["origin"] ?? repo.Network.Remotes.Add("origin", settings.Remote);
            if (remote.Url != settings.Remote)
            {
                repo.Network.Remotes.Update("origin", r => r.Url = settings.Remote);
            }
            var options = new PushOptions();
            if (!string.IsNullOrEmpty(settings.Username))
            {
                options.CredentialsProvider = (_, _, _) => new UsernamePasswordCredentials { Username = settings.Username, Password = settings.Password ?? "" };
            }
            var tags = repo.Tags.Where(t => t.FriendlyName.StartsWith('v')).Select(t => $"{t.CanonicalName}:{t.CanonicalName}");
            repo.Network.Push(repo.Network.Remotes["origin"], [$"refs/heads/{settings.Branch}:refs/heads/{settings.Branch}", .. tags], options);
            return null;
        }
        catch (LibGit2SharpException e)
        {
            return $"Pushing to {settings.Remote} failed: {e.Message} The release is committed locally and is pushed with the next publish.";
        }
    }

    private static bool IsOurs(Tag tag, string project, SemanticVersion version) =>
        tag.PeeledTarget is Commit commit && commit.Message.Contains(Trailer(project, version), StringComparison.Ordinal);

    private static List<string> Dirty(Repository repo) =>
        [.. repo.RetrieveStatus(new StatusOptions { IncludeUntracked = true, RecurseUntrackedDirs = true }).Where(e => e.State != FileStatus.Ignored).Select(e => e.FilePath)];

    private static string MarkerPath(Repository repo) => System.IO.Path.Combine(repo.Info.Path, MarkerName);

    private static string Read(Repository repo, string name)
    {
        var path = System.IO.Path.Combine(repo.Info.WorkingDirectory, name);
        return File.Exists(path) ? File.ReadAllText(path) : "";
    }

    private static void Write(Repository repo, string name, string text)
    {
        var path = System.IO.Path.Combine(repo.Info.WorkingDirectory, name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}
