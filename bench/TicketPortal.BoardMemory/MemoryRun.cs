using System.Diagnostics;
using System.Globalization;
using TicketPortal.BenchShared;

namespace TicketPortal.BoardMemory;

/// <summary>One measuring point: the portal's memory with this many board pages open.</summary>
public sealed record MemoryPoint(string Label, int Pages, double? ActiveCircuits, double? ConnectedCircuits, double? SignalR,
    long LiveBytes, long HeapBytes, long RssBytes, long AnonBytes, TimeSpan At);

/// <summary>
/// The measurement: tickets for the board, a warm-up board, a baseline, then boards opened step by step with the memory
/// after forced full GCs at each step, a stretch of ticket moves with all boards open, and the memory after they close.
/// </summary>
public sealed class MemoryRun
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(3);

    private readonly MemoryOptions _options;
    private readonly PortalProcess _portal;
    private readonly HeapProbe _heap;
    private readonly MetricsListener _metrics;
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    private MemoryRun(MemoryOptions options, PortalProcess portal, MetricsListener metrics)
    {
        _options = options;
        _portal = portal;
        _heap = new HeapProbe(portal.Id);
        _metrics = metrics;
    }

    public static async Task<int> ExecuteAsync(MemoryOptions options, PortalProcess portal, CancellationToken ct)
    {
        await using var metrics = await MetricsListener.StartAsync(portal.Id, ct);
        return await new MemoryRun(options, portal, metrics).RunAsync(ct);
    }

    private async Task<int> RunAsync(CancellationToken ct)
    {
        using var user = await PortalApi.AsUserAsync(_portal, _options.Email, ct);
        using var reporter = await PortalApi.AsUserAsync(_portal, "member@demo.local", ct);
        using var lead = await PortalApi.AsUserAsync(_portal, "lead@demo.local", ct);
        IPageActivity? moves = _options switch
        {
            { IsQueue: true } => new QueueActivity(user, reporter, lead),
            { IsBoard: true } => new BoardActivity(user, _options.Project),
            _ => null,
        };
        if (moves is not null)
        {
            await moves.PrepareAsync(Math.Max(_options.ExtraTickets, _options.Activity > TimeSpan.Zero ? 2 : 0), ct);
            Log($"Created the tickets for {_options.Path}.");
        }

        await using var browser = await BoardBrowser.LaunchAsync(_options, _portal.Address);
        await browser.SignInAsync();
        Log($"Signed in as {_options.Email}; every board context reuses those cookies.");

        // Warm-up: the first board pays for JIT, Razor and MudBlazor type loading, EF's compiled model and query caches.
        var warmCards = await browser.OpenBoardsAsync(1, ct);
        await browser.CloseAllAsync();
        Log($"Warm-up page {_options.Path} showed {warmCards} cards.");
        var gone = await _metrics.WaitForAsync(MetricsListener.ActiveCircuits, v => v <= 0, _options.CloseWait, ct);
        Log($"Circuits after the warm-up closed: {Show(gone)} active.");

        var points = new List<MemoryPoint> { await MeasureAsync("baseline", 0, ct) };
        // Blazor's circuit counters are sums of changes since listening began, and now and then one is off by one; steps count from here.
        var baselineActive = points[0].ActiveCircuits ?? 0;
        var typesBefore = _options.Types > 0 ? await TypeHistogram.CollectAsync(_portal.Id, ct) : null;
        var cards = 0;
        foreach (var step in _options.Steps)
        {
            var opening = Stopwatch.StartNew();
            cards = await browser.OpenBoardsAsync(step, ct);
            Log($"{step} boards open ({opening.Elapsed.TotalSeconds:F0} s for this step; the last shows {cards} cards).");
            await _metrics.WaitForAsync(MetricsListener.ActiveCircuits, v => v >= baselineActive + step, TimeSpan.FromSeconds(10), ct);
            await Task.Delay(Settle, ct);
            points.Add(await MeasureAsync($"{step} boards", step, ct));
        }

        var typesAfter = typesBefore is null ? null : await TypeHistogram.CollectAsync(_portal.Id, ct);
        if (typesAfter is not null)
        {
            Log($"Heap walks done: {typesBefore!.Values.Sum(t => t.Count):N0} objects at the baseline, {typesAfter.Values.Sum(t => t.Count):N0} with {browser.OpenPages} boards.");
        }

        var activity = _options.Activity > TimeSpan.Zero && moves is not null
            ? await ActivityAsync(moves, browser, ct)
            : null;

        var open = browser.OpenPages;
        await browser.CloseAllAsync();
        var left = await _metrics.WaitForAsync(MetricsListener.ActiveCircuits, v => v <= baselineActive, _options.CloseWait, ct);
        Log($"Closed {open} pages; {Show(left)} circuits still active.");
        var closed = await MeasureAsync("after close", 0, ct);
        var typesClosed = typesBefore is null ? null : await TypeHistogram.CollectAsync(_portal.Id, ct);

        Report.Print(_options, _portal, points, activity, closed, cards);
        if (typesBefore is not null && typesAfter is not null)
        {
            TypeHistogram.PrintGrowth(typesBefore, typesAfter, points[^1].Pages, _options.Types, _options.TypesFile);
            TypeHistogram.PrintLeftovers(typesBefore, typesClosed!, Math.Min(_options.Types, 15));
        }
        foreach (var error in _metrics.Errors)
        {
            Console.WriteLine($"metrics source: {error}");
        }
        return activity is { Missed: > 0 } ? 1 : 0;
    }

    /// <summary>
    /// Ticket moves while every page is open. Each move refreshes every page; the next one waits until every page shows it (or <see cref="MemoryOptions.RefreshTimeout"/> passes) and then a pause, so the
    /// memory samples are taken with the boards caught up rather than with a backlog of render batches.
    /// </summary>
    private async Task<Activity> ActivityAsync(IPageActivity moves, BoardBrowser browser, CancellationToken ct)
    {
        var samples = new List<MemoryPoint> { await MeasureAsync("activity 0 s", browser.OpenPages, ct, samplesPerPoint: 1) };
        var started = Stopwatch.StartNew();
        var nextSample = _options.SampleEvery;
        var refreshes = new List<double>();
        var missed = 0;
        while (started.Elapsed < _options.Activity)
        {
            var sent = Stopwatch.StartNew();
            var expected = await moves.MoveAsync(refreshes.Count, ct);
            var shown = await Task.WhenAll(browser.Pages.Select(p => BoardBrowser.ShowsAsync(p, expected, _options.RefreshTimeout)));
            refreshes.Add(sent.Elapsed.TotalMilliseconds);
            missed += shown.Count(s => !s);
            if (refreshes.Count == 1 && !shown.Any(s => s))
            {
                throw new InvalidOperationException($"No page showed {expected.Description} within {_options.RefreshTimeout.TotalSeconds:F0} s: boards do not refresh.");
            }
            await Task.Delay(_options.ChangeEvery, ct);
            if (started.Elapsed >= nextSample)
            {
                samples.Add(await MeasureAsync($"activity {started.Elapsed.TotalSeconds:F0} s", browser.OpenPages, ct, samplesPerPoint: 1));
                nextSample += _options.SampleEvery;
            }
        }
        refreshes.Sort();
        Log($"{refreshes.Count} changes in {started.Elapsed.TotalSeconds:F0} s; every board showed each change after (request sent → last board) " +
            $"p50 {refreshes[refreshes.Count / 2] / 1000:F1} s, max {refreshes[^1] / 1000:F1} s; {missed} board refreshes missed the {_options.RefreshTimeout.TotalSeconds:F0} s limit.");
        samples.Add(await MeasureAsync("activity end", browser.OpenPages, ct));
        return new Activity(refreshes.Count, started.Elapsed, missed, refreshes[refreshes.Count / 2], refreshes[^1], samples);
    }

    private async Task<MemoryPoint> MeasureAsync(string label, int pages, CancellationToken ct, int? samplesPerPoint = null)
    {
        if (_portal.HasExited)
        {
            throw new InvalidOperationException($"The portal exited:{Environment.NewLine}{_portal.Tail()}");
        }
        var heaps = new List<GcHeap>();
        var resident = new List<Resident>();
        for (var i = 0; i < (samplesPerPoint ?? _options.GcSamples); i++)
        {
            heaps.Add(await _heap.CollectAsync(ct));
            // Finalizers run and the GC decommits after the collection; RSS is read a moment later.
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
            resident.Add(Resident.Read(_portal.Id));
        }
        var point = new MemoryPoint(label, pages,
            _metrics.Value(MetricsListener.ActiveCircuits), _metrics.Value(MetricsListener.ConnectedCircuits), _metrics.Value(MetricsListener.SignalRConnections),
            Median(heaps.Select(h => h.LiveBytes)), Median(heaps.Select(h => h.HeapBytes)),
            Median(resident.Select(r => r.RssBytes)), Median(resident.Select(r => r.AnonBytes)), _clock.Elapsed);
        Log($"{label}: live {Report.Mb(point.LiveBytes)}, heap {Report.Mb(point.HeapBytes)}, RSS {Report.Mb(point.RssBytes)} " +
            $"(anon {Report.Mb(point.AnonBytes)}); circuits {Show(point.ActiveCircuits)} active, {Show(point.ConnectedCircuits)} connected; " +
            $"GC reason {heaps[^1].Reason}; LOH {Report.Mb(heaps[^1].LohLiveBytes)}, POH {Report.Mb(heaps[^1].PohLiveBytes)}; live per GC: {string.Join(" / ", heaps.Select(h => Report.Mb(h.LiveBytes)))}");
        return point;
    }

    private static long Median(IEnumerable<long> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string Show(double? value) => value?.ToString("F0", CultureInfo.InvariantCulture) ?? "n/a";

    private void Log(string text) => Console.WriteLine($"[{_clock.Elapsed.TotalSeconds,6:F1} s] {text}");
}

/// <summary>The stretch with all boards open: how many changes, how many boards missed the last one, and the memory over time.</summary>
public sealed record Activity(int Changes, TimeSpan Duration, int Missed, double RefreshP50Ms, double RefreshMaxMs, IReadOnlyList<MemoryPoint> Samples);
