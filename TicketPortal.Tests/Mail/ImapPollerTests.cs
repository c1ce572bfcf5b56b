using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MimeKit;
using TicketPortal.Domain.Mail;
using TicketPortal.Jobs;
using TicketPortal.Tests.Support;

namespace TicketPortal.Tests.Mail;

public sealed class ImapPollerTests
{
    private static readonly FormatOptions Crlf = new() { NewLineFormat = NewLineFormat.Dos };

    [Fact]
    public async Task Poll_HandsEveryMessageOverUnchanged_AndMovesThemToProcessed()
    {
        await using var server = await DovecotServer.StartAsync();
        var sent = await AppendAsync(server, 3);
        var inbound = new RecordingInbound();

        var received = await Poller(server, inbound).PollAsync();

        Assert.Equal(3, received);
        Assert.Equal(Ids(sent), Ids(inbound.Received.Select(r => r.Raw)));
        Assert.Equal(sent, inbound.Received.Select(r => r.Raw));
        Assert.All(inbound.Received, r => Assert.Equal("SUP", r.Project));
        Assert.Empty(await ReadFolderAsync(server, "INBOX"));
        Assert.Equal(sent, await ReadFolderAsync(server, "Processed"));
    }

    [Fact]
    public async Task Poll_WhenTheIntakeRefusesOne_LeavesItInTheFolder_AndMovesTheOthers()
    {
        await using var server = await DovecotServer.StartAsync();
        var sent = await AppendAsync(server, 3);
        var refused = MimeMessage.Load(new MemoryStream(sent[1])).MessageId;

        var received = await Poller(server, new RecordingInbound(refused)).PollAsync();

        Assert.Equal(2, received);
        Assert.Equal(new[] { sent[1] }, await ReadFolderAsync(server, "INBOX"));
        Assert.Equal(new[] { sent[0], sent[2] }, await ReadFolderAsync(server, "Processed"));

        var retry = new RecordingInbound();
        Assert.Equal(1, await Poller(server, retry).PollAsync());
        Assert.Equal(new[] { sent[1] }, retry.Received.Select(r => r.Raw));
        Assert.Empty(await ReadFolderAsync(server, "INBOX"));
    }

    [Fact]
    public async Task Poll_OnAServerWithoutMoveOrUidPlus_CopiesAndExpunges()
    {
        await using var server = await DovecotServer.StartAsync(capabilities: "IMAP4rev1 LITERAL+ SASL-IR");
        var sent = await AppendAsync(server, 3);
        using (var client = await ConnectAsync(server))
        {
            Assert.False(client.Capabilities.HasFlag(ImapCapabilities.Move));
            Assert.False(client.Capabilities.HasFlag(ImapCapabilities.UidPlus));
        }
        var inbound = new RecordingInbound();

        var received = await Poller(server, inbound).PollAsync();

        Assert.Equal(3, received);
        Assert.Equal(sent, inbound.Received.Select(r => r.Raw));
        Assert.Empty(await ReadFolderAsync(server, "INBOX"));
        Assert.Equal(sent, await ReadFolderAsync(server, "Processed"));
    }

    [Fact]
    public async Task MailPollJob_PollsAtStart_AndAgainEachInterval()
    {
        await using var server = await DovecotServer.StartAsync();
        var first = await AppendAsync(server, 1);
        var inbound = new RecordingInbound();
        var settings = Settings(server);
        var clock = new FakeTimeProvider();
        var job = new MailPollJob(new ImapPoller(inbound, settings, NullLogger<ImapPoller>.Instance), settings, clock, NullLogger<MailPollJob>.Instance);

        await job.StartAsync(CancellationToken.None);
        await Eventually.HoldsAsync(() => Task.FromResult(inbound.Received.Count == 1), "The poll at start");
        var second = await AppendAsync(server, 1);
        clock.Advance(settings.Imap.PollInterval);
        await Eventually.HoldsAsync(() => Task.FromResult(inbound.Received.Count == 2), "The poll after one interval");
        await job.StopAsync(CancellationToken.None);

        Assert.Equal(first.Concat(second), inbound.Received.Select(r => r.Raw));
    }

    private static ImapPoller Poller(DovecotServer server, IInboundMail inbound) => new(inbound, Settings(server), NullLogger<ImapPoller>.Instance);

    private static MailSettings Settings(DovecotServer server) => new()
    {
        Imap = new ImapSettings
        {
            Host = "127.0.0.1",
            Port = server.Port,
            Security = SecureSocketOptions.None,
            Username = DovecotServer.User,
            Password = DovecotServer.Password,
            Project = "SUP",
        },
    };

    private static async Task<ImapClient> ConnectAsync(DovecotServer server)
    {
        var client = new ImapClient();
        await client.ConnectAsync("127.0.0.1", server.Port, SecureSocketOptions.None);
        await client.AuthenticateAsync(DovecotServer.User, DovecotServer.Password);
        return client;
    }

    /// <summary>Appends <paramref name="count"/> messages to INBOX; returns each as the raw bytes a mail client would send.</summary>
    private static async Task<List<byte[]>> AppendAsync(DovecotServer server, int count)
    {
        using var client = await ConnectAsync(server);
        var raws = new List<byte[]>();
        for (var i = 1; i <= count; i++)
        {
            var message = new MimeMessage { Subject = $"Printer {i} jams", MessageId = $"imap-{i}-{Guid.NewGuid():N}@customer.example" };
            message.From.Add(new MailboxAddress("Carla Customer", "customer@demo.local"));
            message.To.Add(new MailboxAddress("Support", "support@ticketportal.local"));
            message.Body = new TextPart("plain") { Text = $"Grüße, printer {i} jams again.\n-- \nCarla", ContentTransferEncoding = ContentEncoding.QuotedPrintable };
            using var raw = new MemoryStream();
            await message.WriteToAsync(Crlf, raw);
            raws.Add(raw.ToArray());
            await client.Inbox.AppendAsync(new AppendRequest(message));
        }
        await client.DisconnectAsync(true);
        return raws;
    }

    /// <summary>The raw messages in a folder, in UID order.</summary>
    private static async Task<List<byte[]>> ReadFolderAsync(DovecotServer server, string name)
    {
        using var client = await ConnectAsync(server);
        var folder = await client.GetFolderAsync(name);
        await folder.OpenAsync(FolderAccess.ReadOnly);
        var raws = new List<byte[]>();
        foreach (var uid in await folder.SearchAsync(MailKit.Search.SearchQuery.All))
        {
            await using var stream = await folder.GetStreamAsync(uid);
            using var raw = new MemoryStream();
            await stream.CopyToAsync(raw);
            raws.Add(raw.ToArray());
        }
        await client.DisconnectAsync(true);
        return raws;
    }

    private static List<string?> Ids(IEnumerable<byte[]> raws) => raws.Select(r => MimeMessage.Load(new MemoryStream(r)).MessageId).ToList();

    /// <summary>Records what the intake was given; throws for the message with the Message-ID <paramref name="refuse"/>.</summary>
    private sealed class RecordingInbound(string? refuse = null) : IInboundMail
    {
        public List<(byte[] Raw, string? Project)> Received { get; } = [];

        public Task<InboundReceipt> ReceiveAsync(byte[] raw, string? project, CancellationToken ct = default)
        {
            if (MimeMessage.Load(new MemoryStream(raw), ct).MessageId == refuse)
            {
                throw new InvalidOperationException("The intake is down for this one.");
            }
            Received.Add((raw, project));
            return Task.FromResult(new InboundReceipt(Received.Count, InboundOutcome.Ticket, Received.Count, null, false));
        }
    }
}
