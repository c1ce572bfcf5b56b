using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace TicketPortal.Domain.Persistence;

/// <summary>
/// Lets SQLite itself wait for the write lock on every connection. Without it Microsoft.Data.Sqlite retries a busy
/// database after a fixed 150 ms sleep, so a writer that found the lock taken for 2 ms waited 150 ms (measured in
/// docs/benchmarks.md, "Mail in and out").
/// </summary>
public sealed class SqliteBusyWait : DbConnectionInterceptor
{
    private const string Pragma = "PRAGMA busy_timeout = 30000;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
