using System.Diagnostics;
using TicketPortal.BenchShared;
using TicketPortal.HubLoad;

var (options, exitCode) = ToolCommandLine.Read(args, LoadOptions.Usage, LoadOptions.Parse);
if (options is null)
{
    return exitCode;
}

using var run = ToolCommandLine.RunCancellation(options.RunTimeout);
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
