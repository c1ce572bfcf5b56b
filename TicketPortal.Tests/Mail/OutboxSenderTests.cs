using Microsoft.EntityFrameworkCore;
using MimeKit;
using TicketPortal.Domain.Mail;
using TicketPortal.Tests.Support;

namespace TicketPortal.Tests.Mail;

/// <summary>
/// The outbox stopped in the middle of a batch (a crash, a shutdown) and run again: nothing lost, nothing doubled. And how
/// it hands messages over: one by one over SMTP, a whole batch at once to the pickup directory.
/// </summary>
public sealed class OutboxSenderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly string[] Customers = ["carla@customer.example", "omar@customer.example", "ines@customer.example", "li@customer.example"];

    [Fact]
    public async Task OverSmtp_AStopAfterTwoDeliveries_KeepsThemSent_SoTheRunAfterSendsOnlyTheRest()
    {
        await using var server = new SmtpTestServer();
        await using var database = await QueuedAsync();
        var settings = new MailSettings { Smtp = { Host = "127.0.0.1", Port = server.Port } };

        await StopAfterTwoAsync(database, new SmtpTransport(settings.Smtp), settings);
        var sent = await new OutboxSender(database, new SmtpTransport(settings.Smtp), settings, database.Clock).SendDueAsync();

        Assert.Equal(2, sent);
        Assert.Equal(Customers, server.Received.Select(r => Assert.Single(r.Recipients)));
        Assert.Equal(4, await SentAsync(database));
    }

    [Fact]
    public async Task ToThePickupDirectory_AStopMidBatch_DeliversAgain_AndLeavesOneFileEach()
    {
        var directory = Directory.CreateTempSubdirectory("ticketportal-outbox-").FullName;
        try
        {
            await using var database = await QueuedAsync();
            var settings = new MailSettings();

            await StopAfterTwoAsync(database, new PickupDirectoryTransport(directory), settings);
            Assert.Equal(2, Directory.GetFiles(directory).Length);
            Assert.Equal(0, await SentAsync(database));
            await new OutboxSender(database, new PickupDirectoryTransport(directory), settings, database.Clock).SendDueAsync();

            var files = Directory.GetFiles(directory);
            Assert.Equal(4, files.Length);
            Assert.Equal(Customers.Order(), files.Select(f => MimeMessage.Load(f).To.Mailboxes.Single().Address).Order());
            Assert.Equal(4, await SentAsync(database));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task ToThePickupDirectory_ABatchGoesInOneCall_AndACallThatFails_KeepsEveryMessageForLater()
    {
        using var folder = new TempFolder();
        await using var database = await QueuedAsync();
        var settings = new MailSettings();
        // A file where the directory should be: the transport cannot write anything.
        var blocked = folder.Sub("blocked");
        await File.WriteAllTextAsync(blocked, "");

        var failed = await new OutboxSender(database, new PickupDirectoryTransport(blocked), settings, database.Clock).SendDueAsync();

        Assert.Equal(0, failed);
        await using (var db = database.CreateDbContext())
        {
            var messages = await db.Outbox.ToListAsync();
            Assert.Equal(4, messages.Count);
            Assert.All(messages, m => Assert.True(m is { SentAt: null, Attempts: 1, LastError: not null } && m.NextAttemptAt > database.Clock.GetUtcNow()));
        }

        database.Clock.Advance(TimeSpan.FromMinutes(2));
        var directory = folder.Sub("pickup");
        var calls = new Recording(new PickupDirectoryTransport(directory));
        var sent = await new OutboxSender(database, calls, settings, database.Clock).SendDueAsync();

        Assert.Equal(4, sent);
        Assert.Equal([4], calls.Sizes);
        Assert.Equal(4, Directory.GetFiles(directory).Length);
        Assert.Equal(4, await SentAsync(database));
    }

    [Fact]
    public async Task OverSmtp_EachMessageGoesInItsOwnCall()
    {
        await using var server = new SmtpTestServer();
        await using var database = await QueuedAsync();
        var settings = new MailSettings { Smtp = { Host = "127.0.0.1", Port = server.Port } };
        var calls = new Recording(new SmtpTransport(settings.Smtp));

        var sent = await new OutboxSender(database, calls, settings, database.Clock).SendDueAsync();

        Assert.Equal(4, sent);
        Assert.Equal([1, 1, 1, 1], calls.Sizes);
        Assert.Equal(4, server.Received.Count);
    }

    private static async Task<TestDatabase> QueuedAsync()
    {
        var database = await TestDatabase.CreateAsync();
        var body = new MailBody("Ticket #42 was answered.", "<p>Ticket #42 was answered.</p>");
        await using var db = database.CreateDbContext();
        db.Outbox.AddRange(Customers.Select(to => new OutboxMessage(new MailboxAddress("", to), "[#42] Printer", body, "ticketportal.local", 42, Now)));
        await db.SaveChangesAsync();
        return database;
    }

    /// <summary>Runs the outbox until the transport has delivered two messages, then stops it as a shutdown would.</summary>
    private static async Task StopAfterTwoAsync(TestDatabase database, IMailTransport transport, MailSettings settings)
    {
        using var stop = new CancellationTokenSource();
        var sender = new OutboxSender(database, new StopsAfter(transport, 2, stop), settings, database.Clock);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sender.SendDueAsync(stop.Token));
    }

    private static async Task<int> SentAsync(TestDatabase database)
    {
        await using var db = database.CreateDbContext();
        return await db.Outbox.CountAsync(m => m.SentAt != null);
    }

    /// <summary>
    /// The real transport, with the stop pulled once it has delivered <paramref name="count"/> messages. A call given
    /// more than that delivers only those and then stops, as a process would that died in the middle of the call.
    /// </summary>
    private sealed class StopsAfter(IMailTransport inner, int count, CancellationTokenSource stop) : IMailTransport
    {
        private int _delivered;

        public bool RedeliveryIsHarmless => inner.RedeliveryIsHarmless;

        public async Task SendAsync(IReadOnlyList<MimeMessage> messages, CancellationToken ct)
        {
            ct.ThrowIfCancellationRequested();
            var now = messages.Take(count - _delivered).ToList();
            await inner.SendAsync(now, ct);
            _delivered += now.Count;
            if (_delivered >= count)
            {
                await stop.CancelAsync();
            }
            if (now.Count < messages.Count)
            {
                ct.ThrowIfCancellationRequested();
            }
        }
    }

    /// <summary>The real transport, noting how many messages each call hands it.</summary>
    private sealed class Recording(IMailTransport inner) : IMailTransport
    {
        public List<int> Sizes { get; } = [];

        public bool RedeliveryIsHarmless => inner.RedeliveryIsHarmless;

        public Task SendAsync(IReadOnlyList<MimeMessage> messages, CancellationToken ct)
        {
            Sizes.Add(messages.Count);
            return inner.SendAsync(messages, ct);
        }
    }
}
