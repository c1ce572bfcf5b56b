using LibGit2Sharp;

namespace TicketPortal.Tests.Support;

/// <summary>A real git repository in a temporary folder, written with LibGit2Sharp: commits, branches, merges, tags, force-pushes.</summary>
public sealed class TestRepository : IDisposable
{
    private static int _clock;
    private readonly Repository _git;

    public string Path { get; }

    public TestRepository()
    {
        Path = Directory.CreateTempSubdirectory("tp-git-").FullName;
        Repository.Init(Path);
        _git = new Repository(Path);
        Commit("Initial commit");
        _git.Branches.Rename(_git.Head, "main");
    }

    public string Head => _git.Head.FriendlyName;

    /// <summary>A commit on the current branch, with a distinct time so history order is stable.</summary>
    public string Commit(string message, string author = "Dana Developer", string email = "dana@example.test")
    {
        var when = new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero).AddMinutes(Interlocked.Increment(ref _clock));
        var signature = new Signature(author, email, when);
        return _git.Commit(message, signature, signature, new CommitOptions { AllowEmptyCommit = true }).Sha;
    }

    public void Branch(string name, string? from = null)
    {
        var branch = _git.Branches[name] ?? _git.CreateBranch(name, from ?? _git.Head.Tip.Sha);
        Commands.Checkout(_git, branch);
    }

    public void Merge(string branch, string into = "main")
    {
        Commands.Checkout(_git, _git.Branches[into]);
        var signature = new Signature("Dana Developer", "dana@example.test", DateTimeOffset.UnixEpoch.AddYears(57));
        _git.Merge(_git.Branches[branch], signature, new MergeOptions { FastForwardStrategy = FastForwardStrategy.NoFastForward });
    }

    public void Tag(string name) => _git.ApplyTag(name);

    /// <summary>Moves the current branch back (as a force-push does), dropping the commits after <paramref name="sha"/>.</summary>
    public void ResetHard(string sha) => _git.Reset(ResetMode.Hard, _git.Lookup<Commit>(sha));

    /// <summary>Safe to call twice (a web application factory disposes both ways).</summary>
    public void Dispose()
    {
        _git.Dispose();
        if (!Directory.Exists(Path))
        {
            return;
        }
        foreach (var file in Directory.EnumerateFiles(Path, "*", SearchOption.AllDirectories))
        {
            File.SetAttributes(file, FileAttributes.Normal);
        }
        Directory.Delete(Path, recursive: true);
    }
}
