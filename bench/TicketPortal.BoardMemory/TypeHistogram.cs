using System.Diagnostics.Tracing;
using System.Globalization;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace TicketPortal.BoardMemory;

/// <summary>Live objects of one type: their bytes and how many there are.</summary>
public sealed record TypeTotal(string Type, long Bytes, long Count);

/// <summary>
/// A histogram of the live objects by type, made the way dotnet-gcdump makes its heap snapshot: the runtime's
/// GCHeapCollect keyword forces a full GC, and with GCHeapDump and Type it walks the heap during that GC and sends every
/// object (address, size, type) and every type's name. Only the sizes per type are kept, not the reference graph.
/// </summary>
public static class TypeHistogram
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    public static async Task<IReadOnlyDictionary<string, TypeTotal>> CollectAsync(int pid, CancellationToken ct)
    {
        var keywords = (long)(ClrTraceEventParser.Keywords.GC | ClrTraceEventParser.Keywords.GCHeapCollect | ClrTraceEventParser.Keywords.GCHeapDump
            | ClrTraceEventParser.Keywords.Type | ClrTraceEventParser.Keywords.GCHeapAndTypeNames);
        var providers = new[] { new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Verbose, keywords) };
        using var session = await new DiagnosticsClient(pid).StartEventPipeSessionAsync(providers, requestRundown: false, circularBufferMB: 512, ct);
        using var source = new EventPipeEventSource(session.EventStream);
        var bytesByType = new Dictionary<ulong, (long Bytes, long Count)>();
        var types = new Dictionary<ulong, (string Name, ulong[] Arguments)>();
        var fullGc = -1;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        source.Clr.GCStart += e =>
        {
            if (fullGc < 0 && e.Depth == 2 && e.Type == GCType.NonConcurrentGC)
            {
                fullGc = e.Count;
            }
        };
        source.Clr.GCStop += e =>
        {
            if (e.Count == fullGc)
            {
                done.TrySetResult();
            }
        };
        source.Clr.GCBulkNode += e =>
        {
            for (var i = 0; i < e.Count; i++)
            {
                var node = e.Values(i);
                bytesByType[node.TypeID] = bytesByType.TryGetValue(node.TypeID, out var total)
                    ? (total.Bytes + (long)node.Size, total.Count + 1)
                    : ((long)node.Size, 1);
            }
        };
        source.Clr.TypeBulkType += e =>
        {
            for (var i = 0; i < e.Count; i++)
            {
                var type = e.Values(i);
                var arguments = Enumerable.Range(0, type.TypeParameterCount).Select(type.TypeParameterID).ToArray();
                types[type.TypeID] = (type.TypeName, arguments);
            }
        };
        var pump = Task.Run(() => source.Process(), CancellationToken.None);
        try
        {
            await done.Task.WaitAsync(Timeout, ct);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"No heap walk from the portal (PID {pid}) within {Timeout.TotalSeconds:F0} s.");
        }
        // Type names can trail the GC's end; stopping the session flushes them, and the reader ends with the stream.
        using (var stop = new CancellationTokenSource(Timeout))
        {
            await session.StopAsync(stop.Token);
            await pump.WaitAsync(stop.Token);
        }
        return bytesByType
            .Select(t => new TypeTotal(Name(t.Key, 0), t.Value.Bytes, t.Value.Count))
            .GroupBy(t => t.Type, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => new TypeTotal(g.Key, g.Sum(t => t.Bytes), g.Sum(t => t.Count)), StringComparer.Ordinal);

        string Name(ulong id, int depth)
        {
            if (!types.TryGetValue(id, out var type))
            {
                return $"type 0x{id:x}";
            }
            // Arrays and the runtime's own "Entry[K,V][]" names already say their element; only `n generics need their arguments.
            var tick = type.Name.IndexOf('`', StringComparison.Ordinal);
            var bracket = type.Name.IndexOf('[', StringComparison.Ordinal);
            return type.Arguments.Length == 0 || depth > 2 || tick < 0 || (bracket >= 0 && bracket < tick)
                ? type.Name
                : $"{type.Name[..tick]}<{string.Join(", ", type.Arguments.Select(a => Name(a, depth + 1)))}>";
        }
    }

    /// <summary>What is still there after every page closed, against the baseline: a leak would scale with the boards opened.</summary>
    public static void PrintLeftovers(IReadOnlyDictionary<string, TypeTotal> before, IReadOnlyDictionary<string, TypeTotal> after, int top)
    {
        var rows = after.Values
            .Select(a => (a.Type, Bytes: a.Bytes - (before.TryGetValue(a.Type, out var b) ? b.Bytes : 0), Count: a.Count - (before.TryGetValue(a.Type, out var c) ? c.Count : 0)))
            .OrderByDescending(r => r.Bytes)
            .ToList();
        var total = after.Values.Sum(a => a.Bytes) - before.Values.Sum(b => b.Bytes);
        var states = rows.FirstOrDefault(r => r.Type == "Microsoft.AspNetCore.Components.Server.Circuits.RemoteComponentState").Count;
        Console.WriteLine();
        Console.WriteLine($"Left after every page closed, against the baseline (heap walk): {Report.Kb(total)} in all; {states} components still alive.");
        Console.WriteLine("| type | bytes | objects |");
        Console.WriteLine("|---|---:|---:|");
        foreach (var (type, bytes, count) in rows.Take(top))
        {
            Console.WriteLine($"| `{type}` | {Report.Kb(bytes)} | {count} |");
        }
    }

    /// <summary>Razor components: MudBlazor's, the portal's and the framework's own (layout, routing, authorization).</summary>
    private static bool IsComponent(string type) =>
        (type.StartsWith("MudBlazor.Mud", StringComparison.Ordinal) && !type.StartsWith("MudBlazor.MudColor", StringComparison.Ordinal))
        || type.StartsWith("TicketPortal.Components.", StringComparison.Ordinal)
        || type is "Microsoft.AspNetCore.Components.Routing.Router" or "Microsoft.AspNetCore.Components.RouteView"
            or "Microsoft.AspNetCore.Components.LayoutView" or "Microsoft.AspNetCore.Components.CascadingValue`1"
            or "Microsoft.AspNetCore.Components.Authorization.AuthorizeView";

    private static string ShortName(string type) => type.Split('<')[0].Split('.')[^1];

    /// <summary>The types that grew most from one snapshot to the other, per board opened in between.</summary>
    public static void PrintGrowth(IReadOnlyDictionary<string, TypeTotal> before, IReadOnlyDictionary<string, TypeTotal> after, int boards, int top, string? file)
    {
        var rows = after.Values
            .Select(a => (a.Type, Bytes: a.Bytes - (before.TryGetValue(a.Type, out var b) ? b.Bytes : 0), Count: a.Count - (before.TryGetValue(a.Type, out var c) ? c.Count : 0)))
            .OrderByDescending(r => r.Bytes)
            .ToList();
        var grown = rows.Where(r => r.Bytes > 0).Sum(r => r.Bytes);
        var total = after.Values.Sum(a => a.Bytes) - before.Values.Sum(b => b.Bytes);
        Console.WriteLine();
        Console.WriteLine($"Live objects by type, growth per board over {boards} boards (heap walk: {Report.Kb((double)total / boards)} per board in all):");
        Console.WriteLine("| type | bytes per board | objects per board | share |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach (var (type, bytes, count) in rows.Take(top))
        {
            Console.WriteLine($"| `{type}` | {Report.Kb((double)bytes / boards)} | {(double)count / boards:F1} | {100.0 * bytes / grown:F1}% |");
        }
        var components = rows.Where(r => IsComponent(r.Type) && r.Count > 0).ToList();
        Console.WriteLine();
        var states = rows.FirstOrDefault(r => r.Type == "Microsoft.AspNetCore.Components.Server.Circuits.RemoteComponentState").Count;
        Console.WriteLine($"Components per board: {(double)states / boards:F1} (one RemoteComponentState each); by type: " +
            string.Join(", ", components.OrderByDescending(r => r.Count).Take(12).Select(r => $"{ShortName(r.Type)} {(double)r.Count / boards:F1}")) + ", …");
        if (file is not null)
        {
            File.WriteAllLines(file, rows.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Bytes}\t{r.Count}\t{(double)r.Bytes / boards:F0}\t{(double)r.Count / boards:F2}\t{r.Type}"))
                .Prepend("bytes\tobjects\tbytes_per_board\tobjects_per_board\ttype"));
            Console.WriteLine($"Every type's growth: {file}");
        }
    }
}
