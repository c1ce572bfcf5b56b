using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using LibGit2Sharp;
using Microsoft.AspNetCore.Hosting;
using MimeKit;
using TicketPortal.Tests.Support;

namespace TicketPortal.Tests.Api;

/// <summary>The portal publishing to a docs space in a temporary folder, pushed to a bare repository the factory makes.</summary>
public sealed class ReleasesPortalFactory : PortalFactory
{
    private readonly TempFolder _folders = new();

    public ReleasesPortalFactory() => Repository.Init(RemotePath, isBare: true);

    public string DocsPath => _folders.Sub("docs");

    public string RemotePath => _folders.Sub("docs-remote.git");

    public string PickupPath => _folders.Sub("pickup");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Portal:PublicUrl", "https://portal.example.test");
        builder.UseSetting("Portal:Docs:Path", DocsPath);
        builder.UseSetting("Portal:Docs:Remote", RemotePath);
        builder.UseSetting("Portal:Mail:PickupDirectory", PickupPath);
        builder.UseSetting("Portal:Mail:SendInterval", "00:00:00.200");
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        _folders.Dispose();
    }
}

/// <summary>
/// Releases over HTTP. The class shares one portal, so each test uses its own versions and its own release-ready tickets
/// and leaves none of them outside a release; only the first test takes the three that the demo data makes ready.
/// </summary>
public sealed class ReleasesApiTests(ReleasesPortalFactory portal) : IClassFixture<ReleasesPortalFactory>
{
    private const string GoLive = "2026-12-01";
    private static readonly string[] DemoReadyTitles =
        ["Show the cost centre on every invoice line", "VAT total off by a cent on long invoices", "Simpler purchase request form"];

    private HttpClient? _director;

    private async Task<HttpClient> DirectorAsync() => _director ??= await portal.AsAsync("itdirector@demo.local");

    private static async Task<JsonNode> OkAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!;
    }

    private static async Task<JsonNode> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!;
    }

    /// <summary>A CHG change taken the way the change board does: asked by a member, approved with a label, started and finished.</summary>
    private async Task<int> ReadyChangeAsync(string title, string label = "idea", bool ux = false)
    {
        var member = await portal.AsAsync("member@demo.local");
        var director = await DirectorAsync();
        var number = (int)(await OkAsync(await member.PostAsJsonAsync("/api/tickets", new { project = "CHG", tracker = "Change", title, description = "Asked by a test." })))["number"]!;
        await OkAsync(await director.PostAsJsonAsync($"/api/tickets/{number}/transitions", new { transition = "approve", fields = new { label } }));
        await OkAsync(await director.PostAsJsonAsync($"/api/tickets/{number}/transitions", new { transition = "start" }));
        var finished = await OkAsync(await director.PostAsJsonAsync($"/api/tickets/{number}/transitions",
            new { transition = "finish", fields = new { releaseNote = $"Note for {title}.", uxChange = ux } }));
        if (ux)
        {
            var ops = await portal.AsAsync("opsdirector@demo.local");
            foreach (var item in finished["checklist"]!.AsArray())
            {
                await OkAsync(await ops.PatchAsJsonAsync($"/api/tickets/{number}/checklist/{(int)item!["id"]!}", new { done = true }));
            }
        }
        Assert.Equal("Release ready", await StatusAsync(number));
        return number;
    }

    private async Task<JsonNode> TicketAsync(int number) => await OkAsync(await portal.Admin().GetAsync($"/api/tickets/{number}"));

    private async Task<string> StatusAsync(int number) => (string)(await TicketAsync(number))["status"]!;

    private async Task<HttpResponseMessage> CreateAsync(string version, params int[] tickets) =>
        await (await DirectorAsync()).PostAsJsonAsync("/api/releases", new { project = "CHG", version, goLiveDate = GoLive, tickets });

    private async Task<JsonNode> PublishedAsync(string version, params int[] tickets)
    {
        await OkAsync(await CreateAsync(version, tickets));
        return await OkAsync(await (await DirectorAsync()).PostAsync($"/api/releases/CHG/{version}/publish", null));
    }

    private static int[] Numbers(JsonNode release) => [.. release["tickets"]!.AsArray().Select(t => (int)t!["number"]!)];

    private static JsonNode Entry(JsonNode release, int number) => release["tickets"]!.AsArray().Single(t => (int)t!["number"]! == number)!;

    [Fact]
    public async Task Create_WithoutTickets_TakesTheReleaseReadyChanges_AndASecondReleaseFindsNoneLeft()
    {
        var director = await DirectorAsync();
        var candidates = await OkAsync(await director.GetAsync("/api/releases/CHG/candidates"));

        var created = await director.PostAsJsonAsync("/api/releases", new { project = "CHG", version = "1.0.0", goLiveDate = GoLive });
        var release = await OkAsync(created);
        var empty = await director.PostAsJsonAsync("/api/releases", new { project = "CHG", version = "1.0.1", goLiveDate = GoLive });
        var left = await OkAsync(await director.GetAsync("/api/releases/CHG/candidates"));

        Assert.Equal(DemoReadyTitles, candidates.AsArray().Select(c => (string)c!["title"]!));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/api/releases/CHG/1.0.0", created.Headers.Location?.OriginalString);
        Assert.Equal(("Draft", "2026-12-01"), ((string)release["state"]!, (string)release["goLiveDate"]!));
        Assert.Equal(DemoReadyTitles.Order(), release["tickets"]!.AsArray().Select(t => (string)t!["title"]!).Order());
        Assert.Equal([false, false, true], release["tickets"]!.AsArray().Select(t => (bool)t!["uxChange"]!));
        Assert.Equal(["Added", "Fixed", "Added"], release["tickets"]!.AsArray().Select(t => (string)t!["category"]!));
        Assert.Empty(left.AsArray());
        var problem = await ProblemAsync(empty, HttpStatusCode.UnprocessableEntity);
        Assert.Contains("at least one release-ready ticket", (string)problem["detail"]!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1.4", GoLive)]
    [InlineData("01.2.3", GoLive)]
    [InlineData("v1.2.3", GoLive)]
    [InlineData("1.2.3", "01/12/2026")]
    [InlineData("1.2.3", "")]
    public async Task Create_WithAnInvalidVersionOrDate_Answers400(string version, string goLiveDate)
    {
        var director = await DirectorAsync();

        var response = await director.PostAsJsonAsync("/api/releases", new { project = "CHG", version, goLiveDate });

        await ProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Create_WithATakenVersion_Answers409()
    {
        var number = await ReadyChangeAsync("Duplicate version check");
        await OkAsync(await CreateAsync("2.1.0", number));

        var again = await CreateAsync("2.1.0", number);

        var problem = await ProblemAsync(again, HttpStatusCode.Conflict);
        Assert.Contains("2.1.0 is already used", (string)problem["detail"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_WithAChangeThatIsNotReleaseReady_Answers422_NamingIt()
    {
        var member = await portal.AsAsync("member@demo.local");
        var fresh = (int)(await OkAsync(await member.PostAsJsonAsync("/api/tickets", new { project = "CHG", tracker = "Change", title = "Not started yet", description = "New." })))["number"]!;

        var notReady = await CreateAsync("2.2.0", fresh);
        var unknown = await CreateAsync("2.2.0", 999_999);

        var problem = await ProblemAsync(notReady, HttpStatusCode.UnprocessableEntity);
        Assert.Equal($"tickets: #{fresh} is Ticket, not release-ready.", (string)problem["detail"]!);
        var missing = await ProblemAsync(unknown, HttpStatusCode.UnprocessableEntity);
        Assert.Equal("tickets: #999999 does not exist.", (string)missing["detail"]!);
        Assert.Equal(HttpStatusCode.NotFound, (await (await DirectorAsync()).GetAsync("/api/releases/CHG/2.2.0")).StatusCode);
    }

    [Fact]
    public async Task Create_AsAMemberWithoutTheReleaseRole_Answers403()
    {
        var member = await portal.AsAsync("member@demo.local");

        var create = await member.PostAsJsonAsync("/api/releases", new { project = "CHG", version = "2.3.0", goLiveDate = GoLive });
        var candidates = await member.GetAsync("/api/releases/CHG/candidates");

        var problem = await ProblemAsync(create, HttpStatusCode.Forbidden);
        Assert.Contains("it-director", (string)problem["detail"]!, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, candidates.StatusCode);
    }

    [Fact]
    public async Task Put_KeepsANoteOverride_WhenALaterPutChangesOnlyTheName_AndResetIntroGoesBackToTheGeneratedOne()
    {
        var first = await ReadyChangeAsync("Edit the notes: first");
        var second = await ReadyChangeAsync("Edit the notes: second", label: "bug");
        var director = await DirectorAsync();
        var created = await OkAsync(await director.PostAsJsonAsync("/api/releases",
            new { project = "CHG", version = "3.0.0", goLiveDate = GoLive, tickets = new[] { first, second }, intro = "Our own intro." }));

        var noted = await OkAsync(await director.PutAsJsonAsync("/api/releases/CHG/3.0.0", new { notes = new Dictionary<string, string> { [$"{first}"] = "A note written by hand." } }));
        var renamed = await OkAsync(await director.PutAsJsonAsync("/api/releases/CHG/3.0.0", new { name = "Spring" }));
        var stale = await director.PutAsJsonAsync("/api/releases/CHG/3.0.0", new { name = "Too late", revision = (int)created["revision"]! });
        var reset = await OkAsync(await director.PutAsJsonAsync("/api/releases/CHG/3.0.0", new { resetIntro = true }));
        var reloaded = await OkAsync(await director.GetAsync("/api/releases/CHG/3.0.0"));

        Assert.Equal(("Our own intro.", true), ((string)created["intro"]!, (bool)created["introEdited"]!));
        Assert.Equal(("A note written by hand.", true), ((string)Entry(noted, first)["note"]!, (bool)Entry(noted, first)["noteEdited"]!));
        Assert.Equal(("Note for Edit the notes: second.", false), ((string)Entry(noted, second)["note"]!, (bool)Entry(noted, second)["noteEdited"]!));
        Assert.Equal("Spring", (string)renamed["name"]!);
        Assert.Equal(("A note written by hand.", true), ((string)Entry(renamed, first)["note"]!, (bool)Entry(renamed, first)["noteEdited"]!));
        Assert.Equal("Our own intro.", (string)renamed["intro"]!);
        Assert.Contains("A note written by hand.", (string)renamed["markdown"]!, StringComparison.Ordinal);
        Assert.Contains("# 3.0.0 — Spring (2026-12-01)", (string)renamed["markdown"]!, StringComparison.Ordinal);
        await ProblemAsync(stale, HttpStatusCode.Conflict);
        Assert.False((bool)reset["introEdited"]!);
        Assert.Equal((string)reset["generatedIntro"]!, (string)reset["intro"]!);
        Assert.StartsWith("This release of Change board brings 2 changes.", (string)reset["intro"]!, StringComparison.Ordinal);
        Assert.Equal(("Spring", "A note written by hand."), ((string)reloaded["name"]!, (string)Entry(reloaded, first)["note"]!));
        Assert.Equal([first, second], Numbers(reloaded));
    }

    [Fact]
    public async Task Publish_CompletesTheChanges_CommitsAndTagsTheNotes_AndPushesThemToTheRemote()
    {
        var fix = await ReadyChangeAsync("Publish: a fix", label: "bug");
        var idea = await ReadyChangeAsync("Publish: an idea");

        var outcome = await PublishedAsync("4.0.0", fix, idea);
        var listed = await OkAsync(await (await DirectorAsync()).GetAsync("/api/releases?project=CHG"));

        var release = outcome["release"]!;
        var sha = (string)release["commit"]!;
        Assert.Equal(("Published", true, 2), ((string)release["state"]!, (bool)outcome["docsCommitted"]!, (int)outcome["ticketsMoved"]!));
        Assert.Null(outcome["pushError"]);
        Assert.True((int)outcome["mails"]! > 0);
        var summary = listed.AsArray().Single(r => (string)r!["version"]! == "4.0.0")!;
        Assert.Equal(("Published", 2), ((string)summary["state"]!, (int)summary["tickets"]!));
        foreach (var number in new[] { fix, idea })
        {
            var ticket = await TicketAsync(number);
            Assert.Equal(("Complete", "4.0.0"), ((string)ticket["status"]!, (string)ticket["fields"]!["release"]!));
        }
        using var docs = new Repository(portal.DocsPath);
        Assert.Equal(sha, docs.Tags["v4.0.0"].PeeledTarget.Sha);
        Assert.Contains("TicketPortal-Release: CHG 4.0.0", docs.Lookup<Commit>(sha).Message, StringComparison.Ordinal);
        using var remote = new Repository(portal.RemotePath);
        Assert.Equal(sha, remote.Tags["v4.0.0"].PeeledTarget.Sha);
        Assert.Equal(sha, remote.Branches["main"].Tip.Sha);
    }

    [Fact]
    public async Task Publish_Twice_Answers409_AndLeavesTheDocsHeadAlone()
    {
        var number = await ReadyChangeAsync("Publish twice");
        await PublishedAsync("5.0.0", number);
        string headBefore;
        using (var docs = new Repository(portal.DocsPath))
        {
            headBefore = docs.Head.Tip.Sha;
        }

        var again = await (await DirectorAsync()).PostAsync("/api/releases/CHG/5.0.0/publish", null);

        var problem = await ProblemAsync(again, HttpStatusCode.Conflict);
        Assert.Contains("already published", (string)problem["detail"]!, StringComparison.Ordinal);
        using var after = new Repository(portal.DocsPath);
        Assert.Equal(headBefore, after.Head.Tip.Sha);
        Assert.Equal("5.0.0", (string)(await TicketAsync(number))["fields"]!["release"]!);
    }

    [Fact]
    public async Task ReleaseNotesPages_AreAnonymous_ListThePublishedRelease_AndRenderItsHintAsACallout()
    {
        var ux = await ReadyChangeAsync("Pages: a new menu", ux: true);
        await PublishedAsync("6.0.0", ux);
        var anonymous = portal.CreateClient();

        var list = await anonymous.GetAsync("/release-notes");
        var page = await anonymous.GetAsync("/release-notes/6.0.0");
        var unknown = await anonymous.GetAsync("/release-notes/99.99.99");

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Contains("data-testid=\"release-6.0.0\"", await list.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<div class=\"hint hint-warning\" role=\"note\">", html, StringComparison.Ordinal);
        Assert.Contains("Pages: a new menu", html, StringComparison.Ordinal);
        Assert.DoesNotContain("{% hint", html, StringComparison.Ordinal);
        Assert.DoesNotContain("description: \"", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Feed_IsAtom_WithAnEntryForThePublishedRelease()
    {
        var number = await ReadyChangeAsync("Feed: an idea");
        await PublishedAsync("7.0.0", number);

        var response = await portal.CreateClient().GetAsync("/release-notes/feed.xml");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/atom+xml", response.Content.Headers.ContentType?.MediaType);
        var feed = XDocument.Parse(await response.Content.ReadAsStringAsync());
        XNamespace atom = "http://www.w3.org/2005/Atom";
        Assert.Equal(atom + "feed", feed.Root!.Name);
        var entry = Assert.Single(feed.Root.Elements(atom + "entry"), e => (string?)e.Element(atom + "id") == "https://portal.example.test/release-notes/7.0.0");
        Assert.Equal("7.0.0 (2026-12-01)", (string?)entry.Element(atom + "title"));
        Assert.Equal("2026-12-01T00:00:00Z", (string?)entry.Element(atom + "updated"));
        Assert.StartsWith("Change board 7.0.0, live on 2026-12-01: 1 change", (string?)entry.Element(atom + "summary"), StringComparison.Ordinal);
        Assert.Contains("Feed: an idea", (string?)entry.Element(atom + "content"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_MailsEveryone_WithTheVersionInTheSubject_AndTheUserExperienceChangeFirst()
    {
        var idea = await ReadyChangeAsync("Mail: a new report");
        var uxFix = await ReadyChangeAsync("Mail: the menu moves", label: "bug", ux: true);

        var outcome = await PublishedAsync("8.0.0", idea, uxFix);

        var expected = (int)outcome["mails"]!;
        var mails = new List<MimeMessage>();
        await Eventually.HoldsAsync(() =>
        {
            mails = Directory.Exists(portal.PickupPath)
                ? [.. Directory.GetFiles(portal.PickupPath, "*.eml").Select(f => MimeMessage.Load(f)).Where(m => m.Subject?.Contains("Release 8.0.0", StringComparison.Ordinal) == true)]
                : [];
            return Task.FromResult(mails.Count == expected);
        }, $"{expected} mails for 8.0.0 in the pickup directory");
        Assert.Contains(mails, m => m.To.Mailboxes.Any(a => a.Address == "member@demo.local"));
        var mail = mails[0];
        Assert.Equal("[CHG] Release 8.0.0 is live on 2026-12-01", mail.Subject);
        var text = mail.TextBody ?? "";
        var ux = text.IndexOf("Mail: the menu moves", StringComparison.Ordinal);
        Assert.True(ux >= 0 && ux < text.IndexOf("ADDED:", StringComparison.Ordinal) && ux < text.IndexOf("FIXED:", StringComparison.Ordinal), text);
        Assert.True(text.IndexOf("WHAT YOU WILL SEE DIFFERENTLY", StringComparison.Ordinal) < text.IndexOf("ADDED:", StringComparison.Ordinal), text);
        Assert.Contains("https://portal.example.test/release-notes/8.0.0", text, StringComparison.Ordinal);
        Assert.Contains("<div class=\"hint hint-warning\" role=\"note\">", mail.HtmlBody, StringComparison.Ordinal);
    }
}
