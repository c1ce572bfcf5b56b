using BenchmarkDotNet.Running;
using TicketPortal.Bench;

if (args is ["explain", ..])
{
    await QueryPlan.PrintAsync(Console.Out);
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(TicketListBenchmarks).Assembly).Run(args);
