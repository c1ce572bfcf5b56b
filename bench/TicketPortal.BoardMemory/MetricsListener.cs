using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Globalization;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;

namespace TicketPortal.BoardMemory;

/// <summary>
/// Reads the portal's own meters over EventPipe (what dotnet-counters does): Blazor's circuit counts, SignalR's and
/// Kestrel's connections. Their instruments are up-down counters whose published value is the sum of the changes
/// since listening began, so the session starts before any browser connects and stays open for the whole run.
/// </summary>
public sealed class MetricsListener : IAsyncDisposable
{
    public const string ActiveCircuits = "aspnetcore.components.circuit.active";
    public const string ConnectedCircuits = "aspnetcore.components.circuit.connected";
    public const string SignalRConnections = "signalr.server.active_connections";
    public const string KestrelConnections = "kestrel.active_connections";

    private static readonly string[] Meters =
    [
        "Microsoft.AspNetCore.Components.Server.Circuits",
        "Microsoft.AspNetCore.Http.Connections",
        "Microsoft.AspNetCore.Server.Kestrel",
    ];

    private readonly ConcurrentDictionary<string, double> _values = new(StringComparer.Ordinal);
    private readonly EventPipeSession _session;
    private readonly EventPipeEventSource _source;
    private readonly Task _pump;

    private MetricsListener(EventPipeSession session)
    {
        _session = session;
        _source = new EventPipeEventSource(session.EventStream);
        _source.Dynamic.All += OnEvent;
        _pump = Task.Run(() => _source.Process());
    }

    /// <summary>Problems the metrics source reported (for example a second session with other settings).</summary>
    public ConcurrentQueue<string> Errors { get; } = new();

    public static async Task<MetricsListener> StartAsync(int pid, CancellationToken ct)
    {
        var arguments = new Dictionary<string, string>
        {
            ["SessionId"] = Guid.NewGuid().ToString("N"),
            ["Metrics"] = string.Join(',', Meters),
            ["RefreshInterval"] = "1",
            ["MaxTimeSeries"] = "1000",
            ["MaxHistograms"] = "10",
        };
        // Keywords: 0x1 messages, 0x2 time-series values.
        var provider = new EventPipeProvider("System.Diagnostics.Metrics", EventLevel.Informational, 0x3, arguments);
        var session = await new DiagnosticsClient(pid).StartEventPipeSessionAsync([provider], requestRundown: false, circularBufferMB: 16, ct);
        return new MetricsListener(session);
    }

    /// <summary>The instrument's latest value, summed over its tag sets; null before the first publication.</summary>
    public double? Value(string instrument) => _values.TryGetValue(instrument, out var value) ? value : null;

    /// <summary>Waits until the instrument reports the value (or the time is up); returns the last value seen.</summary>
    public async Task<double?> WaitForAsync(string instrument, Func<double, bool> condition, TimeSpan limit, CancellationToken ct)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var value = Value(instrument);
            if ((value is { } v && condition(v)) || waited.Elapsed >= limit)
            {
                return value;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(250), ct);
        }
    }

    private readonly ConcurrentDictionary<(string Instrument, string Tags), double> _series = new();

    private void OnEvent(TraceEvent e)
    {
        switch (e.EventName)
        {
            case "UpDownCounterRateValuePublished":
                Record(e, "value");
                break;
            case "GaugeValuePublished":
                Record(e, "lastValue");
                break;
            case "Error" or "ObservableInstrumentCallbackError" or "MultipleSessionsNotSupportedError" or "MultipleSessionsConfiguredIncorrectlyError"
                or "MaxTimeSeriesReached" or "MaxHistogramsReached":
                Errors.Enqueue($"{e.EventName}: {string.Join(", ", e.PayloadNames.Select(n => $"{n}={e.PayloadByName(n)}"))}");
                break;
        }
    }

    private void Record(TraceEvent e, string field)
    {
        if (e.PayloadByName("instrumentName") is not string instrument
            || e.PayloadByName(field) is not string text
            || !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            return;
        }
        var tags = e.PayloadByName("tags") as string ?? "";
        _series[(instrument, tags)] = value;
        _values[instrument] = _series.Where(s => s.Key.Instrument == instrument).Sum(s => s.Value);
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _session.StopAsync(stop.Token);
            await _pump.WaitAsync(stop.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or ServerNotAvailableException or EndOfStreamException or IOException)
        {
            // The portal is going away anyway.
        }
        _source.Dispose();
        _session.Dispose();
    }
}
