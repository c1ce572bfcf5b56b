using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TicketPortal.BenchShared;
using TicketPortal.Domain;
using TicketPortal.Domain.Releases;
using TicketPortal.Domain.Tickets;

namespace TicketPortal.Bench;

/// <summary>A docs space holding 200 release pages, made through the portal's own docs repository code.</summary>
internal static class DocsFixture
{
    public const int ExistingReleases = 200;

    public static DocsSettings Settings(string directory) => new() { Path = Path.Combine(directory, "docs"), PortalUrl = "https://portal.example.test" };

    public static async Task FillAsync(DocsRepository docs)
    {
        for (var i = 1; i <= ExistingReleases; i++)
        {
            var version = SemanticVersion.Parse($"0.{i}.0");
            var notes = Notes(version, 20);
            await docs.PublishAsync(new DocsPublication("CHG", "Change board", version, notes.GoLiveDate, ReleaseNotesWriter.Write(notes),
                "IT Director", "director@example.test", DateTimeOffset.UnixEpoch.AddDays(i)), CancellationToken.None);
        }
    }

    public static ReleaseNotesInput Notes(SemanticVersion version, int tickets) =>
        new("CHG", "Change board", version, "Bench", new DateOnly(2026, 1, 1).AddDays(version.Minor), "Changes batched by the bench.",
            Enumerable.Range(1, tickets).Select(n => new ReleaseNoteEntry(n, $"Change {n} to the #{n % 7} @team setup",
                $"What changed for **{n}**, in one line.", (ChangeCategory)(n % 6), n % 10 == 0, $"https://portal.example.test/tickets/{n}")).ToList(),
            ["Developer 1", "Developer 2", "IT Director"]);
}

/// <summary>
/// Publishing a draft of 1,000 release-ready tickets (of a 100,000-ticket project) into a docs space that already holds
/// 200 releases: the docs commit and tag, then the tickets completed and stamped and the mails queued, in one transaction.
/// Each measured publish gets a fresh draft of the next 1,000 tickets, made before the clock starts.
/// </summary>
[Config(typeof(PublishConfig))]
public class ReleasePublishBenchmarks
{
    public const int TicketsPerRelease = 1_000;

    private BenchDatabase _database = null!;
    private ServiceProvider _services = null!;
    private ReleaseService _releases = null!;
    private List<int> _ready = [];
    private int _next;
    private string _version = "";

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _database = await BenchDatabase.CreateAsync();
        var collection = PortalDatabase.Services(_database.DataDirectory);
        collection.AddPortalReleases(DocsFixture.Settings(_database.DataDirectory));
        collection.AddSingleton<ITicketEvents, NoEvents>();
        _services = collection.BuildServiceProvider();
        _releases = _services.GetRequiredService<ReleaseService>();
        await DocsFixture.FillAsync(_services.GetRequiredService<DocsRepository>());
        await using var db = await _database.Contexts.CreateDbContextAsync();
        _ready = await db.Tickets.AsNoTracking().Where(t => t.Status == "Release ready").OrderBy(t => t.Number).Select(t => t.Number).ToListAsync();
        Console.WriteLine($"// {_ready.Count} release-ready tickets; docs space with {DocsFixture.ExistingReleases} releases at {DocsFixture.Settings(_database.DataDirectory).Path}");
    }

    [IterationSetup]
    public void MakeDraft()
    {
        _next++;
        _version = $"1.{_next}.0";
        var tickets = _ready.Skip((_next - 1) * TicketsPerRelease).Take(TicketsPerRelease).ToList();
        if (tickets.Count < TicketsPerRelease)
        {
            throw new InvalidOperationException($"Only {tickets.Count} release-ready tickets left for {_version}.");
        }
        _releases.CreateAsync(new CreateRelease(BenchDatabase.ProjectKey, _version, "2026-12-01", Tickets: tickets), _database.Viewer).GetAwaiter().GetResult();
    }

    /// <summary>Three measured publishes after one warm-up, each on a fresh draft: a publish cannot be repeated.</summary>
    private sealed class PublishConfig : ManualConfig
    {
        public PublishConfig()
        {
            AddJob(Job.Default.WithStrategy(RunStrategy.Monitoring).WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(3).WithInvocationCount(1).WithUnrollFactor(1).WithId("Publish"));
            AddColumn(StatisticColumn.Median, StatisticColumn.Max);
            AddLogger(BenchmarkDotNet.Loggers.ConsoleLogger.Default);
            AddColumnProvider(BenchmarkDotNet.Columns.DefaultColumnProviders.Instance);
            AddExporter(BenchmarkDotNet.Exporters.MarkdownExporter.GitHub);
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _services.Dispose();
        _database.Dispose();
    }

    [Benchmark]
    public async Task<int> Publish1000Tickets()
    {
        var outcome = await _releases.PublishAsync(BenchDatabase.ProjectKey, _version, _database.Viewer);
        return outcome.Release.Tickets.Count == TicketsPerRelease && outcome.DocsCommitted
            ? outcome.TicketsMoved
            : throw new InvalidOperationException($"Publishing {_version} did not complete {TicketsPerRelease} tickets.");
    }
}

/// <summary>
/// Rendering a release page of 1,000 entries from a docs space of 200 releases: from the repository (the first request
/// after a commit) and from the cache, against plain CommonMark of the same Markdown in the same run.
/// </summary>
[Config(typeof(BenchConfig))]
public class ReleasePageBenchmarks
{
    private const string Version = "1.0.0";

    private string _directory = "";
    private DocsSettings _settings = null!;
    private DocsRepository _docs = null!;
    private ReleasePages _cached = null!;
    private readonly MarkdownRenderer _markdown = new();
    private string _page = "";

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _directory = Path.Combine(Path.GetTempPath(), "ticketportal-pages-" + Guid.NewGuid().ToString("N")[..12]);
        _settings = DocsFixture.Settings(_directory);
        _docs = new DocsRepository(_settings, TimeProvider.System);
        await DocsFixture.FillAsync(_docs);
        var notes = DocsFixture.Notes(SemanticVersion.Parse(Version), 1_000);
        _page = ReleaseNotesWriter.Write(notes);
        await _docs.PublishAsync(new DocsPublication("CHG", "Change board", notes.Version, notes.GoLiveDate, _page, "IT Director", "director@example.test", DateTimeOffset.UnixEpoch), CancellationToken.None);
        _cached = new ReleasePages(_docs, _settings, _markdown);
        Console.WriteLine($"// Page of {_page.Length:N0} characters; {_cached.List().Count} releases in the space");
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_directory, recursive: true);

    [Benchmark(Baseline = true)]
    public string CommonMarkOnly() => _markdown.ToHtml(_page);

    [Benchmark]
    public string GitBookRender() => _markdown.GitBookToHtml(_page);

    [Benchmark]
    public string PageFromRepository() => new ReleasePages(_docs, _settings, _markdown).Page(Version)!.Value.Html;

    [Benchmark]
    public string PageCached() => _cached.Page(Version)!.Value.Html;
}
