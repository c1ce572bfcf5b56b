using LibGit2Sharp;

namespace TicketPortal.Domain.Git;

/// <summary>A commit that mentions tickets, as the scanner saw it on one branch.</summary>
public sealed record ScannedCommit(
    string Sha, string LogicalSha, string Branch, bool OnClosingBranch, string Author, string AuthorEmail, string Subject,
    DateTimeOffset CommittedAt, ParsedCommit Parsed, string? Tag)
{
    public string ShortSha => Sha[..Math.Min(7, Sha.Length)];
}

/// <summary>What one scan of one repository found: the commits with references, the new tips, how many commits were walked.</summary>
public sealed record ScanFindings(IReadOnlyList<ScannedCommit> Commits, IReadOnlyDictionary<string, string> Tips, int Walked, bool FirstImport);

/// <summary>Credentials for fetching a remote, from configuration only.</summary>
public sealed record GitCredentials(string Username, string Password);

/// <summary>
/// Reads new commits from a repository with LibGit2Sharp: one <see cref="Repository"/> per scan, disposed at its end.
/// Only commits new since the stored tips are walked; a tip that vanished (force-push) is left out of the exclusions,
/// and the ledger's de-duplication by hash keeps the re-walked commits from acting twice.
/// </summary>
public sealed class GitScanner
{
    /// <summary>Commits the portal wrote itself (release notes) carry this trailer and are never read as references.</summary>
    public const string ReleaseTrailer = "TicketPortal-Release:";

    public ScanFindings Scan(WatchedRepository watched, CommitReferenceGrammar grammar, GitCredentials? credentials, Action<int>? progress = null)
    {
        if (watched.Remote is not null)
        {
            Fetch(watched, credentials);
        }
        if (!Repository.IsValid(watched.Path))
        {
            throw new GitScanException($"'{watched.Path}' is not a git repository.");
        }
        using var git = new Repository(watched.Path);
        var branches = git.Branches.Where(b => !b.IsRemote && b.Tip is not null).ToDictionary(b => b.FriendlyName, b => b.Tip);
        if (!branches.ContainsKey(watched.Branch))
        {
            throw new GitScanException($"The branch '{watched.Branch}' does not exist in '{watched.Path}'.");
        }
        var tips = branches.ToDictionary(b => b.Key, b => b.Value.Sha);
        var isClosing = branches.Keys.Concat(watched.Tips.Keys).Distinct().ToDictionary(name => name, watched.IsClosing);
        // Stored tips that still resolve; one that vanished (force-push) is simply left out.
        var stored = watched.Tips.Select(t => (Closing: isClosing[t.Key], Commit: git.Lookup<Commit>(t.Value))).Where(t => t.Commit is not null).ToList();
        var storedClosing = stored.Where(t => t.Closing).Select(t => t.Commit).ToList();
        var changed = branches.Where(b => !watched.Tips.TryGetValue(b.Key, out var old) || old != b.Value.Sha).ToList();
        var closing = changed.Where(b => isClosing[b.Key]);
        var other = changed.Where(b => !isClosing[b.Key]);
        var closingTips = branches.Where(b => isClosing[b.Key]).Select(b => b.Value).ToList();

        var found = new List<ScannedCommit>();
        var walked = 0;
        var tags = new Lazy<IReadOnlyList<(string Name, Commit Commit)>>(() => Tags(git));
        // Commits newly on a closing branch may act; commits only on other branches are noted. The watched branch goes
        // first, and each branch walks only what the branches before it did not, so a commit is named with one branch.
        var order = closing.OrderBy(b => b.Key == watched.Branch ? 0 : 1).ThenBy(b => b.Key, StringComparer.Ordinal).Select(b => (Branch: b, OnClosing: true))
            .Concat(other.OrderBy(b => b.Key, StringComparer.Ordinal).Select(b => (Branch: b, OnClosing: false)));
        var walkedTips = new List<Commit>();
        foreach (var (branch, onClosing) in order)
        {
            var filter = new CommitFilter
            {
                IncludeReachableFrom = branch.Value,
                ExcludeReachableFrom = (onClosing ? storedClosing : stored.Select(t => t.Commit).Concat(closingTips)).Concat(walkedTips).ToList(),
                // Newest first, as git log walks (sorting oldest first would hold the whole history); reversed below.
                SortBy = CommitSortStrategies.Time,
            };
            walkedTips.Add(branch.Value);
            var onBranch = new List<ScannedCommit>();
            foreach (var commit in git.Commits.QueryBy(filter))
            {
                walked++;
                if (walked % 1000 == 0)
                {
                    progress?.Invoke(walked);
                }
                var message = commit.Message;
                if (message.Contains(ReleaseTrailer, StringComparison.Ordinal))
                {
                    continue;
                }
                var parsed = grammar.Parse(message);
                if (parsed.References.Count == 0 && parsed.RevertedCommit is null)
                {
                    continue;
                }
                var tag = onClosing && parsed.References.Any(r => r.Action == ReferenceAction.Close) ? FirstTagContaining(git, commit, tags.Value) : null;
                var author = commit.Author;
                var subject = message.AsSpan().TrimStart();
                subject = subject[..(subject.IndexOfAny('\r', '\n') is var end and >= 0 ? end : subject.Length)];
                onBranch.Add(new ScannedCommit(commit.Sha, parsed.CherryPickedFrom ?? commit.Sha, branch.Key, onClosing, author.Name, author.Email,
                    subject.ToString(), author.When, parsed, tag));
            }
            // Oldest first, so a later commit's word (e.g. a reopen after a close) comes last.
            onBranch.Reverse();
            found.AddRange(onBranch);
        }
        progress?.Invoke(walked);
        return new ScanFindings(found, tips, walked, !watched.Imported);
    }

    private static List<(string Name, Commit Commit)> Tags(Repository git) =>
        git.Tags.Select(t => (t.FriendlyName, Commit: t.PeeledTarget as Commit)).Where(t => t.Commit is not null)
            .Select(t => (t.FriendlyName, t.Commit!)).OrderBy(t => t.Item2.Committer.When).ThenBy(t => t.FriendlyName, StringComparer.Ordinal).ToList();

    /// <summary>The oldest tag whose history holds the commit: the first build or version that contains the fix.</summary>
    private static string? FirstTagContaining(Repository git, Commit commit, IReadOnlyList<(string Name, Commit Commit)> tags) =>
        tags.FirstOrDefault(t => t.Commit.Sha == commit.Sha || git.ObjectDatabase.FindMergeBase(commit, t.Commit)?.Sha == commit.Sha).Name;

    private static void Fetch(WatchedRepository watched, GitCredentials? credentials)
    {
        var options = new FetchOptions();
        if (credentials is not null)
        {
            options.CredentialsProvider = (_, _, _) => new UsernamePasswordCredentials { Username = credentials.Username, Password = credentials.Password };
        }
        try
        {
            if (!Repository.IsValid(watched.Path))
            {
                Directory.CreateDirectory(watched.Path);
                Repository.Init(watched.Path, isBare: true);
            }
            using var git = new Repository(watched.Path);
            var remote = git.Network.Remotes["origin"] ?? git.Network.Remotes.Add("origin", watched.Remote);
            if (remote.Url != watched.Remote)
            {
                git.Network.Remotes.Update("origin", r => r.Url = watched.Remote);
            }
            Commands.Fetch(git, "origin", ["+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"], options, "TicketPortal fetch");
        }
        catch (LibGit2SharpException e)
        {
            throw new GitScanException($"Fetching {watched.Remote} failed: {e.Message}");
        }
    }
}

/// <summary>A repository that cannot be read: shown on its admin page and in the API; the other repositories go on.</summary>
public sealed class GitScanException(string message) : Exception(message);
