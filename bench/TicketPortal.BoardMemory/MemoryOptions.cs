using TicketPortal.BenchShared;

namespace TicketPortal.BoardMemory;

/// <summary>Command-line settings; every count and wait is bounded so a run ends within a few minutes whatever happens.</summary>
public sealed record MemoryOptions
{
    public const string DefaultPortal = "/tmp/boardmem-portal/TicketPortal.dll";
    public const string DefaultContentRoot = "/tmp/boardmem-src/TicketPortal";

    public string Portal { get; init; } = DefaultPortal;
    public string? ContentRoot { get; init; } = DefaultContentRoot;
    public string Environment { get; init; } = "Development";
    public int Port { get; init; } = 5310;
    public string Chromium { get; init; } = "/usr/bin/chromium";
    public string Project { get; init; } = "TMR";

    /// <summary>The page each circuit opens; another page (e.g. "/") measures what the layout alone costs.</summary>
    public string? PagePath { get; init; }

    /// <summary>What marks the page as rendered by its circuit.</summary>
    public string? ReadySelector { get; init; }

    /// <summary>A group's queue page (/queues/{id}) instead of a board; the activity then takes and hands back TRI incidents.</summary>
    public int? Queue { get; init; }

    public string Path => PagePath ?? (Queue is { } id ? $"/queues/{id}" : $"/projects/{Project}/board");

    public string Ready => ReadySelector ?? (PagePath is not null ? "[data-testid=current-user]" : IsQueue ? "[data-testid=unassigned]" : "[data-testid=board]");

    public bool IsBoard => PagePath is null && Queue is null;

    public bool IsQueue => PagePath is null && Queue is not null;

    private string? _email;

    /// <summary>Who signs in: by default staff1 for a board, and for a queue engineer1, a member of the IT Digital group.</summary>
    public string Email { get => _email ?? (IsQueue ? "engineer1@demo.local" : "staff1@demo.local"); init => _email = value; }
    public string Password { get; init; } = "Demo-pass-1";

    /// <summary>Board pages open at each measuring point, ascending: 50 and then 50 more to 100.</summary>
    public IReadOnlyList<int> Steps { get; init; } = [50, 100];

    /// <summary>Extra tickets created on the project before the baseline, so a board carries a realistic number of cards.</summary>
    public int ExtraTickets { get; init; } = 20;

    /// <summary>Board pages per browser context; Chromium gives every context its own renderer, and 100 of them swamp 2 cores.</summary>
    public int PagesPerContext { get; init; } = 10;
    public int RendererLimit { get; init; } = 10;
    public int Types { get; init; } = 30;
    public string? TypesFile { get; init; }
    public int Parallel { get; init; } = 4;
    public int GcSamples { get; init; } = 3;
    public TimeSpan Activity { get; init; } = TimeSpan.FromMinutes(2);
    public TimeSpan ChangeEvery { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan RefreshTimeout { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan SampleEvery { get; init; } = TimeSpan.FromSeconds(20);
    public TimeSpan CloseWait { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan PageTimeout { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan RunTimeout { get; init; } = TimeSpan.FromMinutes(10);
    public string? KeepLog { get; init; }
    public IReadOnlyList<KeyValuePair<string, string>> PortalEnvironment { get; init; } = [];

    public static string Usage => """
        TicketPortal.BoardMemory: server memory per open board circuit (/projects/{key}/board in Chromium).
          --portal <dll>            TicketPortal.dll built in Release (default /tmp/boardmem-portal/TicketPortal.dll;
                                    git clone -q /work/main /tmp/boardmem-src &&
                                    dotnet build -c Release /tmp/boardmem-src/TicketPortal/TicketPortal.csproj -o /tmp/boardmem-portal)
          --content-root <dir>      the portal's content root (default /tmp/boardmem-src/TicketPortal; "-" for the dll's folder,
                                    as for a published portal)
          --environment <name>      ASPNETCORE_ENVIRONMENT (default Development, which serves the static web assets of a build;
                                    use Production with a published portal)
          --port <5300-5399>        where the portal listens (default 5310)
          --chromium <path>         the browser (default /usr/bin/chromium)
          --project <key>           the board (default TMR); --email <user> signs in (default staff1@demo.local)
          --queue <group id>        open the group's queue (/queues/{id}) instead of a board, signed in as engineer1@demo.local
                                    by default; the activity takes and hands back TRI incidents (IT Digital is group 1)
          --path <path>             open this page instead of the board, e.g. / (the layout alone), with --ready <selector>
                                    saying when it is rendered (default [data-testid=current-user], from the layout)
          --steps <n,m,...>         open boards at each measuring point, ascending (default 50,100; at most 400)
          --extra-tickets <t>       tickets created on the project before the baseline (default 20, at most 400)
          --pages-per-context <p>   board pages per browser context, all on the one sign-in's cookies (default 10)
          --renderer-limit <r>      Chromium's --renderer-process-limit: pages of one context share renderers (default 10)
          --types <n>               heap walk at the baseline and the last step; print the n types that grew most (default 30; 0: none)
          --types-file <file>       write every type's growth there (tab-separated)
          --parallel <p>            pages opened at once (default 4)
          --gc-samples <s>          forced full GCs per measuring point, median taken (default 3)
          --activity-s <s>          keep all boards open this long while tickets move (default 120, at most 14400; 0 skips it; boards and queues)
          --change-every-s <s>      pause after every board shows a change, before the next change (default 5)
          --refresh-timeout-s <s>   how long every board may take to show a change (default 30)
          --sample-every-s <s>      one memory sample per this many seconds during the activity (default 20)
          --close-wait-s <s>        how long to wait for the circuits to go after the pages close (default 30)
          --timeout-s <s>           the whole run (default 600, at most 18000)
          --keep-log <file>         copy the portal's console output here before its data directory is deleted
          --portal-env KEY=VALUE    extra environment for the portal (repeatable), e.g. DOTNET_gcServer=0
        """;

    public static MemoryOptions Parse(IReadOnlyList<string> args) =>
        ToolCommandLine.Fold(args, new MemoryOptions(), (options, option) => option.Name switch
        {
            "--portal" => options with { Portal = option.Value() },
            "--content-root" => options with { ContentRoot = option.Value() switch { "-" => null, var dir => dir } },
            "--environment" => options with { Environment = option.Value() },
            "--port" => options with { Port = option.Number(5300, 5399) },
            "--chromium" => options with { Chromium = option.Value() },
            "--project" => options with { Project = option.Value() },
            "--queue" => options with { Queue = option.Number(1, 100_000) },
            "--path" => options with { PagePath = option.Value() },
            "--ready" => options with { ReadySelector = option.Value() },
            "--refresh-timeout-s" => options with { RefreshTimeout = TimeSpan.FromSeconds(option.Number(1, 300)) },
            "--email" => options with { Email = option.Value() },
            "--steps" => options with { Steps = ParseSteps(option.Name, option.Value()) },
            "--extra-tickets" => options with { ExtraTickets = option.Number(0, 400) },
            "--pages-per-context" => options with { PagesPerContext = option.Number(1, 400) },
            "--renderer-limit" => options with { RendererLimit = option.Number(1, 400) },
            "--types" => options with { Types = option.Number(0, 1000) },
            "--types-file" => options with { TypesFile = option.Value() },
            "--parallel" => options with { Parallel = option.Number(1, 16) },
            "--gc-samples" => options with { GcSamples = option.Number(1, 9) },
            "--activity-s" => options with { Activity = TimeSpan.FromSeconds(option.Number(0, 14400)) },
            "--change-every-s" => options with { ChangeEvery = TimeSpan.FromSeconds(option.Number(0, 600)) },
            "--sample-every-s" => options with { SampleEvery = TimeSpan.FromSeconds(option.Number(5, 600)) },
            "--close-wait-s" => options with { CloseWait = TimeSpan.FromSeconds(option.Number(0, 300)) },
            "--timeout-s" => options with { RunTimeout = TimeSpan.FromSeconds(option.Number(30, 18000)) },
            "--keep-log" => options with { KeepLog = option.Value() },
            "--portal-env" => options with { PortalEnvironment = [.. options.PortalEnvironment, ToolCommandLine.EnvironmentPair(option.Value())] },
            _ => throw option.Unknown(),
        });

    private static List<int> ParseSteps(string name, string text)
    {
        var steps = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => ToolCommandLine.Number(name, s, 1, 400)).ToList();
        if (steps.Count == 0 || steps.Zip(steps.Skip(1)).Any(p => p.Second <= p.First))
        {
            throw new ArgumentException($"{name}: '{text}' is not an ascending list such as 50,100.");
        }
        return steps;
    }
}
