using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TicketPortal.Components.Pages.Releases;
using TicketPortal.Domain.People;
using TicketPortal.Domain.Persistence;
using TicketPortal.Domain.Releases;
using TicketPortal.Domain.Tickets;
using TicketPortal.Tests.Support;

namespace TicketPortal.Tests.Components;

public sealed class ReleaseComponentsTests : PortalComponentContext
{
    private readonly string _docs = Path.Combine(Path.GetTempPath(), "ticketportal-tests", "docs-" + Guid.NewGuid().ToString("N"));
    private Viewer _director = default!;

    private ReleaseService Releases => Services.GetRequiredService<ReleaseService>();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await Database.AddProjectAsync("CHG", "change-board");
        _director = await Database.AddUserAsync("director@test.local", "CHG:it-director", "CHG:operations-director");
        var settings = new DocsSettings { Path = _docs, PortalUrl = "https://portal.test" };
        Services.AddSingleton<IDbContextFactory<PortalDbContext>>(Database);
        Services.AddSingleton(TestDatabase.Catalog);
        Services.AddSingleton(settings);
        Services.AddSingleton<DocsRepository>();
        Services.AddSingleton<ReleaseMail>();
        Services.AddSingleton<ReleaseService>();
        SignIn(_director, "director@test.local");
    }

    /// <summary>A change taken through the board to Release ready, with its release note.</summary>
    private async Task<int> ReadyChangeAsync(string title, string note)
    {
        var number = (await Tickets.CreateAsync(new CreateTicket("CHG", "Change", title, "", null, null), _director)).Number;
        await Tickets.TransitionAsync(number, new TakeTransition("approve", null, new Dictionary<string, string> { ["label"] = "bug" }, null), _director);
        await Tickets.TransitionAsync(number, new TakeTransition("start", null, null, null), _director);
        await Tickets.TransitionAsync(number, new TakeTransition("finish", null, new Dictionary<string, string> { ["releaseNote"] = note, ["uxChange"] = "false" }, null), _director);
        return number;
    }

    [Fact]
    public async Task TheDraftEditor_PreviewsANoteAsItIsTyped_AndSavingKeepsItAsAnOverride()
    {
        var number = await ReadyChangeAsync("Rounding of VAT totals", "VAT is rounded per line.");
        await Releases.CreateAsync(new CreateRelease("CHG", "1.2.0", "2026-12-01"), _director);

        var page = Render<ReleaseEditor>(p => p.Add(x => x.Project, "CHG").Add(x => x.Version, "1.2.0"));
        page.WaitForAssertion(() => Assert.Contains("VAT is rounded per line.", page.Find("[data-testid=release-markdown]").TextContent));
        var note = page.Find($"[data-testid=entry-{number}] textarea");
        note.Input("VAT is rounded per line, as @audit asks.");
        note.Blur();

        page.WaitForAssertion(() => Assert.Contains("VAT is rounded per line, as @audit asks.", page.Find("[data-testid=release-markdown]").TextContent));
        page.Find("[data-testid=save-release]").Click();
        page.WaitForAssertion(async () => Assert.True((await Releases.GetAsync("CHG", "1.2.0", _director)).Tickets.Single().NoteEdited));
        var saved = await Releases.GetAsync("CHG", "1.2.0", _director);
        Assert.Equal("VAT is rounded per line, as @audit asks.", saved.Tickets.Single().Note);
        Assert.Equal("VAT is rounded per line.", saved.Tickets.Single().GeneratedNote);
    }

    [Fact]
    public async Task Publishing_IntoAFolderThatIsNoRepository_ShowsWhy_AndTheReleaseStaysADraft()
    {
        await ReadyChangeAsync("Rounding of VAT totals", "VAT is rounded per line.");
        await Releases.CreateAsync(new CreateRelease("CHG", "1.3.0", "2026-12-01"), _director);
        Directory.CreateDirectory(_docs);
        await File.WriteAllTextAsync(Path.Combine(_docs, "notes.txt"), "not a repository");

        var page = Render<ReleaseEditor>(p => p.Add(x => x.Project, "CHG").Add(x => x.Version, "1.3.0"));
        page.WaitForAssertion(() => page.Find("[data-testid=publish]"));
        page.Find("[data-testid=publish]").Click();

        page.WaitForAssertion(() => Assert.Contains("is not a git repository", page.Find("[data-testid=release-problem]").TextContent));
        Assert.Equal("Draft", (await Releases.GetAsync("CHG", "1.3.0", _director)).State);
        Assert.Empty(page.FindAll("[data-testid=publish-result]"));
    }
}
