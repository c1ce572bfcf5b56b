using BenchmarkDotNet.Running;
using TicketPortal.Bench;
using TicketPortal.Bench.Sla;

if (args is ["explain", ..])
{
    await QueryPlan.PrintAsync(Console.Out);
    return;
}
if (args is ["sla-profile", ..])
{
    SlaProfile.Print(Console.Out);
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(TicketListBenchmarks).Assembly).Run(args);
