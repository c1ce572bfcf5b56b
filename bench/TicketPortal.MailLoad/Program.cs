using TicketPortal.BenchShared;
using TicketPortal.MailLoad;

var (options, exitCode) = ToolCommandLine.Read(args, MailLoadOptions.Usage, MailLoadOptions.Parse);
if (options is null)
{
    return exitCode;
}

using var run = ToolCommandLine.RunCancellation(options.RunTimeout);
PortalProcess? portal = null;
AppDomain.CurrentDomain.ProcessExit += (_, _) => portal?.Kill();

try
{
    InboundResult? inbound = null;
    if (options.Phase is Phase.All or Phase.Inbound)
    {
        portal = await PortalProcess.StartAsync(
            new PortalStart(options.Portal, options.Port, null, "Production", options.PortalEnvironment, options.KeepLog, "mailload-"), run.Token);
        await using (portal)
        {
            Console.WriteLine($"Portal PID {portal.Id} on {portal.Address} (data {portal.DataDirectory})");
            inbound = await InboundRun.ExecuteAsync(options, portal, run.Token);
        }
    }
    // After the portal has stopped, so the figure is the sender's alone, not shared with the portal's jobs.
    var outbound = options.Phase is Phase.All or Phase.Outbound ? await OutboundRun.ExecuteAsync(options, run.Token) : null;

    var report = new Report(options, inbound, outbound);
    Console.WriteLine();
    report.Write(Console.Out);
    if (options.Markdown is not null)
    {
        await using var file = File.CreateText(options.Markdown);
        report.Write(file);
    }
    return report.Passed ? 0 : 1;
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
