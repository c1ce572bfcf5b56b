using System.Globalization;
using TicketPortal.BenchShared;

namespace TicketPortal.BoardMemory;

/// <summary>Prints the figures: memory per open board from each step against the baseline and the step before, and growth over time.</summary>
public static class Report
{
    public const long TargetBytes = 300 * 1024;

    public static string Mb(long bytes) => (bytes / 1024.0 / 1024.0).ToString("F1", CultureInfo.InvariantCulture) + " MB";

    public static string Kb(double bytes) => (bytes / 1024.0).ToString("F0", CultureInfo.InvariantCulture) + " KB";

    public static void Print(MemoryOptions options, PortalProcess portal, IReadOnlyList<MemoryPoint> points, Activity? activity, MemoryPoint closed, int cards)
    {
        Console.WriteLine();
        Console.WriteLine($"Machine: {Machine.Describe()}; load average {Machine.LoadAverage()}");
        Console.WriteLine($"Portal: {options.Portal} (PID {portal.Id}), environment {options.Environment}, " +
            $"GC {GcMode(options)}; page {options.Path} with {cards} cards, signed in as {options.Email}");
        Console.WriteLine();
        Console.WriteLine("| point | boards | circuits active | live heap after full GC | GC heap size | RSS | RSS anon |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var p in points.Append(closed))
        {
            Console.WriteLine($"| {p.Label} | {p.Pages} | {Show(p.ActiveCircuits)} | {Mb(p.LiveBytes)} | {Mb(p.HeapBytes)} | {Mb(p.RssBytes)} | {Mb(p.AnonBytes)} |");
        }
        Console.WriteLine();
        Console.WriteLine("Per open board (Δ memory / Δ boards):");
        Console.WriteLine("| from → to | Δ boards | Δ circuits | live heap per board | GC heap size per board | RSS per board | RSS anon per board |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        var baseline = points[0];
        var verdicts = new List<double>();
        for (var i = 1; i < points.Count; i++)
        {
            var live = Row(baseline, points[i]);
            verdicts.Add(live);
            if (i > 1)
            {
                Row(points[i - 1], points[i]);
            }
        }
        var worst = verdicts.Count == 0 ? 0 : verdicts.Max();
        Console.WriteLine();
        Console.WriteLine($"Target: under {Kb(TargetBytes)} per circuit on the managed heap. " +
            $"{(worst < TargetBytes ? "It holds" : "It misses")}: {Kb(worst)} per board at most (from the baseline).");

        if (activity is not null)
        {
            Console.WriteLine();
            Console.WriteLine($"Activity: {activity.Changes} ticket moves in {activity.Duration.TotalSeconds:F0} s with {activity.Samples[0].Pages} boards open; " +
                $"all boards showed a move after p50 {activity.RefreshP50Ms / 1000:F1} s, max {activity.RefreshMaxMs / 1000:F1} s; {activity.Missed} board refreshes missed the limit.");
            Console.WriteLine("| sample | live heap | GC heap size | RSS | circuits active |");
            Console.WriteLine("|---|---:|---:|---:|---:|");
            foreach (var s in activity.Samples)
            {
                Console.WriteLine($"| {s.Label} | {Mb(s.LiveBytes)} | {Mb(s.HeapBytes)} | {Mb(s.RssBytes)} | {Show(s.ActiveCircuits)} |");
            }
            var first = activity.Samples[0];
            var last = activity.Samples[^1];
            Console.WriteLine($"Growth over the activity: live {Signed(last.LiveBytes - first.LiveBytes)} ({Signed(Slope(activity.Samples, p => p.LiveBytes))}/min fitted), " +
                $"RSS {Signed(last.RssBytes - first.RssBytes)} ({Signed(Slope(activity.Samples, p => p.RssBytes))}/min fitted).");
            if (activity.Samples.Count >= 4)
            {
                // The first moves fill the shared array pools (render batches, SignalR buffers) once; growth after that is what would leak.
                var rest = activity.Samples.Skip(1).ToList();
                Console.WriteLine($"From the second sample ({rest[0].Label}) on: live {Signed(last.LiveBytes - rest[0].LiveBytes)} ({Signed(Slope(rest, p => p.LiveBytes))}/min fitted), " +
                    $"RSS {Signed(last.RssBytes - rest[0].RssBytes)} ({Signed(Slope(rest, p => p.RssBytes))}/min fitted).");
            }
        }
        Console.WriteLine();
        Console.WriteLine($"After closing every board: live {Mb(closed.LiveBytes)} ({Signed(closed.LiveBytes - baseline.LiveBytes)} against the baseline), " +
            $"RSS {Mb(closed.RssBytes)} ({Signed(closed.RssBytes - baseline.RssBytes)}); circuits active {Show(closed.ActiveCircuits)}.");
    }

    private static double Row(MemoryPoint from, MemoryPoint to)
    {
        var boards = to.Pages - from.Pages;
        var circuits = to.ActiveCircuits - from.ActiveCircuits;
        double Per(long delta) => (double)delta / boards;
        var live = Per(to.LiveBytes - from.LiveBytes);
        Console.WriteLine($"| {from.Label} → {to.Label} | {boards} | {Show(circuits)} | **{Kb(live)}** | {Kb(Per(to.HeapBytes - from.HeapBytes))} | " +
            $"{Kb(Per(to.RssBytes - from.RssBytes))} | {Kb(Per(to.AnonBytes - from.AnonBytes))} |");
        return live;
    }

    /// <summary>Least-squares slope in bytes per minute.</summary>
    private static double Slope(IReadOnlyList<MemoryPoint> samples, Func<MemoryPoint, long> value)
    {
        if (samples.Count < 2)
        {
            return 0;
        }
        var xs = samples.Select(s => s.At.TotalMinutes).ToList();
        var ys = samples.Select(s => (double)value(s)).ToList();
        var mx = xs.Average();
        var my = ys.Average();
        var num = xs.Zip(ys).Sum(p => (p.First - mx) * (p.Second - my));
        var den = xs.Sum(x => (x - mx) * (x - mx));
        return den == 0 ? 0 : num / den;
    }

    private static string Signed(double bytes) => (bytes >= 0 ? "+" : "−") + Kb(Math.Abs(bytes));

    private static string Show(double? value) => value?.ToString("F0", CultureInfo.InvariantCulture) ?? "n/a";

    private static string GcMode(MemoryOptions options) =>
        options.PortalEnvironment.FirstOrDefault(e => e.Key is "DOTNET_gcServer").Value switch
        {
            "0" => "workstation (DOTNET_gcServer=0)",
            "1" => "server (DOTNET_gcServer=1)",
            _ => "as in TicketPortal.runtimeconfig.json (the Web SDK's server GC)",
        } + (options.PortalEnvironment.Any(e => e.Key is "DOTNET_GCgen0size" or "DOTNET_GCConserveMemory" or "DOTNET_GCHeapCount")
            ? " with " + string.Join(", ", options.PortalEnvironment.Where(e => e.Key.StartsWith("DOTNET_GC", StringComparison.Ordinal)).Select(e => $"{e.Key}={e.Value}"))
            : "");
}
