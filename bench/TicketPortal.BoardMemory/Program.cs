using System.Diagnostics;
using Microsoft.Playwright;
using TicketPortal.BenchShared;
using TicketPortal.BoardMemory;

var (options, exitCode) = ToolCommandLine.Read(args, MemoryOptions.Usage, MemoryOptions.Parse);
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
    portal = await PortalProcess.StartAsync(new PortalStart(options.Portal, options.Port, options.ContentRoot, options.Environment, options.PortalEnvironment, options.KeepLog, "boardmem-"), run.Token);
    await using (portal)
    {
        Console.WriteLine($"Portal PID {portal.Id} on {portal.Address} (data {portal.DataDirectory}), healthy after {started.Elapsed.TotalSeconds:F1} s");
        var code = await MemoryRun.ExecuteAsync(options, portal, run.Token);
        Console.WriteLine($"Run took {started.Elapsed.TotalSeconds:F0} s.");
        return code;
    }
}
catch (OperationCanceledException) when (run.IsCancellationRequested)
{
    Console.Error.WriteLine($"Stopped: the run exceeded {options.RunTimeout.TotalSeconds:F0} s or was interrupted.");
    return 1;
}
catch (Exception e) when (e is InvalidOperationException or HttpRequestException or TimeoutException or FileNotFoundException or PlaywrightException)
{
    Console.Error.WriteLine(e.Message);
    return 1;
}
