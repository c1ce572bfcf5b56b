using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;

namespace TicketPortal.Bench;

/// <summary>A short job (3 warm-ups, 15 measured iterations) that still reports the median and 95th percentile.</summary>
public sealed class BenchConfig : ManualConfig
{
    public BenchConfig()
    {
        AddJob(Job.Default.WithWarmupCount(3).WithIterationCount(15).WithId("Short"));
        AddColumn(StatisticColumn.Median, StatisticColumn.P95);
        AddDiagnoser(MemoryDiagnoser.Default);
        if (ProjectDirectory() is { } project)
        {
            ArtifactsPath = Path.Combine(project, "BenchmarkDotNet.Artifacts");
        }
    }

    // Keeps reports next to the bench project instead of in whatever directory `dotnet run` was started from.
    private static string? ProjectDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "TicketPortal.Bench.csproj")))
            {
                return directory.FullName;
            }
        }
        return null;
    }
}
