using TicketPortal.BenchShared;

namespace TicketPortal.HubLoad;

/// <summary>Command-line settings; every count and wait is bounded so a run ends within a few minutes whatever happens.</summary>
public sealed record LoadOptions
{
    public const string DefaultPortal = "/tmp/hubload-portal/TicketPortal.dll";

    public string Portal { get; init; } = DefaultPortal;
    public int Port { get; init; } = 5231;
    public int Clients { get; init; } = 200;
    public int Changes { get; init; } = 300;
    public int WarmUp { get; init; } = 20;
    public int Tickets { get; init; } = 10;
    public int GapMilliseconds { get; init; }
    public TimeSpan DeliveryTimeout { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan RunTimeout { get; init; } = TimeSpan.FromMinutes(3);
    public string? KeepLog { get; init; }
    public IReadOnlyList<KeyValuePair<string, string>> PortalEnvironment { get; init; } = [];

    public static string Usage => """
        TicketPortal.HubLoad: hub delivery latency of TicketChanged for many SignalR clients.
          --portal <dll>            TicketPortal.dll built in Release (default /tmp/hubload-portal/TicketPortal.dll;
                                    dotnet build -c Release TicketPortal/TicketPortal.csproj -o /tmp/hubload-portal)
          --port <5200-5299>        where the portal listens (default 5231)
          --clients <n>             hub connections, all as support@demo.local (default 200, at most 1000)
          --changes <m>             measured notes (default 300, at most 5000), after --warmup <w> unmeasured ones (default 20)
          --tickets <t>             SUP tickets created first, which the notes rotate over (default 10)
          --gap-ms <ms>             pause after each change's deliveries are in (default 0)
          --delivery-timeout-s <s>  how long one change may take to reach every client (default 5)
          --timeout-s <s>           the whole run (default 180)
          --keep-log <file>         copy the portal's console output here before its data directory is deleted
          --portal-env KEY=VALUE    extra environment for the portal (repeatable), e.g. a log level
        """;

    public static LoadOptions Parse(IReadOnlyList<string> args) =>
        ToolCommandLine.Fold(args, new LoadOptions(), (options, option) => option.Name switch
        {
            "--portal" => options with { Portal = option.Value() },
            "--port" => options with { Port = option.Number(5200, 5299) },
            "--clients" => options with { Clients = option.Number(1, 1000) },
            "--changes" => options with { Changes = option.Number(1, 5000) },
            "--warmup" => options with { WarmUp = option.Number(0, 1000) },
            "--tickets" => options with { Tickets = option.Number(1, 50) },
            "--gap-ms" => options with { GapMilliseconds = option.Number(0, 10_000) },
            "--delivery-timeout-s" => options with { DeliveryTimeout = TimeSpan.FromSeconds(option.Number(1, 60)) },
            "--timeout-s" => options with { RunTimeout = TimeSpan.FromSeconds(option.Number(10, 1800)) },
            "--keep-log" => options with { KeepLog = option.Value() },
            "--portal-env" => options with { PortalEnvironment = [.. options.PortalEnvironment, ToolCommandLine.EnvironmentPair(option.Value())] },
            _ => throw option.Unknown(),
        });
}
