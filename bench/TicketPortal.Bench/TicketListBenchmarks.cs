using BenchmarkDotNet.Attributes;
using Microsoft.EntityFrameworkCore;
using TicketPortal.Domain.People;
using TicketPortal.Domain.Tickets;

namespace TicketPortal.Bench;

/// <summary>The ticket list as the portal runs it: one fresh context per request against a 100,000-ticket SQLite file.</summary>
[Config(typeof(BenchConfig))]
public class TicketListBenchmarks
{
    public static readonly TicketQuery InProgressNewestFirst =
        new(Project: BenchDatabase.ProjectKey, Status: "In progress", Sort: "-updatedAt", Page: 1, PageSize: 50);

    private const int LookedUpNumber = BenchDatabase.TicketCount / 2;

    private BenchDatabase _database = null!;
    private Access _access = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _database = await BenchDatabase.CreateAsync();
        _access = await _database.LoadViewerAccessAsync();
        var page = await ListInProgress();
        var expected = _database.CountByStatus["In progress"];
        if (page.Total != expected || page.Items.Count != InProgressNewestFirst.PageSize || page.Items.Any(i => i.Status != "In progress"))
        {
            throw new InvalidOperationException($"The list query returned {page.Total} tickets ({page.Items.Count} on the page); expected {expected}.");
        }
        Console.WriteLine($"// Seeded {BenchDatabase.TicketCount} tickets in {_database.SeedTime.TotalSeconds:F1} s; "
            + string.Join(", ", _database.CountByStatus.Select(s => $"{s.Key}: {s.Value}")));
    }

    [GlobalCleanup]
    public void Cleanup() => _database.Dispose();

    [Benchmark(Baseline = true)]
    public async Task<int> TicketByNumber()
    {
        await using var db = await _database.Contexts.CreateDbContextAsync();
        return await db.Tickets.AsNoTracking().Where(t => t.Number == LookedUpNumber).Select(t => t.Id).SingleAsync();
    }

    [Benchmark]
    public async Task<TicketListResult> ListInProgress()
    {
        await using var db = await _database.Contexts.CreateDbContextAsync();
        return await TicketListQuery.RunAsync(db, _database.Catalog, _access, InProgressNewestFirst, CancellationToken.None);
    }
}
