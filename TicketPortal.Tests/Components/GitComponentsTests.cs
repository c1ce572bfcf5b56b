using Bunit;
using Microsoft.Extensions.DependencyInjection;
using TicketPortal.Components.Pages.Admin;
using TicketPortal.Components.Pages.Tickets;
using TicketPortal.Domain.Git;
using TicketPortal.Domain.People;
using TicketPortal.Tests.Support;

namespace TicketPortal.Tests.Components;

public sealed class GitComponentsTests : PortalComponentContext
{
    private static readonly DateTimeOffset At = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TheCommitsPanel_ListsEachCommitOnce_WithItsLinkAndWhatItDid()
    {
        var sha = new string('a', 40);
        var commits = new[]
        {
            new CommitView("app", sha, "aaaaaaa", $"https://git.example.test/c/{sha}", "main", "Dana", "Keep the last row", At, "reference", "noted", null),
            new CommitView("app", sha, "aaaaaaa", $"https://git.example.test/c/{sha}", "main", "Dana", "Keep the last row", At, "close", "moved to QA Pending", null),
        };

        var panel = Render<CommitsPanel>(p => p.Add(x => x.Commits, commits));

        var commit = Assert.Single(panel.FindAll("[data-testid^=commit-]"));
        Assert.Equal($"https://git.example.test/c/{sha}", commit.QuerySelector("a")!.GetAttribute("href"));
        Assert.Contains("Keep the last row", commit.TextContent);
        Assert.Contains("close: moved to QA Pending", commit.TextContent);
        Assert.DoesNotContain("reference:", commit.TextContent);
    }

    [Fact]
    public async Task TheRepositoriesPage_ShowsAScanError_AndPreviewsWhatAMessageWouldDo()
    {
        var admin = new Viewer("admin", IsAdmin: true);
        SignIn(admin, "admin@test.local");
        var git = Services.GetRequiredService<GitService>();
        using var repo = new TestRepository();
        await git.SaveAsync(null, new RepositorySettings("app", repo.Path, "develop"), admin);
        await git.ScanAllAsync();

        var page = Render<Repositories>();
        page.WaitForAssertion(() => Assert.Contains("The branch 'develop' does not exist", page.Find("[data-testid=error-app]").TextContent));
        page.Find("[data-testid=preview] textarea").Change("Fixes #12, see #4\n\n`closes #5`");
        page.Find("[data-testid=preview-button]").Click();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=preview-result] tbody tr").Count));
        var rows = page.FindAll("[data-testid=preview-result] tbody tr").Select(r => r.TextContent).ToList();
        Assert.Contains("#12", rows[0]);
        Assert.Contains("closes it", rows[0]);
        Assert.Contains("notes the commit", rows[1]);
    }
}
