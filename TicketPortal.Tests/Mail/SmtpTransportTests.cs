using System.Text;
using MailKit.Net.Smtp;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using TicketPortal.Domain.Mail;
using TicketPortal.Tests.Support;

namespace TicketPortal.Tests.Mail;

public sealed class SmtpTransportTests
{
    private static readonly MailboxAddress From = MailboxAddress.Parse("TicketPortal <portal@ticketportal.local>");
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    // What goes over the wire: CRLF line ends and a final newline, as MailKit writes a message for DATA.
    private static readonly FormatOptions Wire = new() { NewLineFormat = NewLineFormat.Dos, EnsureNewLine = true };

    [Fact]
    public async Task Send_DeliversEachMessage_WithItsEnvelope_ByteForByte_OverOneConnection()
    {
        await using var server = new SmtpTestServer();
        var messages = new[]
        {
            Outbox("carla@customer.example", "Dots", new MailBody("First line\n.a line that starts with a dot\n.\n..two dots\nlast", "")),
            Outbox("omar@customer.example", "Umlauts", new MailBody("Grüße aus dem Support, #42 ist erledigt.", "<p>Grüße aus dem <b>Support</b></p>")),
            Outbox("ines@customer.example", "Release 1.4.0", new MailBody("Release 1.4.0 is out.", "<h1>Release 1.4.0</h1>")),
        }.Select(m => m.ToMime(From)).ToList();

        await Transport(server).SendAsync(messages, CancellationToken.None);

        var received = server.Received;
        Assert.Equal(3, received.Count);
        Assert.Equal(1, server.Connections);
        Assert.All(received, r => Assert.Equal("portal@ticketportal.local", r.From));
        Assert.Equal(["carla@customer.example", "omar@customer.example", "ines@customer.example"], received.Select(r => Assert.Single(r.Recipients)));
        Assert.Equal(messages.Select(Wired), received.Select(r => r.Data));
        Assert.Contains("\r\n.a line that starts with a dot\r\n.\r\n..two dots\r\n", Encoding.ASCII.GetString(received[0].Data));
    }

    [Fact]
    public async Task Send_WhenTheServerRefusesTheRecipient_Throws_AndDeliversNothing()
    {
        await using var server = new SmtpTestServer { Refuse = to => to == "gone@customer.example" };
        var message = Outbox("gone@customer.example", "Hello", new MailBody("Hello", "")).ToMime(From);

        var refused = await Assert.ThrowsAsync<SmtpCommandException>(() => Transport(server).SendAsync([message], CancellationToken.None));

        Assert.Equal(SmtpStatusCode.MailboxUnavailable, refused.StatusCode);
        Assert.Empty(server.Received);
    }

    [Fact]
    public async Task Send_InABatch_StopsAtTheFirstRefusal_HavingDeliveredTheOnesBefore()
    {
        await using var server = new SmtpTestServer { Refuse = to => to == "gone@customer.example" };
        var messages = new[] { "carla@customer.example", "gone@customer.example", "ines@customer.example" }
            .Select(to => Outbox(to, "Hello", new MailBody("Hello", "")).ToMime(From)).ToList();

        await Assert.ThrowsAsync<SmtpCommandException>(() => Transport(server).SendAsync(messages, CancellationToken.None));

        Assert.Equal(["carla@customer.example"], server.Received.Select(r => Assert.Single(r.Recipients)));
    }

    [Fact]
    public async Task Send_WhenTheServerFailsQuit_StillSucceeds_SoTheOutboxNeverSendsItTwice()
    {
        await using var server = new SmtpTestServer { QuitReply = "554 5.3.0 Going down" };
        var message = Outbox("carla@customer.example", "Hello", new MailBody("Hello", "")).ToMime(From);

        await Transport(server).SendAsync([message], CancellationToken.None);

        Assert.Single(server.Received);
    }

    [Fact]
    public async Task OutboxSender_OverSmtp_MarksTheDeliveredSent_AndKeepsTheRefusedForARetry()
    {
        await using var server = new SmtpTestServer { Refuse = to => to == "gone@customer.example" };
        await using var database = await TestDatabase.CreateAsync();
        var body = new MailBody("Ticket #42 was answered.", "<p>Ticket #42 was answered.</p>");
        await using (var db = database.CreateDbContext())
        {
            db.Outbox.AddRange(new[] { "carla@customer.example", "gone@customer.example", "ines@customer.example" }
                .Select(to => Outbox(to, "Ticket #42", body)));
            await db.SaveChangesAsync();
        }
        var settings = new MailSettings { From = From.ToString(), Smtp = { Host = "127.0.0.1", Port = server.Port } };

        var sent = await new OutboxSender(database, new SmtpTransport(settings.Smtp), settings, database.Clock).SendDueAsync();

        Assert.Equal(2, sent);
        Assert.Equal(["carla@customer.example", "ines@customer.example"], server.Received.Select(r => Assert.Single(r.Recipients)));
        await using var check = database.CreateDbContext();
        var refused = await check.Outbox.SingleAsync(m => m.SentAt == null);
        Assert.Equal("gone@customer.example", refused.ToAddress);
        Assert.Equal(1, refused.Attempts);
        Assert.Contains("gone@customer.example", refused.LastError);
        Assert.True(refused.NextAttemptAt > database.Clock.GetUtcNow());
    }

    private static SmtpTransport Transport(SmtpTestServer server) => new(new SmtpSettings { Host = "127.0.0.1", Port = server.Port });

    private static OutboxMessage Outbox(string to, string subject, MailBody body) =>
        new(new MailboxAddress("", to), subject, body, "ticketportal.local", 42, Now);

    private static byte[] Wired(MimeMessage message)
    {
        using var wire = new MemoryStream();
        message.WriteTo(Wire, wire);
        return wire.ToArray();
    }
}
