using System.Diagnostics.Tracing;
using System.Globalization;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace TicketPortal.BoardMemory;

/// <summary>The managed heap right after a full blocking GC: what survived (live) and what the generations span.</summary>
public sealed record GcHeap(long LiveBytes, long HeapBytes, long Gen2LiveBytes, long LohLiveBytes, long PohLiveBytes, string Reason);

/// <summary>Resident memory of the process from /proc/{pid}/status, in bytes.</summary>
public sealed record Resident(long RssBytes, long AnonBytes)
{
    public static Resident Read(int pid)
    {
        long rss = 0, anon = 0;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = Kilobytes(line);
            }
            else if (line.StartsWith("RssAnon:", StringComparison.Ordinal))
            {
                anon = Kilobytes(line);
            }
        }
        return new Resident(rss, anon);
    }

    private static long Kilobytes(string line) =>
        long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
}

/// <summary>
/// Forces a full blocking GC in another .NET process through its diagnostics port, as dotnet-gcdump does: an EventPipe
/// session that enables the runtime's GCHeapCollect keyword makes the runtime collect at once. The session also carries
/// the GC events, and GCHeapStats after that gen-2 GC tells what survived. Nothing is added to the portal.
/// </summary>
public sealed class HeapProbe(int pid)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public async Task<GcHeap> CollectAsync(CancellationToken ct)
    {
        var client = new DiagnosticsClient(pid);
        var keywords = (long)(ClrTraceEventParser.Keywords.GC | ClrTraceEventParser.Keywords.GCHeapCollect);
        var providers = new[] { new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Informational, keywords) };
        using var session = await client.StartEventPipeSessionAsync(providers, requestRundown: false, circularBufferMB: 16, ct);
        var result = new TaskCompletionSource<GcHeap>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var source = new EventPipeEventSource(session.EventStream);
        GCReason? fullGc = null;
        source.Clr.GCStart += e =>
        {
            if (e.Depth == 2 && e.Type == GCType.NonConcurrentGC)
            {
                fullGc = e.Reason;
            }
        };
        source.Clr.GCHeapStats += e =>
        {
            if (fullGc is { } reason)
            {
                var live = e.TotalPromotedSize0 + e.TotalPromotedSize1 + e.TotalPromotedSize2 + e.TotalPromotedSize3 + e.TotalPromotedSize4;
                result.TrySetResult(new GcHeap(live, e.TotalHeapSize, e.TotalPromotedSize2, e.TotalPromotedSize3, e.TotalPromotedSize4, reason.ToString()));
            }
        };
        var pump = Task.Run(() => source.Process(), CancellationToken.None);
        try
        {
            return await result.Task.WaitAsync(Timeout, ct);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"No full GC in the portal (PID {pid}) within {Timeout.TotalSeconds:F0} s of asking for one.");
        }
        finally
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await session.StopAsync(stop.Token);
                await pump.WaitAsync(stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ServerNotAvailableException or EndOfStreamException or IOException)
            {
                // The session or its reader ended badly; the figures are already in (or the timeout above says why not).
            }
        }
    }
}
