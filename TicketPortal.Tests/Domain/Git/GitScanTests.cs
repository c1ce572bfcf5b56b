using TicketPortal.Domain;
using TicketPortal.Domain.Git;
using TicketPortal.Domain.People;
using TicketPortal.Domain.Tickets;
using TicketPortal.Tests.Support;

namespace TicketPortal.Tests.Domain.Git;

/// <summary>Scans of real repositories (made here with LibGit2Sharp) against real tickets of the qa-verify preset.</summary>
public sealed class GitScanTests : IAsyncLifetime
{
    private static readonly Viewer Admin = new("admin", IsAdmin: true);
    private readonly TestRepository _repo = new();
    private TestDatabase _db = default!;
    private Viewer _support = default!;
    private Viewer _customer = default!;

    private GitService Git(GitSettings? settings = null) =>
        new(_db, _db.Tickets, new GitScanner(), settings ?? new GitSettings(), _db.Clock);

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        await _db.AddProjectAsync("QAV", "qa-verify");
        _support = await _db.AddUserAsync("sam@example.test", "QAV:support");
        await _db.AddUserAsync("dana@example.test", "QAV:developer");
        _customer = await _db.AddUserAsync("carla@example.test", "QAV:customer");
        await Git().SaveAsync(null, new RepositorySettings("app", _repo.Path, "main", "https://git.example.test/app/commit/{sha}"), Admin);
    }

    public async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        _repo.Dispose();
    }

    private async Task<int> AssignedDefectAsync(string title = "Crash on save")
    {
        var ticket = await _db.Tickets.CreateAsync(new CreateTicket("QAV", "Defect", title, null, null, null), _customer);
        await _db.Tickets.TransitionAsync(ticket.Number, new TakeTransition("assign", null, new Dictionary<string, string>(), null), _support);
        return ticket.Number;
    }

    private Task<TicketView> TicketAsync(int number) => _db.Tickets.GetAsync(number, _support);

    private static string[] CommitNotes(TicketView ticket) => ticket.Journal.Where(e => e.Text?.StartsWith("Commit ", StringComparison.Ordinal) == true).Select(e => e.Text!).ToArray();

    [Fact]
    public async Task AFixOnMain_MovesTheTicketOnce_WithTheBuildNumberFromTheFirstTagThatContainsIt()
    {
        var number = await AssignedDefectAsync();
        await Git().ScanAsync("app");
        var fix = _repo.Commit($"Save the file before closing\n\nFixes #{number} @1h30m");
        _repo.Tag("build-512");
        _repo.Commit("Later work");
        _repo.Tag("build-513");

        var result = await Git().ScanAsync("app");
        var again = await Git().ScanAsync("app");
        var ticket = await TicketAsync(number);

        Assert.Equal((2, 1, 1, (string?)null), (result.Commits, result.References, result.Applied, result.Error));
        Assert.Equal((0, 0), (again.Commits, again.References));
        Assert.Equal("QA Pending", ticket.Status);
        Assert.Equal("build-512", ticket.Fields["buildNumber"]);
        var note = Assert.Single(CommitNotes(ticket));
        Assert.Equal($"Commit [{fix[..7]}](https://git.example.test/app/commit/{fix}) by Dana Developer on main (app): Save the file before closing Time spent: 1h 30m.", note);
        Assert.True(ticket.Journal.Single(e => e.Text == note).Internal);
        Assert.Equal("dana@example.test", ticket.Journal.Single(e => e.Text == note).Author);
        var commit = Assert.Single(await Git().CommitsOfAsync(number, _support), c => c.Kind == "close");
        Assert.Equal(("moved to QA Pending", fix), (commit.Outcome, commit.Sha));
    }

    [Fact]
    public async Task AFixOnAnotherBranch_IsOnlyNoted_AndActsWhenItIsMergedIntoMain()
    {
        var number = await AssignedDefectAsync();
        await Git().ScanAsync("app");
        _repo.Branch("feature/save");
        _repo.Commit($"Save before closing (fixes #{number})");

        var onBranch = await Git().ScanAsync("app");
        var noted = await TicketAsync(number);
        _repo.Merge("feature/save");
        _repo.Tag("build-600");
        var merged = await Git().ScanAsync("app");
        var closed = await TicketAsync(number);

        Assert.Equal(0, onBranch.Applied);
        Assert.Equal("Assigned", noted.Status);
        Assert.EndsWith("It will close the ticket once it reaches main or release/*.", Assert.Single(CommitNotes(noted)));
        Assert.Equal(1, merged.Applied);
        Assert.Equal("QA Pending", closed.Status);
        Assert.Equal("build-600", closed.Fields["buildNumber"]);
        Assert.EndsWith("It reached main.", CommitNotes(closed)[1]);
    }

    [Fact]
    public async Task AStepTheWorkflowCannotTake_IsNotedWithTheReason_NotForced()
    {
        var untagged = await AssignedDefectAsync();
        var fresh = (await _db.Tickets.CreateAsync(new CreateTicket("QAV", "Defect", "Typo", null, null, null), _customer)).Number;
        await Git().ScanAsync("app");
        _repo.Commit($"Fix the typo, closes #{fresh}; fixes #{untagged}");

        var result = await Git().ScanAsync("app");

        Assert.Equal(0, result.Applied);
        Assert.Equal("New", (await TicketAsync(fresh)).Status);
        Assert.EndsWith("Not applied: the QA verified lifecycle workflow has no commit step from New.", Assert.Single(CommitNotes(await TicketAsync(fresh))));
        var assigned = await TicketAsync(untagged);
        Assert.Equal("Assigned", assigned.Status);
        Assert.Contains("buildNumber", Assert.Single(CommitNotes(assigned)));
    }

    [Fact]
    public async Task TheFirstImportOnlyLinksOldCommits_NeverActsOnThem()
    {
        var number = await AssignedDefectAsync();
        _repo.Commit($"Old fix, fixes #{number}");
        _repo.Tag("build-1");

        var import = await Git().ScanAsync("app");
        var ticket = await TicketAsync(number);

        Assert.Equal((0, 1), (import.Applied, import.References));
        Assert.Equal("Assigned", ticket.Status);
        Assert.Empty(CommitNotes(ticket));
        Assert.Equal("linked on first import", Assert.Single(await Git().CommitsOfAsync(number, _support)).Outcome);
    }

    [Fact]
    public async Task ACherryPickAndAVanishedTip_DoNotActTwice_AndUnknownTicketsAreIgnored()
    {
        var number = await AssignedDefectAsync();
        await Git().ScanAsync("app");
        var fix = _repo.Commit($"Fixes #{number}, refs #99999");
        _repo.Tag("build-7");
        await Git().ScanAsync("app");
        _repo.Branch("release/1.0", from: fix + "~1");
        _repo.Commit($"Fixes #{number}\n\n(cherry picked from commit {fix})");
        var picked = await Git().ScanAsync("app");
        await using (var context = _db.CreateDbContext())
        {
            var stored = context.Repositories.Single();
            context.Entry(stored).Property(r => r.Tips).CurrentValue = new Dictionary<string, string> { ["main"] = new string('0', 40) };
            await context.SaveChangesAsync();
        }
        var rewalked = await Git().ScanAsync("app");

        Assert.Equal(1, picked.References);
        Assert.Equal(0, picked.Applied);
        Assert.True(rewalked.Commits >= 3);
        Assert.Equal(0, rewalked.Applied);
        Assert.Single(CommitNotes(await TicketAsync(number)));
        Assert.Equal(2, (await Git().CommitsOfAsync(number, _support)).Count);
    }

    [Fact]
    public async Task ARevertIsNotedOnTheTicketsOfTheRevertedCommit_AndReleaseCommitsAreNeverRead()
    {
        var number = await AssignedDefectAsync();
        await Git().ScanAsync("app");
        var fix = _repo.Commit($"Refs #{number}: first attempt");
        await Git().ScanAsync("app");
        _repo.Commit($"Revert \"Refs #{number}: first attempt\"\n\nThis reverts commit {fix}.");
        _repo.Commit($"Release 1.4.0\n\nFixes #{number}\n\n{GitScanner.ReleaseTrailer} 1.4.0");

        await Git().ScanAsync("app");
        var notes = CommitNotes(await TicketAsync(number));

        Assert.Equal(2, notes.Length);
        Assert.EndsWith($"It reverts {fix[..7]}, which referenced this ticket.", notes[1]);
    }

    [Fact]
    public async Task ARepositoryThatCannotBeRead_ShowsItsError_AndTheOthersAreStillScanned()
    {
        var number = await AssignedDefectAsync();
        var git = Git();
        await git.SaveAsync(null, new RepositorySettings("nowhere", Path.Combine(Path.GetTempPath(), "no-such-repo-" + Guid.NewGuid()), "main"), Admin);
        using var other = new TestRepository();
        await git.SaveAsync(null, new RepositorySettings("no-branch", other.Path, "develop"), Admin);
        await git.ScanAllAsync();
        _repo.Commit($"Refs #{number}");

        var totals = await git.ScanAllAsync();
        var repositories = await git.RepositoriesAsync(Admin);

        Assert.Equal(1, totals.References);
        Assert.Contains("is not a git repository", repositories.Single(r => r.Name == "nowhere").LastError);
        Assert.Contains("The branch 'develop' does not exist", repositories.Single(r => r.Name == "no-branch").LastError);
        Assert.Null(repositories.Single(r => r.Name == "app").LastError);
        Assert.Single(CommitNotes(await TicketAsync(number)));
    }

    [Fact]
    public async Task BadRepositorySettings_AreRefusedWithEveryProblem_AndOnlyAdminsMayChangeThem()
    {
        var invalid = await Assert.ThrowsAsync<DomainException>(() => Git().SaveAsync(null, new RepositorySettings("bad name", " ", "", "ftp://x/{sha}"), Admin));
        var duplicate = await Assert.ThrowsAsync<DomainException>(() => Git().SaveAsync(null, new RepositorySettings("app", _repo.Path, "main"), Admin));
        var forbidden = await Assert.ThrowsAsync<DomainException>(() => Git().SaveAsync(null, new RepositorySettings("other", _repo.Path, "main"), _support));

        Assert.Equal(4, invalid.Problems.Count);
        Assert.Contains("exists already", duplicate.Message);
        Assert.Equal(DomainErrorKind.Forbidden, forbidden.Kind);
        Assert.Single(await Git().RepositoriesAsync(Admin));
    }

    [Fact]
    public async Task ARemoteIsFetchedIntoItsOwnFolder_AndAnUnreachableRemoteOrACorruptObjectIsReportedWithNothingApplied()
    {
        var number = await AssignedDefectAsync();
        var git = Git();
        var mirror = Path.Combine(Path.GetTempPath(), "tp-mirror-" + Guid.NewGuid().ToString("N"));
        await git.SaveAsync(null, new RepositorySettings("mirror", mirror, "main", Remote: _repo.Path), Admin);
        await git.SaveAsync(null, new RepositorySettings("gone", Path.Combine(Path.GetTempPath(), "tp-gone-" + Guid.NewGuid().ToString("N")), "main",
            Remote: Path.Combine(Path.GetTempPath(), "no-such-remote-" + Guid.NewGuid().ToString("N"))), Admin);
        await git.ScanAllAsync();
        _repo.Commit($"Refs #{number}: seen through the mirror");
        var fetched = await git.ScanAsync("mirror");

        using var broken = new TestRepository();
        await git.SaveAsync(null, new RepositorySettings("broken", broken.Path, "main"), Admin);
        await git.ScanAsync("broken");
        var bad = broken.Commit($"Refs #{number}");
        var loose = Path.Combine(broken.Path, ".git", "objects", bad[..2], bad[2..]);
        File.SetAttributes(loose, FileAttributes.Normal);
        await File.WriteAllBytesAsync(loose, [1, 2, 3, 4]);
        var corrupt = await git.ScanAsync("broken");
        var repositories = await git.RepositoriesAsync(Admin);

        Assert.Equal((1, (string?)null), (fetched.References, fetched.Error));
        Assert.True(Directory.Exists(Path.Combine(mirror, "refs")));
        Assert.Contains("Fetching", repositories.Single(r => r.Name == "gone").LastError);
        Assert.NotNull(corrupt.Error);
        Assert.NotNull(repositories.Single(r => r.Name == "broken").LastError);
        Assert.Single(CommitNotes(await TicketAsync(number)));
        Directory.Delete(mirror, recursive: true);
    }

    [Fact]
    public async Task WithRevertReopens_RevertingTheCommitThatClosedAnInternalBug_ReopensIt()
    {
        await _db.AddProjectAsync("INT", "support-gatekeeper", "Bug", "Task", "Feature");
        var gatekeeper = await _db.AddUserAsync("gus@example.test", "INT:gatekeeper");
        var bug = (await _db.Tickets.CreateAsync(new CreateTicket("INT", "Bug", "Export crashes", null, null, null), gatekeeper)).Number;
        await _db.Tickets.TransitionAsync(bug, new TakeTransition("seen", null, new Dictionary<string, string> { ["milestone"] = "next patch" }, null), gatekeeper);
        var git = Git(new GitSettings { RevertReopens = true });
        await git.ScanAsync("app");
        var fix = _repo.Commit($"Fixes INT-{bug}");
        var closing = await git.ScanAsync("app");
        var closed = (await _db.Tickets.GetAsync(bug, gatekeeper)).Status;
        _repo.Commit($"Revert \"Fixes INT-{bug}\"\n\nThis reverts commit {fix}.");

        var reverting = await git.ScanAsync("app");
        var reopened = await _db.Tickets.GetAsync(bug, gatekeeper);

        Assert.Equal((1, "Closed"), (closing.Applied, closed));
        Assert.Equal(1, reverting.Applied);
        Assert.Equal("Accepted", reopened.Status);
        Assert.EndsWith($"It reverts {fix[..7]}, which referenced this ticket.", reopened.Journal.Last(e => e.Text?.StartsWith("Commit ", StringComparison.Ordinal) == true).Text);
    }
}
