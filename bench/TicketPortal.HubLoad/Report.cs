using System.Diagnostics;
using TicketPortal.BenchShared;

namespace TicketPortal.HubLoad;

/// <summary>Latency distributions over every (change, client) delivery, and the counts that say whether all arrived.</summary>
public sealed class Report
{
    private const double TargetP95Milliseconds = 50;

    private Report(int changes, int clients, long delivered, int duplicates, int unclaimed, int dropped, int timedOut,
        IReadOnlyList<(string Name, double[] Values)> rows)
    {
        Changes = changes;
        Clients = clients;
        Delivered = delivered;
        Duplicates = duplicates;
        Unclaimed = unclaimed;
        Dropped = dropped;
        TimedOut = timedOut;
        Rows = rows;
    }

    public int Changes { get; }
    public int Clients { get; }
    public long Expected => (long)Changes * Clients;
    public long Delivered { get; }
    public int Duplicates { get; }
    public int Unclaimed { get; }
    public int Dropped { get; }
    public int TimedOut { get; }
    public IReadOnlyList<(string Name, double[] Values)> Rows { get; }
    public bool AllDelivered => Delivered == Expected && Duplicates == 0 && Dropped == 0;

    /// <summary>Statistics over <paramref name="changes"/>; receipts of <paramref name="warmUp"/> changes are expected, but not counted.</summary>
    public static Report From(IReadOnlyList<Change> changes, IReadOnlyList<Change> warmUp, DeliveryLog log, int dropped)
    {
        var latency = new List<double>();
        var afterResponse = new List<double>();
        var request = new List<double>();
        var first = new List<double>();
        var fanOut = new List<double>();
        foreach (var change in changes)
        {
            var received = change.Receipts.At.Where(at => at != 0).ToList();
            request.Add(Milliseconds(change.Sent, change.Answered));
            latency.AddRange(received.Select(at => Milliseconds(change.Sent, at)));
            afterResponse.AddRange(received.Select(at => Milliseconds(change.Answered, at)));
            if (received.Count > 0)
            {
                first.Add(Milliseconds(change.Sent, received.Min()));
                fanOut.Add(Milliseconds(received.Min(), received.Max()));
            }
        }
        return new Report(changes.Count, log.Clients, changes.Sum(c => (long)c.Receipts.Count), log.Duplicates,
            log.Unclaimed(changes.Concat(warmUp).Select(c => (c.Number, c.Version))), dropped, changes.Count(c => c.TimedOut),
            [
                ("delivery: receipt − request sent (all deliveries)", [.. latency]),
                ("server side: receipt − response received (< 0: before the response)", [.. afterResponse]),
                ("HTTP note request: response − sent (per change)", [.. request]),
                ("first client: first receipt − request sent (per change)", [.. first]),
                ("fan-out: last − first receipt (per change)", [.. fanOut]),
            ]);
    }

    public void Print(TextWriter output, LoadOptions options, string loadBefore, string loadAfter)
    {
        output.WriteLine();
        output.WriteLine($"Machine: {Machine.Describe()}; load average before {loadBefore}, after {loadAfter}");
        output.WriteLine($"Deliveries: {Delivered:N0} of {Expected:N0} ({Changes} changes × {Clients} clients)"
            + $"{(AllDelivered ? ", all arrived" : ", NOT all arrived")}; duplicates {Duplicates}, dropped connections {Dropped}, "
            + $"changes not fully delivered within {options.DeliveryTimeout.TotalSeconds:F0} s: {TimedOut}, messages for other changes: {Unclaimed}");
        output.WriteLine();
        output.WriteLine("| ms | n | p50 | p95 | p99 | max |");
        output.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var (name, values) in Rows)
        {
            Array.Sort(values);
            output.WriteLine($"| {name} | {values.Length:N0} | {Percentile.Of(values, 50):F1} | {Percentile.Of(values, 95):F1} | "
                + $"{Percentile.Of(values, 99):F1} | {(values.Length == 0 ? double.NaN : values[^1]):F1} |");
        }
        var p95 = Percentile.Of(Rows[0].Values, 95);
        output.WriteLine();
        output.WriteLine($"Target p95 < {TargetP95Milliseconds} ms: {(p95 < TargetP95Milliseconds ? "holds" : "MISSED")} (p95 {p95:F1} ms)");
    }

    private static double Milliseconds(long from, long to) => (to - from) * 1000.0 / Stopwatch.Frequency;
}
