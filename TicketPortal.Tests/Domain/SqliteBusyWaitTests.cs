using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using TicketPortal.Domain.Persistence;
using TicketPortal.Tests.Support;

namespace TicketPortal.Tests.Domain;

public sealed class SqliteBusyWaitTests
{
    [Fact]
    public async Task EveryOpen_WaitsForTheLockInSqlite_AlsoOnAPooledConnection()
    {
        using var folder = new TempFolder();
        var options = new DbContextOptionsBuilder<PortalDbContext>()
            .UseSqlite($"Data Source={Path.Combine(folder.Path, "busy.db")};Pooling=True", PortalDbContext.Sqlite)
            .AddInterceptors(new SqliteBusyWait())
            .Options;

        var timeouts = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            await using var db = new PortalDbContext(options);
            await db.Database.OpenConnectionAsync();
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = "PRAGMA busy_timeout;";
            timeouts.Add((long)(await command.ExecuteScalarAsync())!);
        }
        SqliteConnection.ClearAllPools();

        Assert.Equal([30000L, 30000L, 30000L], timeouts);
    }
}
