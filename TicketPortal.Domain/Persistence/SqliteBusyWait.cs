using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace TicketPortal.Domain.Persistence;

/// <summary>
/// Lets SQLite itself wait for the write lock on every connection. Without it Microsoft.Data.Sqlite retries a busy
/// database after a fixed 150 ms sleep, so a writer that found the lock taken for 2 ms waited 150 ms (measured in
/// docs/benchmarks.md, "Mail in and out"). The setting lives on the native connection, which the pool reuses across
/// opens, so it is set once per native connection.
/// </summary>
public sealed class SqliteBusyWait : DbConnectionInterceptor
{
    private const string Pragma = "PRAGMA busy_timeout = 30000;";
    private static readonly object Set = new();
    private readonly ConditionalWeakTable<object, object> _configured = [];

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (IsNew(connection))
        {
            using var command = connection.CreateCommand();
            command.CommandText = Pragma;
            command.ExecuteNonQuery();
        }
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (IsNew(connection))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = Pragma;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private bool IsNew(DbConnection connection) =>
        connection is not SqliteConnection { Handle: { } handle } || _configured.TryAdd(handle, Set);
}
