using TicketPortal.BenchShared;

namespace TicketPortal.MailLoad;

public enum Phase
{
    All,
    Inbound,
    Outbound,
}

/// <summary>Command-line settings; every count and wait is bounded so a run ends within minutes whatever happens.</summary>
public sealed record MailLoadOptions
{
    public const string DefaultPortal = "/tmp/mailload-portal/TicketPortal.dll";

    public string Portal { get; init; } = DefaultPortal;
    public int Port { get; init; } = 5232;
    public Phase Phase { get; init; } = Phase.All;
    public int Messages { get; init; } = 2_000;
    public int WarmUp { get; init; } = 100;
    public int Posters { get; init; } = 4;
    public int Outbound { get; init; } = 1_000;
    public int OutboundWarmUp { get; init; } = 100;
    public int Repeats { get; init; } = 3;
    public int Seed { get; init; } = 7;
    public TimeSpan RunTimeout { get; init; } = TimeSpan.FromMinutes(15);
    public string? KeepLog { get; init; }
    public string? Markdown { get; init; }
    public IReadOnlyList<KeyValuePair<string, string>> PortalEnvironment { get; init; } = [];

    public static string Usage => """
        TicketPortal.MailLoad: mail in (HTTP intake into SQLite, against ticket creation) and mail out (the outbox to the
        pickup directory, against writing the same messages directly).
          --portal <dll>            TicketPortal.dll built in Release (default /tmp/mailload-portal/TicketPortal.dll;
                                    dotnet build -c Release TicketPortal/TicketPortal.csproj -o /tmp/mailload-portal)
          --port <5200-5299>        where the portal listens (default 5232)
          --phase all|inbound|outbound  what to measure (default all; outbound needs no portal)
          --messages <n>            measured inbound messages, and baseline tickets (default 2000, at most 20000),
                                    after --warmup <w> unmeasured ones of each (default 100, at most 20000)
          --posters <p>             concurrent HTTP/1.1 keep-alive connections posting (default 4, at most 32)
          --outbound <m>            queued mails delivered per repeat (default 1000, at most 20000),
                                    after --outbound-warmup <w> (default 100)
          --repeats <r>             outbound repeats (default 3, at most 10)
          --seed <s>                the message plan's random seed (default 7)
          --timeout-s <s>           the whole run (default 900)
          --markdown <file>         also write the summary there
          --keep-log <file>         copy the portal's console output here before its data directory is deleted
          --portal-env KEY=VALUE    extra environment for the portal (repeatable), e.g. a log level
        """;

    public static MailLoadOptions Parse(IReadOnlyList<string> args) =>
        ToolCommandLine.Fold(args, new MailLoadOptions(), (options, option) => option.Name switch
        {
            "--portal" => options with { Portal = option.Value() },
            "--port" => options with { Port = option.Number(5200, 5299) },
            "--phase" => options with { Phase = Enum.TryParse<Phase>(option.Value(), ignoreCase: true, out var p) ? p : throw new ArgumentException($"{option.Name}: all, inbound or outbound.") },
            "--messages" => options with { Messages = option.Number(1, 20_000) },
            "--warmup" => options with { WarmUp = option.Number(0, 20_000) },
            "--posters" => options with { Posters = option.Number(1, 32) },
            "--outbound" => options with { Outbound = option.Number(1, 20_000) },
            "--outbound-warmup" => options with { OutboundWarmUp = option.Number(0, 1_000) },
            "--repeats" => options with { Repeats = option.Number(1, 10) },
            "--seed" => options with { Seed = option.Number(0, int.MaxValue) },
            "--timeout-s" => options with { RunTimeout = TimeSpan.FromSeconds(option.Number(10, 3600)) },
            "--markdown" => options with { Markdown = option.Value() },
            "--keep-log" => options with { KeepLog = option.Value() },
            "--portal-env" => options with { PortalEnvironment = [.. options.PortalEnvironment, ToolCommandLine.EnvironmentPair(option.Value())] },
            _ => throw option.Unknown(),
        });
}
