using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using MimeKit;
using TicketPortal.Domain.Mail;
using TicketPortal.Domain.People;
using TicketPortal.Domain.Persistence;
using TicketPortal.Tests.Support;

namespace TicketPortal.Tests.Domain;

/// <summary>The intake's commits that leave the disk flush and the checkpoint to others, on a database as the portal runs it.</summary>
public sealed class WalFlushTests
{
    private static async Task<(long Synchronous, long AutoCheckpoint)> SettingsAsync(PortalDbContext db)
    {
        await db.Database.OpenConnectionAsync();
        var connection = db.Database.GetDbConnection();
        async Task<long> Read(string pragma)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = pragma;
            return (long)(await command.ExecuteScalarAsync())!;
        }
        return (await Read("PRAGMA synchronous;"), await Read("PRAGMA wal_autocheckpoint;"));
    }

    [Fact]
    public async Task ARelaxedConnection_GoesBackToThePoolAsItWas()
    {
        await using var database = await TestDatabase.CreateAsync(pooled: true);
        (long, long) before, relaxed;
        await using (var db = database.CreateDbContext())
        {
            before = await SettingsAsync(db);
            var saved = await WalFlush.RelaxAsync(db, NullLogger.Instance);
            relaxed = await SettingsAsync(db);
            await WalFlush.RestoreAsync(db, saved!, NullLogger.Instance);
        }

        await using var next = database.CreateDbContext();
        var after = await SettingsAsync(next);

        Assert.Equal((2L, 1000L), before);
        Assert.Equal((1L, 0L), relaxed);
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task WithoutWal_NothingIsRelaxed_AndThereIsNothingToFlush()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var db = database.CreateDbContext();
        await db.Database.OpenConnectionAsync();
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=DELETE;");

        var saved = await WalFlush.RelaxAsync(db, NullLogger.Instance);
        WalFlush.Flush(await WalFlush.DatabaseFileAsync(db));

        Assert.Null(saved);
        Assert.Equal((2L, 1000L), await SettingsAsync(db));
        Assert.False(File.Exists(database.DatabaseFile + "-wal"));
    }

    [Fact]
    public async Task TheIntakesCommits_AreCheckpointedBesideIt_AndLeaveNoRelaxedConnectionBehind()
    {
        await using var database = await TestDatabase.CreateAsync(pooled: true);
        database.Mail.Projects["SUP"] = "support@portal.example.test";
        await database.AddProjectAsync("SUP", "support-gatekeeper");
        var intake = new MailIntake(database, database.Tickets, new CustomerService(database, TestDatabase.Catalog), database.Mail, database.Clock,
            NullLogger<MailIntake>.Instance);
        var before = new FileInfo(database.DatabaseFile).Length;

        var receipts = await Task.WhenAll(Enumerable.Range(1, 40).Select(i => intake.ReceiveAsync(Mail(i), null)));

        Assert.All(receipts, r => Assert.Equal(InboundOutcome.Ticket, r.Outcome));
        Assert.Equal(40, receipts.Select(r => r.TicketNumber).Distinct().Count());
        // The writer's connection does not checkpoint, and every connection stays open in the pool: only the
        // checkpoint beside the writer copies the new tickets into the database file.
        await Eventually.HoldsAsync(() => Task.FromResult(new FileInfo(database.DatabaseFile).Length > before), "A checkpoint");
        await using var db = database.CreateDbContext();
        Assert.Equal((2L, 1000L), await SettingsAsync(db));
        Assert.Equal(40, await db.Tickets.CountAsync());
    }

    [Fact]
    public async Task AfterAFailedFlush_NothingIsAcknowledged_NotEvenACopyOfAMessageAlreadyStored()
    {
        await using var database = await TestDatabase.CreateAsync(pooled: true);
        database.Mail.Projects["SUP"] = "support@portal.example.test";
        await database.AddProjectAsync("SUP", "support-gatekeeper");
        var failures = 0;
        var flushed = new List<string>();
        var intake = new MailIntake(database, database.Tickets, new CustomerService(database, TestDatabase.Catalog), database.Mail, database.Clock,
            NullLogger<MailIntake>.Instance)
        {
            FlushWal = file =>
            {
                if (failures-- > 0)
                {
                    throw new IOException("fsync: input/output error");
                }
                flushed.Add(file);
            },
        };
        var stored = await intake.ReceiveAsync(Mail(1), null);
        failures = 1;

        var failed = await Assert.ThrowsAsync<IOException>(() => intake.ReceiveAsync(Mail(2), null));
        var copy = await Assert.ThrowsAsync<IOException>(() => intake.ReceiveAsync(Mail(2), null));
        var later = await Assert.ThrowsAsync<IOException>(() => intake.ReceiveAsync(Mail(3), null));

        Assert.Equal(InboundOutcome.Ticket, stored.Outcome);
        Assert.Equal("fsync: input/output error", failed.Message);
        Assert.Contains("refused until the portal restarts", copy.Message, StringComparison.Ordinal);
        Assert.Contains("refused until the portal restarts", later.Message, StringComparison.Ordinal);
        Assert.Equal([database.DatabaseFile], flushed.Distinct());
    }

    [Fact]
    public async Task ACopyOfAMessageIsAnsweredOnlyOnceTheOriginalIsOnDisk()
    {
        await using var database = await TestDatabase.CreateAsync(pooled: true);
        database.Mail.Projects["SUP"] = "support@portal.example.test";
        await database.AddProjectAsync("SUP", "support-gatekeeper");
        var flushes = 0;
        var intake = new MailIntake(database, database.Tickets, new CustomerService(database, TestDatabase.Catalog), database.Mail, database.Clock,
            NullLogger<MailIntake>.Instance) { FlushWal = _ => Interlocked.Increment(ref flushes) };
        var original = await intake.ReceiveAsync(Mail(1), null);
        var afterOriginal = flushes;

        var copy = await intake.ReceiveAsync(Mail(1), null);

        Assert.True(copy.Duplicate);
        Assert.Equal(original.TicketNumber, copy.TicketNumber);
        Assert.Equal(afterOriginal + 1, flushes);
    }

    private static byte[] Mail(int i)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress($"Customer {i}", $"customer{i}@acme.example"));
        message.To.Add(MailboxAddress.Parse("support@portal.example.test"));
        message.Subject = $"Printer {i} jams";
        message.MessageId = $"printer-{i}@acme.example";
        message.Body = new TextPart("plain") { Text = $"Printer {i} jams on every second page. " + new string('x', 2000) };
        using var stream = new MemoryStream();
        message.WriteTo(stream);
        return stream.ToArray();
    }
}
