using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using TicketPortal.Domain.Persistence;

namespace TicketPortal.Domain.Mail;

/// <summary><c>Portal:Mail</c>: SMTP when a host is set, otherwise .eml files in the pickup directory.</summary>
public sealed class MailSettings
{
    public string From { get; set; } = "TicketPortal <ticketportal@localhost>";
    public string PickupDirectory { get; set; } = "";
    public SmtpSettings Smtp { get; set; } = new();
    public TimeSpan SendInterval { get; set; } = TimeSpan.FromSeconds(2);
    public ImapSettings Imap { get; set; } = new();
    /// <summary>Intake addresses per project key (<c>Portal__Mail__Projects__SUP=support@example.com</c>): mail to one becomes a ticket there, and replies go back to it.</summary>
    public Dictionary<string, string> Projects { get; set; } = new(StringComparer.OrdinalIgnoreCase);
    /// <summary>Larger inbound messages are kept in the quarantine, not filed.</summary>
    public long MaxMessageBytes { get; set; } = 25 * 1024 * 1024;
    public int MaxAttachments { get; set; } = 20;
    /// <summary>The portal's public address for links in mail; set at start from <c>Portal__PublicUrl</c>.</summary>
    public string PortalUrl { get; set; } = "http://localhost:5080";

    /// <summary>The right-hand side of the Message-IDs we make.</summary>
    public string Domain => Uri.TryCreate(PortalUrl, UriKind.Absolute, out var url) ? url.Host : "localhost";

    public string Link(string path) => PortalUrl.TrimEnd('/') + path;

    /// <summary>The project an intake address belongs to, or null.</summary>
    public string? ProjectOf(string address) =>
        Projects.FirstOrDefault(p => string.Equals(p.Value.Trim(), address, StringComparison.OrdinalIgnoreCase)).Key;

    public string? AddressOf(string project) => Projects.GetValueOrDefault(project);
}

public sealed class SmtpSettings
{
    public string? Host { get; set; }
    public int Port { get; set; } = 25;
    public string? Username { get; set; }
    public string? Password { get; set; }
    public bool StartTls { get; set; }
}

/// <summary>
/// Where finished messages go, in order. Throws at the first message it cannot deliver; the ones before it were
/// delivered, so a caller that retries the whole list sends those again (the outbox therefore sends one at a time).
/// </summary>
public interface IMailTransport
{
    /// <summary>Delivering a message again replaces it instead of doubling it, so the outbox may record deliveries in batches.</summary>
    bool RedeliveryIsHarmless { get; }

    Task SendAsync(IReadOnlyList<MimeMessage> messages, CancellationToken ct);
}

/// <summary>
/// Each message as an .eml file named by its Message-ID, written to a temporary name and renamed: a file is whole or
/// absent, and delivering the same message twice (after a crash) leaves one file. The messages of one call reach the disk
/// together (<see cref="DurableFile.ReplaceAll"/>), so the outbox hands over a whole batch at once.
/// </summary>
public sealed class PickupDirectoryTransport(string directory) : IMailTransport
{
    public bool RedeliveryIsHarmless => true;

    public async Task SendAsync(IReadOnlyList<MimeMessage> messages, CancellationToken ct)
    {
        Directory.CreateDirectory(directory);
        var files = new List<(string Temporary, string Path, ReadOnlyMemory<byte> Content)>(messages.Count);
        foreach (var message in messages)
        {
            var name = FileName(message.MessageId ?? throw new ArgumentException("A message to deliver needs a Message-ID.", nameof(messages)));
            // Written in one piece: MimeKit writes in many small ones.
            using var buffer = new MemoryStream();
            await message.WriteToAsync(FormatOptions.Default, buffer, ct);
            files.Add((Path.Combine(directory, "." + name + ".tmp"), Path.Combine(directory, name), buffer.GetBuffer().AsMemory(0, (int)buffer.Length)));
        }
        DurableFile.ReplaceAll(files);
    }

    public static string FileName(string messageId) =>
        string.Concat(messageId.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '@' ? c : '_')) + ".eml";
}

/// <summary>
/// SMTP through MailKit: one connection per call, the envelope from the message's sender and recipients. A failed QUIT
/// after the server took the messages is not a failure (MailKit ignores it), so nothing delivered is reported undelivered.
/// </summary>
public sealed class SmtpTransport(SmtpSettings settings) : IMailTransport
{
    public bool RedeliveryIsHarmless => false;

    public async Task SendAsync(IReadOnlyList<MimeMessage> messages, CancellationToken ct)
    {
        using var client = new SmtpClient();
        await client.ConnectAsync(settings.Host ?? "localhost", settings.Port, settings.StartTls ? SecureSocketOptions.StartTls : SecureSocketOptions.None, ct);
        if (!string.IsNullOrEmpty(settings.Username))
        {
            await client.AuthenticateAsync(settings.Username, settings.Password ?? "", ct);
        }
        foreach (var message in messages)
        {
            await client.SendAsync(message, ct);
        }
        await client.DisconnectAsync(true, ct);
    }
}
