using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using Microsoft.Extensions.Logging;

namespace TicketPortal.Domain.Mail;

/// <summary><c>Portal:Mail:Imap</c>: a mailbox polled for incoming mail; off unless <see cref="Host"/> is set.</summary>
public sealed class ImapSettings
{
    public string? Host { get; set; }
    public int Port { get; set; } = 993;
    /// <summary>MailKit's choice: <c>SslOnConnect</c> (993), <c>StartTls</c> or <c>None</c> (143), <c>StartTlsWhenAvailable</c>, <c>Auto</c>.</summary>
    public SecureSocketOptions Security { get; set; } = SecureSocketOptions.SslOnConnect;
    public string? Username { get; set; }
    public string? Password { get; set; }
    public string Folder { get; set; } = "INBOX";
    public string ProcessedFolder { get; set; } = "Processed";
    /// <summary>The fallback project for mail whose recipient maps to none.</summary>
    public string? Project { get; set; }
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(1);

    public bool Enabled => !string.IsNullOrWhiteSpace(Host);
}

/// <summary>
/// Hands every message in the IMAP folder to the intake and, only once the intake has taken it, moves it to the
/// processed folder (MOVE, or where the server lacks it MailKit's COPY + \Deleted + an expunge of just that message).
/// A crash between the two leaves the message in the folder, so the next poll delivers it again and the intake, which
/// de-duplicates by Message-ID, does nothing twice. A message the intake refuses stays in the folder and the others go on.
/// </summary>
public sealed class ImapPoller(IInboundMail inbound, MailSettings settings, ILogger<ImapPoller> log)
{
    // Checked when the poller is made, so a half-configured mailbox stops the start instead of failing every poll.
    private readonly string _host = Required(settings.Imap.Host, nameof(ImapSettings.Host));
    private readonly string _username = Required(settings.Imap.Username, nameof(ImapSettings.Username));

    /// <summary>Receives what is in the folder now; returns how many messages the intake took.</summary>
    public async Task<int> PollAsync(CancellationToken ct = default)
    {
        var imap = settings.Imap;
        using var client = new ImapClient();
        await client.ConnectAsync(_host, imap.Port, imap.Security, ct);
        await client.AuthenticateAsync(_username, imap.Password ?? "", ct);
        var processed = await ProcessedFolderAsync(client, imap.ProcessedFolder, ct);
        var folder = await client.GetFolderAsync(imap.Folder, ct);
        await folder.OpenAsync(FolderAccess.ReadWrite, ct);
        var received = 0;
        // Not \Deleted: a message flagged so was deleted by a person or already copied by an interrupted fallback move.
        foreach (var uid in await folder.SearchAsync(SearchQuery.NotDeleted, ct))
        {
            try
            {
                await inbound.ReceiveAsync(await RawAsync(folder, uid, ct), imap.Project, ct);
                await folder.MoveToAsync(uid, processed, ct);
                received++;
            }
            catch (Exception e) when (e is not OperationCanceledException && client.IsConnected)
            {
                log.LogError(e, "Mail {Uid} in IMAP folder {Folder} was not received; it stays there and is tried again next poll.", uid, imap.Folder);
            }
        }
        await client.DisconnectAsync(true, ct);
        return received;
    }

    private static string Required(string? value, string name) =>
        string.IsNullOrWhiteSpace(value) ? throw new InvalidOperationException($"Portal:Mail:Imap:{name} is required to poll a mailbox.") : value;

    private static async Task<byte[]> RawAsync(IMailFolder folder, UniqueId uid, CancellationToken ct)
    {
        await using var message = await folder.GetStreamAsync(uid, ct);
        using var buffer = new MemoryStream();
        await message.CopyToAsync(buffer, ct);
        return buffer.ToArray();
    }

    private static async Task<IMailFolder> ProcessedFolderAsync(ImapClient client, string name, CancellationToken ct)
    {
        try
        {
            return await client.GetFolderAsync(name, ct);
        }
        catch (FolderNotFoundException)
        {
            var root = client.GetFolder(client.PersonalNamespaces[0]);
            var created = await root.CreateAsync(name, isMessageFolder: true, ct)
                ?? throw new InvalidOperationException($"The IMAP server did not create the folder {name}.");
            await created.SubscribeAsync(ct);
            return created;
        }
    }
}
