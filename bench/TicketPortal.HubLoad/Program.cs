using System.Diagnostics;
using TicketPortal.BenchShared;
using TicketPortal.HubLoad;

if (args.Any(a => a is "--help" or "-h"))
{
    Console.WriteLine(LoadOptions.Usage);
    return 0;
}

LoadOptions options;
try
{
    options = LoadOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(LoadOptions.Usage);
    return 2;
}

using var run = new CancellationTokenSource(options.RunTimeout);
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    run.Cancel();
};
PortalProcess? portal = null;
AppDomain.CurrentDomain.ProcessExit += (_, _) => portal?.Kill();

try
{
    var started = Stopwatch.StartNew();
    portal = await PortalProcess.StartAsync(new PortalStart(options.Portal, options.Port, null, "Production", options.PortalEnvironment, options.KeepLog, "hubload-"), run.Token);
    await using (portal)
    {
        Console.WriteLine($"Portal PID {portal.Id} on {portal.Address} (data {portal.DataDirectory}), healthy after {started.Elapsed.TotalSeconds:F1} s");
        return await LoadRun.ExecuteAsync(options, portal, run.Token);
    }
}
catch (OperationCanceledException) when (run.IsCancellationRequested)
{
    Console.Error.WriteLine($"Stopped: the run exceeded {options.RunTimeout.TotalSeconds:F0} s or was interrupted.");
    return 1;
}
catch (Exception e) when (e is InvalidOperationException or HttpRequestException or TimeoutException or FileNotFoundException)
{
    Console.Error.WriteLine(e.Message);
    return 1;
}
