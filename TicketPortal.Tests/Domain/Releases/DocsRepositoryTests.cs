using LibGit2Sharp;
using TicketPortal.Domain;
using TicketPortal.Domain.Releases;
using TicketPortal.Tests.Support;

namespace TicketPortal.Tests.Domain.Releases;

/// <summary>The docs space on real folders: a repository the publisher makes, commits to, tags and pushes to a bare remote.</summary>
public sealed class DocsRepositoryTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 8, 30, 0, TimeSpan.Zero);
    private readonly TempFolder _temp = new();

    private string DocsPath => _temp.Sub("docs");

    public void Dispose() => _temp.Dispose();

    private DocsRepository Docs(string? remote = null) => new(new DocsSettings { Path = DocsPath, Remote = remote, Title = "Release notes" }, TimeProvider.System);

    private static DocsPublication Publication(string version, string project = "CHG")
    {
        var semver = SemanticVersion.Parse(version);
        var notes = new ReleaseNotesInput(project, "Change board", semver, null, new DateOnly(2026, 12, 1), "",
            [new ReleaseNoteEntry(12, "Show the cost centre", "Invoice lines show it.", ChangeCategory.Added, false, "https://portal.example.test/tickets/12")], []);
        return new DocsPublication(project, "Change board", semver, new DateOnly(2026, 12, 1), ReleaseNotesWriter.Write(notes), "Ines IT-Director", "ines@example.test", At);
    }

    private static Task<DocsCommit> PublishAsync(DocsRepository docs, string version) => docs.PublishAsync(Publication(version), CancellationToken.None);

    private static string TextAt(Commit commit, string path) => ((Blob)commit[path].Target).GetContentText();

    private static string[] SummaryReleases(Commit commit) =>
        [.. TextAt(commit, "SUMMARY.md").Split('\n').Where(l => l.StartsWith("* [", StringComparison.Ordinal) && l.Contains("releases/", StringComparison.Ordinal))];

    [Fact]
    public async Task Publish_IntoAMissingFolder_StartsTheSpace_ThenCommitsAndTagsTheRelease()
    {
        var docs = Docs();

        var result = await PublishAsync(docs, "1.4.0");

        using var repo = new Repository(DocsPath);
        var commit = repo.Head.Tip;
        Assert.True(result.Created);
        Assert.Null(await docs.PushAsync(CancellationToken.None));
        Assert.Equal(commit.Sha, result.Sha);
        Assert.Equal("main", repo.Head.FriendlyName);
        Assert.Equal("Release 1.4.0", commit.MessageShort);
        Assert.Contains("TicketPortal-Release: CHG 1.4.0", commit.Message, StringComparison.Ordinal);
        Assert.Equal(("Ines IT-Director", "ines@example.test", At), (commit.Author.Name, commit.Author.Email, commit.Author.When));
        Assert.Equal(commit.Sha, repo.Tags["v1.4.0"].PeeledTarget.Sha);
        Assert.Equal(Publication("1.4.0").Markdown, TextAt(commit, "releases/1.4.0.md"));
        Assert.Contains("structure:\n  readme: README.md\n  summary: SUMMARY.md\n", TextAt(commit, ".gitbook.yaml"), StringComparison.Ordinal);
        Assert.StartsWith("# Release notes\n", TextAt(commit, "README.md"), StringComparison.Ordinal);
        Assert.Contains("Latest release: [1.4.0](releases/1.4.0.md) of Change board, live on 2026-12-01.", TextAt(commit, "README.md"), StringComparison.Ordinal);
        Assert.Equal(["* [1.4.0](releases/1.4.0.md)"], SummaryReleases(commit));
        Assert.Equal("Start the release notes space", Assert.Single(commit.Parents).MessageShort);
        Assert.False(repo.RetrieveStatus().IsDirty);
    }

    [Fact]
    public async Task Publish_IntoAnEmptyFolder_StartsTheSpaceThere()
    {
        Directory.CreateDirectory(DocsPath);

        var result = await PublishAsync(Docs(), "0.1.0");

        Assert.True(result.Created);
        Assert.True(Repository.IsValid(DocsPath));
    }

    [Fact]
    public async Task Publish_ASecondRelease_IsListedAboveTheFirst()
    {
        var docs = Docs();
        var first = await PublishAsync(docs, "1.9.0");

        var second = await PublishAsync(docs, "1.10.0");

        using var repo = new Repository(DocsPath);
        Assert.Equal(first.Sha, Assert.Single(repo.Head.Tip.Parents).Sha);
        Assert.Equal(["* [1.10.0](releases/1.10.0.md)", "* [1.9.0](releases/1.9.0.md)"], SummaryReleases(repo.Head.Tip));
        Assert.Equal((second.Sha, first.Sha), (repo.Tags["v1.10.0"].PeeledTarget.Sha, repo.Tags["v1.9.0"].PeeledTarget.Sha));
    }

    [Fact]
    public async Task Publish_CutOffBetweenWritingAndCommitting_LeavesNoCommitOrTag_AndTheNextPublishSucceedsOnACleanTree()
    {
        var docs = Docs();
        var before = await PublishAsync(docs, "1.0.0");
        docs.AfterWrite = () => throw new IOException("power cut");
        var cutOff = await Record.ExceptionAsync(() => PublishAsync(docs, "1.1.0"));
        var (headAfterCut, tagAfterCut, dirtyAfterCut) = Snapshot();
        var problemsAfterCut = docs.Check("CHG", SemanticVersion.Parse("1.1.0"));
        docs.AfterWrite = null;

        var after = await PublishAsync(docs, "1.1.0");

        Assert.IsType<IOException>(cutOff);
        Assert.Equal((before.Sha, null, true), (headAfterCut, tagAfterCut, dirtyAfterCut));
        Assert.Empty(problemsAfterCut);
        using var repo = new Repository(DocsPath);
        Assert.True(after.Created);
        Assert.Equal(before.Sha, Assert.Single(repo.Head.Tip.Parents).Sha);
        Assert.Equal(after.Sha, repo.Tags["v1.1.0"].PeeledTarget.Sha);
        Assert.Equal(["* [1.1.0](releases/1.1.0.md)", "* [1.0.0](releases/1.0.0.md)"], SummaryReleases(repo.Head.Tip));
        Assert.False(repo.RetrieveStatus(new StatusOptions { IncludeUntracked = true }).IsDirty);
        Assert.Empty(Directory.EnumerateFiles(repo.Info.Path, "ticketportal-*"));

        (string Head, string? Tag, bool Dirty) Snapshot()
        {
            using var cut = new Repository(DocsPath);
            return (cut.Head.Tip.Sha, cut.Tags["v1.1.0"]?.PeeledTarget.Sha, cut.RetrieveStatus().IsDirty);
        }
    }

    [Fact]
    public async Task Publish_CutOffOnTheFirstRelease_LeavesTheNewPageUntracked_UntilTheNextPublishCleansIt()
    {
        var docs = Docs();
        docs.AfterWrite = () => throw new IOException("power cut");
        var cutOff = await Record.ExceptionAsync(() => PublishAsync(docs, "1.0.0"));
        var pageAfterCut = File.Exists(Path.Combine(DocsPath, "releases", "1.0.0.md"));
        docs.AfterWrite = null;

        var other = await PublishAsync(docs, "0.9.0");

        using var repo = new Repository(DocsPath);
        Assert.IsType<IOException>(cutOff);
        Assert.True(pageAfterCut);
        Assert.True(other.Created);
        Assert.False(File.Exists(Path.Combine(DocsPath, "releases", "1.0.0.md")));
        Assert.Null(repo.Tags["v1.0.0"]);
        Assert.Equal(["* [0.9.0](releases/0.9.0.md)"], SummaryReleases(repo.Head.Tip));
        Assert.False(repo.RetrieveStatus(new StatusOptions { IncludeUntracked = true }).IsDirty);
    }

    [Fact]
    public async Task Publish_CutOffBetweenCommittingAndTagging_IsRedoneOnce_OnTheNextPublish()
    {
        var docs = Docs();
        var before = await PublishAsync(docs, "1.0.0");
        await PublishAsync(docs, "1.1.0");
        // The state a publish leaves when it stops right after its commit: no tag, and its marker still in .git.
        using (var cut = new Repository(DocsPath))
        {
            cut.Tags.Remove("v1.1.0");
            File.WriteAllText(Path.Combine(cut.Info.Path, "ticketportal-publishing"), "1.1.0");
        }

        var after = await PublishAsync(docs, "1.1.0");

        using var repo = new Repository(DocsPath);
        Assert.True(after.Created);
        Assert.Equal(after.Sha, repo.Tags["v1.1.0"].PeeledTarget.Sha);
        Assert.Equal(before.Sha, Assert.Single(repo.Head.Tip.Parents).Sha);
        Assert.Single(repo.Commits, c => c.MessageShort == "Release 1.1.0");
        Assert.False(repo.RetrieveStatus(new StatusOptions { IncludeUntracked = true }).IsDirty);
    }

    [Fact]
    public async Task Publish_SameVersionAgain_ReturnsTheSameCommit_AndMakesNone()
    {
        var docs = Docs();
        var first = await PublishAsync(docs, "1.4.0");

        var again = await PublishAsync(docs, "1.4.0");

        using var repo = new Repository(DocsPath);
        Assert.Equal((first.Sha, false), (again.Sha, again.Created));
        Assert.Equal(first.Sha, repo.Head.Tip.Sha);
        Assert.Equal(2, repo.Commits.Count());
    }

    [Fact]
    public async Task Publish_IntoAFolderThatIsNotARepository_IsRefused_AndLeavesItAlone()
    {
        Directory.CreateDirectory(DocsPath);
        File.WriteAllText(Path.Combine(DocsPath, "notes.txt"), "mine");
        var docs = Docs();

        var error = await Assert.ThrowsAsync<DomainException>(() => PublishAsync(docs, "1.4.0"));

        Assert.Equal(DomainErrorKind.Conflict, error.Kind);
        Assert.Contains("not a git repository", error.Message, StringComparison.Ordinal);
        Assert.Equal(["notes.txt"], Directory.EnumerateFileSystemEntries(DocsPath).Select(Path.GetFileName));
        Assert.NotEmpty(docs.Check("CHG", SemanticVersion.Parse("1.4.0")));
    }

    [Fact]
    public async Task Publish_WithUncommittedChanges_IsRefused_AndCommitsNothing_AndKeepsTheChanges()
    {
        var docs = Docs();
        var first = await PublishAsync(docs, "1.0.0");
        var readme = Path.Combine(DocsPath, "README.md");
        File.AppendAllText(readme, "\nA line written by hand.\n");
        File.WriteAllText(Path.Combine(DocsPath, "draft.md"), "# Draft\n");

        var error = await Assert.ThrowsAsync<DomainException>(() => PublishAsync(docs, "1.1.0"));

        using var repo = new Repository(DocsPath);
        Assert.Equal(DomainErrorKind.Conflict, error.Kind);
        Assert.Contains("uncommitted changes", error.Message, StringComparison.Ordinal);
        Assert.Contains("README.md", error.Message, StringComparison.Ordinal);
        Assert.Equal(first.Sha, repo.Head.Tip.Sha);
        Assert.Null(repo.Tags["v1.1.0"]);
        Assert.EndsWith("A line written by hand.\n", File.ReadAllText(readme), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(DocsPath, "draft.md")));
        Assert.False(File.Exists(Path.Combine(DocsPath, "releases", "1.1.0.md")));
    }

    [Fact]
    public async Task Publish_WhenTheTagIsTakenByAnotherCommit_IsRefused()
    {
        var docs = Docs();
        await PublishAsync(docs, "1.0.0");
        using (var repo = new Repository(DocsPath))
        {
            repo.ApplyTag("v2.0.0");
        }

        var problems = docs.Check("CHG", SemanticVersion.Parse("2.0.0"));
        var error = await Assert.ThrowsAsync<DomainException>(() => PublishAsync(docs, "2.0.0"));

        Assert.Contains("tag v2.0.0 already exists", Assert.Single(problems), StringComparison.Ordinal);
        Assert.Equal(DomainErrorKind.Conflict, error.Kind);
    }

    [Fact]
    public async Task Publish_WithARemote_PushesTheBranchAndTheTag()
    {
        var remote = _temp.Sub("remote.git");
        Repository.Init(remote, isBare: true);
        var docs = Docs(remote);

        var first = await PublishAsync(docs, "1.4.0");
        var firstPush = await docs.PushAsync(CancellationToken.None);
        var second = await PublishAsync(docs, "1.5.0");
        var secondPush = await docs.PushAsync(CancellationToken.None);

        using var bare = new Repository(remote);
        Assert.Equal((null, null), (firstPush, secondPush));
        Assert.Equal(second.Sha, bare.Branches["main"].Tip.Sha);
        Assert.Equal(first.Sha, bare.Tags["v1.4.0"].PeeledTarget.Sha);
        Assert.Equal(second.Sha, bare.Tags["v1.5.0"].PeeledTarget.Sha);
    }

    [Fact]
    public async Task Publish_WhenThePushFails_KeepsTheCommit_AndSaysWhy_ThenTheNextPushTakesEveryReleaseTag()
    {
        var remote = _temp.Sub("later.git");
        var docs = Docs(remote);

        var offline = await PublishAsync(docs, "1.4.0");
        var offlinePush = await docs.PushAsync(CancellationToken.None);
        Repository.Init(remote, isBare: true);
        var next = await PublishAsync(docs, "1.5.0");
        var nextPush = await docs.PushAsync(CancellationToken.None);

        using var bare = new Repository(remote);
        Assert.True(offline.Created);
        Assert.Contains("Pushing to", offlinePush, StringComparison.Ordinal);
        Assert.Null(nextPush);
        Assert.Equal(offline.Sha, bare.Tags["v1.4.0"].PeeledTarget.Sha);
        Assert.Equal(next.Sha, bare.Tags["v1.5.0"].PeeledTarget.Sha);
    }

    [Fact]
    public async Task Pages_IncludesAPageCommittedByHand_NewestFirst_AndIgnoresOtherFiles()
    {
        var docs = Docs();
        await PublishAsync(docs, "1.4.0");
        using (var repo = new Repository(DocsPath))
        {
            File.WriteAllText(Path.Combine(DocsPath, "releases", "0.9.0.md"),
                "---\ndescription: \"The first \\\"beta\\\" for the board.\"\nproject: \"CHG\"\n---\n\n# 0.9.0 — Beta \\*one\\* (2026-06-30)\n\nWritten by hand.\n");
            File.WriteAllText(Path.Combine(DocsPath, "releases", "versioning.md"), "# How we version\n");
            Commands.Stage(repo, ["releases/0.9.0.md", "releases/versioning.md"]);
            var me = new Signature("Tech Writer", "writer@example.test", At.AddHours(1));
            repo.Commit("Add the 0.9.0 notes by hand", me, me);
        }

        var pages = docs.Pages();

        Assert.Equal(["1.4.0", "0.9.0"], pages.Select(p => p.Version.ToString()));
        var byHand = pages[1].Facts;
        Assert.Equal(("CHG", "The first \"beta\" for the board.", "0.9.0 — Beta *one* (2026-06-30)", new DateOnly(2026, 6, 30)),
            (byHand.Project, byHand.Description, byHand.Title, byHand.GoLiveDate));
        Assert.Contains("Written by hand.", pages[1].Markdown, StringComparison.Ordinal);
        Assert.Equal(("CHG", "1.4.0 (2026-12-01)"), (pages[0].Facts.Project, pages[0].Facts.Title));
    }

    [Fact]
    public void Pages_WithoutASpace_IsEmpty()
    {
        var docs = Docs();

        var pages = docs.Pages();

        Assert.Empty(pages);
        Assert.Null(docs.Head());
    }

    [Fact]
    public async Task Undo_AfterTheDatabaseRefusedThePublish_LeavesNoTagNoCommitAndNoPage()
    {
        var docs = Docs();
        var before = await PublishAsync(docs, "1.4.0");
        var refused = await PublishAsync(docs, "1.5.0");

        await docs.UndoAsync(SemanticVersion.Parse("1.5.0"), refused.Sha);

        using var repo = new Repository(DocsPath);
        Assert.Null(repo.Tags["v1.5.0"]);
        Assert.Equal(before.Sha, repo.Head.Tip.Sha);
        Assert.False(File.Exists(Path.Combine(DocsPath, "releases", "1.5.0.md")));
        Assert.False(repo.RetrieveStatus().IsDirty);
    }

    [Fact]
    public async Task Publish_WhenTheTagHoldsOtherNotes_IsRefused_AndCommitsNothing()
    {
        var docs = Docs();
        await PublishAsync(docs, "1.4.0");
        using (var repo = new Repository(DocsPath))
        {
            var tip = repo.Head.Tip.Sha;
            var changed = Publication("1.4.0") with { Markdown = "# 1.4.0 (2026-12-01)\n\nOther notes.\n" };

            var refused = await Assert.ThrowsAsync<TicketPortal.Domain.DomainException>(() => docs.PublishAsync(changed, CancellationToken.None));

            Assert.Contains("holds other notes", refused.Message, StringComparison.Ordinal);
            Assert.Equal(tip, repo.Head.Tip.Sha);
        }
    }
}
