using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace TicketPortal.Domain.Persistence;

/// <summary>
/// Commits that leave the wait for the disk to someone else, for the one writer that commits hundreds of times a second
/// (the mail intake). On a database in WAL mode its connection commits with <c>synchronous=NORMAL</c> and without the
/// automatic checkpoint: the commit writes the WAL but does not wait for the disk, so the writer can go on with the next
/// batch. Nobody may be told of such a commit before <see cref="Flush"/> has flushed the WAL to disk, and
/// <see cref="CheckpointAsync"/> copies the WAL into the database beside the writer. Other connections keep SQLite's
/// settings, and on any other journal mode nothing is relaxed and flushing has nothing to do.
/// <para>
/// Others can read a relaxed commit before it is flushed. Whatever leaves the portal because of what it read (mail)
/// flushes first; any other write is committed with the full flush, which takes the earlier commits to disk with it.
/// </para>
/// </summary>
internal static class WalFlush
{
    private const string Relax = "PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 0;";

    /// <summary>What a connection had before <see cref="RelaxAsync"/>, to give back to the pool as it was.</summary>
    internal sealed record Settings(long Synchronous, long AutoCheckpoint);

    /// <summary>Relaxes the context's open connection if the database is in WAL mode; returns what to restore, or null.</summary>
    public static async Task<Settings?> RelaxAsync(PortalDbContext db, ILogger log)
    {
        var connection = db.Database.GetDbConnection();
        if (!string.Equals(await ScalarAsync(connection, "PRAGMA journal_mode;"), "wal", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var settings = new Settings(
            Convert.ToInt64(await ScalarAsync(connection, "PRAGMA synchronous;"), CultureInfo.InvariantCulture),
            Convert.ToInt64(await ScalarAsync(connection, "PRAGMA wal_autocheckpoint;"), CultureInfo.InvariantCulture));
        try
        {
            await db.Database.ExecuteSqlRawAsync(Relax);
        }
        catch
        {
            // The first half may have taken: the connection goes back as it came, or not at all.
            await RestoreAsync(db, settings, log);
            throw;
        }
        return settings;
    }

    /// <summary>
    /// Gives the connection its settings back. If that fails, the pool lets the connection go rather than hand a
    /// relaxed one to someone who expects their commits on disk.
    /// </summary>
    public static async Task RestoreAsync(PortalDbContext db, Settings settings, ILogger log)
    {
        try
        {
            // Numbers read from the connection itself: a PRAGMA takes no parameters.
            var restore = string.Create(CultureInfo.InvariantCulture,
                $"PRAGMA synchronous = {settings.Synchronous}; PRAGMA wal_autocheckpoint = {settings.AutoCheckpoint};");
            await db.Database.ExecuteSqlRawAsync(restore);
        }
        catch (Exception e)
        {
            log.LogError(e, "A relaxed connection could not be restored; the connection pool is cleared.");
            if (db.Database.GetDbConnection() is SqliteConnection sqlite)
            {
                SqliteConnection.ClearPool(sqlite);
            }
        }
    }

    /// <summary>
    /// The database file of the context, whose WAL <see cref="Flush"/> flushes. Asked of the open connection, which knows
    /// the file's full path whatever form the connection string gave it in.
    /// </summary>
    public static async Task<string> DatabaseFileAsync(PortalDbContext db)
    {
        await db.Database.OpenConnectionAsync();
        return db.Database.GetDbConnection().DataSource;
    }

    /// <summary>
    /// Flushes the database's WAL file to disk: every commit written to it so far is then durable. With no WAL file there
    /// is nothing to flush: the database is not in WAL mode, or its last connection checkpointed and removed the WAL.
    /// </summary>
    public static void Flush(string databaseFile)
    {
        Microsoft.Win32.SafeHandles.SafeFileHandle wal;
        try
        {
            wal = File.OpenHandle(databaseFile + "-wal", FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (FileNotFoundException)
        {
            return;
        }
        using (wal)
        {
            RandomAccess.FlushToDisk(wal);
        }
    }

    /// <summary>Copies what the WAL holds into the database as far as readers allow, without waiting for them or for writers.</summary>
    public static async Task CheckpointAsync(PortalDbContext db) =>
        await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(PASSIVE);");

    private static async Task<string> ScalarAsync(System.Data.Common.DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture) ?? "";
    }
}
