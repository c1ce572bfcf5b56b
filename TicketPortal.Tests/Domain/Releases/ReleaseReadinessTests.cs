using TicketPortal.Domain;
using TicketPortal.Domain.People;
using TicketPortal.Domain.Releases;
using TicketPortal.Domain.Tickets;
using TicketPortal.Tests.Support;

namespace TicketPortal.Tests.Domain.Releases;

/// <summary>support-gatekeeper has no release step: its closed Internal bugs, tasks and features are what a release takes.</summary>
public sealed class ReleaseReadinessTests : IAsyncLifetime
{
    private TestDatabase _database = default!;
    private Viewer _support = default!;
    private Viewer _gatekeeper = default!;
    private Viewer _developer = default!;
    private readonly TempFolder _docs = new();

    private ReleaseService Releases
    {
        get
        {
            var settings = new DocsSettings { Path = _docs.Path, PortalUrl = "https://portal.test" };
            return new ReleaseService(_database, TestDatabase.Catalog, _database.Tickets, new DocsRepository(settings, _database.Clock), settings,
                new ReleaseMail(new MarkdownRenderer(), settings, _database.Mail), _database.Clock);
        }
    }

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        await _database.AddProjectAsync("INT", "support-gatekeeper");
        _support = await _database.AddUserAsync("support@test.local", "INT:support");
        _gatekeeper = await _database.AddUserAsync("gatekeeper@test.local", "INT:gatekeeper");
        _developer = await _database.AddUserAsync("developer@test.local", "INT:developer");
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        _docs.Dispose();
    }

    private async Task<int> InternalAsync(string tracker, string title, string? milestone, bool close)
    {
        var tickets = _database.Tickets;
        var number = (await tickets.CreateAsync(new CreateTicket("INT", tracker, title, "Steps in the description.", null, null), _support)).Number;
        if (milestone is null)
        {
            return number;
        }
        await tickets.TransitionAsync(number, new TakeTransition("seen", null, new Dictionary<string, string> { ["milestone"] = milestone }, null), _gatekeeper);
        await tickets.TransitionAsync(number, new TakeTransition("confirm", null, null, null), _developer);
        if (close)
        {
            await tickets.TransitionAsync(number, new TakeTransition("close", null, null, null), _developer);
        }
        return number;
    }

    [Fact]
    public async Task ClosedInternalTickets_AreCandidates_AndAMilestoneTakesOnlyItsOwn()
    {
        var patch = await InternalAsync("Bug", "Export crashes on empty rows", "next patch", close: true);
        var major = await InternalAsync("Feature", "Export to PDF", "next major", close: true);
        var open = await InternalAsync("Bug", "Slow search", "next patch", close: false);
        var unseen = await InternalAsync("Task", "Tidy the logs", null, close: false);

        var candidates = await Releases.CandidatesAsync("INT", _gatekeeper);
        var release = await Releases.CreateAsync(new CreateRelease("INT", "5.1.1", "2026-12-01", Milestone: "next patch"), _gatekeeper);

        Assert.Equal([patch, major], candidates.Select(c => c.Number));
        Assert.Equal([patch], release.Tickets.Select(t => t.Number));
        Assert.DoesNotContain(release.Tickets, t => t.Number == open || t.Number == unseen);
        Assert.Equal("Fixed", release.Tickets.Single().Category);
    }

    [Fact]
    public async Task AnOpenInternalTicket_ChosenByHand_IsRefusedWithItsStatus()
    {
        var open = await InternalAsync("Bug", "Slow search", "next patch", close: false);

        var refused = await Assert.ThrowsAsync<DomainException>(() => Releases.CreateAsync(new CreateRelease("INT", "5.2.0", "2026-12-01", Tickets: [open]), _gatekeeper));

        Assert.Equal(DomainErrorKind.RequirementMissing, refused.Kind);
        Assert.Equal($"tickets: #{open} is Accepted, not release-ready.", refused.Message);
    }

    [Fact]
    public async Task ASupportPersonWithoutAReleaseRole_MayNotMakeAReleaseOfInternal()
    {
        await InternalAsync("Bug", "Export crashes on empty rows", "next patch", close: true);

        var refused = await Assert.ThrowsAsync<DomainException>(() => Releases.CreateAsync(new CreateRelease("INT", "5.3.0", "2026-12-01"), _support));

        Assert.Equal(DomainErrorKind.Forbidden, refused.Kind);
    }
}
