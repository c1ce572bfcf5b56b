using Microsoft.EntityFrameworkCore;
using MimeKit;
using TicketPortal.Domain.Mail;
using TicketPortal.Tests.Support;

namespace TicketPortal.Tests.Mail;

/// <summary>The outbox stopped in the middle of a batch (a crash, a shutdown) and run again: nothing lost, nothing doubled.</summary>
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

    /// <summary>The real transport, with the stop pulled once it has delivered <paramref name="count"/> messages.</summary>
    private sealed class StopsAfter(IMailTransport inner, int count, CancellationTokenSource stop) : IMailTransport
    {
        private int _delivered;

        public bool RedeliveryIsHarmless => inner.RedeliveryIsHarmless;

        public async Task SendAsync(IReadOnlyList<MimeMessage> messages, CancellationToken ct)
        {
            ct.ThrowIfCancellationRequested();
            await inner.SendAsync(messages, ct);
            _delivered += messages.Count;
            if (_delivered >= count)
            {
                await stop.CancelAsync();
            }
        }
    }
}
