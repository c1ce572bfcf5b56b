using System.Data.Common;
using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using TicketPortal.BenchShared;
using TicketPortal.Domain.People;
using TicketPortal.Domain.Persistence;
using TicketPortal.Domain.Tickets;

namespace TicketPortal.Bench;

/// <summary>
/// Seeds the benchmark database, runs the list query once and prints each SQL statement with its plan and cost, then
/// the per-request latency distribution (BenchmarkDotNet's percentiles are over iteration means, not single requests).
/// </summary>
public static class QueryPlan
{
    private const int Runs = 50;
    private const int Requests = 2_000;

    public static async Task PrintAsync(TextWriter output)
    {
        using var database = await BenchDatabase.CreateAsync();
        await output.WriteLineAsync($"Seeded {BenchDatabase.TicketCount} tickets in {database.SeedTime.TotalSeconds:F1} s: "
            + string.Join(", ", database.CountByStatus.Select(s => $"{s.Key}: {s.Value}")));
        var access = await database.LoadViewerAccessAsync();
        var capture = new CommandCapture();
        await using (var services = database.Services(capture))
        await using (var db = await services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync())
        {
            await TicketListQuery.RunAsync(db, database.Catalog, access, TicketListBenchmarks.InProgressNewestFirst, CancellationToken.None);
        }

        await using var connection = new SqliteConnection(PortalDatabase.ConnectionString(database.DataDirectory));
        await connection.OpenAsync();
        foreach (var (sql, parameters) in capture.Commands)
        {
            await output.WriteLineAsync();
            await output.WriteLineAsync(string.Join(", ", parameters.Select(p => $"{p.Name} = {p.Value}")));
            await output.WriteLineAsync(sql);
            await output.WriteLineAsync("-- plan:");
            await using (var explain = Command(connection, "EXPLAIN QUERY PLAN " + sql, parameters))
            await using (var reader = await explain.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    await output.WriteLineAsync($"--   [{reader.GetInt32(0)} <- {reader.GetInt32(1)}] {reader.GetString(3)}");
                }
            }
            await output.WriteLineAsync($"-- median of {Runs} runs: {await MedianMillisecondsAsync(connection, sql, parameters):F3} ms");
        }

        await output.WriteLineAsync();
        var latencies = await RequestLatenciesAsync(database, access);
        await output.WriteLineAsync($"ListInProgress, {Requests} single requests (fresh context each): "
            + string.Join(", ", new[] { 50, 95, 99, 100 }.Select(p => $"p{p} {latencies[Math.Min(latencies.Count - 1, latencies.Count * p / 100)]:F3} ms")));
    }

    private static async Task<List<double>> RequestLatenciesAsync(BenchDatabase database, Access access)
    {
        var latencies = new List<double>(Requests);
        for (var request = -Requests; request < Requests; request++)
        {
            var clock = Stopwatch.StartNew();
            await using (var db = await database.Contexts.CreateDbContextAsync())
            {
                await TicketListQuery.RunAsync(db, database.Catalog, access, TicketListBenchmarks.InProgressNewestFirst, CancellationToken.None);
            }
            if (request >= 0)
            {
                latencies.Add(clock.Elapsed.TotalMilliseconds);
            }
        }
        latencies.Sort();
        return latencies;
    }

    private static async Task<double> MedianMillisecondsAsync(SqliteConnection connection, string sql, IReadOnlyList<(string Name, object? Value)> parameters)
    {
        var times = new List<double>(Runs);
        for (var run = 0; run < Runs + 3; run++)
        {
            var clock = Stopwatch.StartNew();
            await using (var command = Command(connection, sql, parameters))
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                }
            }
            if (run >= 3)
            {
                times.Add(clock.Elapsed.TotalMilliseconds);
            }
        }
        times.Sort();
        return times[times.Count / 2];
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, IReadOnlyList<(string Name, object? Value)> parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
        return command;
    }

    private sealed class CommandCapture : DbCommandInterceptor
    {
        public List<(string Sql, IReadOnlyList<(string Name, object? Value)> Parameters)> Commands { get; } = [];

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Commands.Add((command.CommandText, command.Parameters.Cast<DbParameter>().Select(p => (p.ParameterName, (object?)p.Value)).ToList()));
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }
    }
}
