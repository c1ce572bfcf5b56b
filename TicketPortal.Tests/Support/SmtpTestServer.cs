using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TicketPortal.Tests.Support;

/// <summary>
/// A small RFC 5321 server on a free loopback port: EHLO/HELO, MAIL, RCPT, DATA (dot-unstuffed), RSET, NOOP, QUIT.
/// It keeps every accepted message with its envelope, refuses the recipients <see cref="Refuse"/> names with 550 and
/// answers QUIT with <see cref="QuitReply"/>.
/// </summary>
public sealed class SmtpTestServer : IAsyncDisposable
{
    private static readonly byte[] Crlf = "\r\n"u8.ToArray();

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _sessions = [];
    private readonly List<ReceivedMail> _received = [];
    private readonly Task _accepting;
    private int _connections;

    public SmtpTestServer()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public sealed record ReceivedMail(string From, IReadOnlyList<string> Recipients, byte[] Data);

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public Func<string, bool> Refuse { get; init; } = _ => false;

    public string QuitReply { get; init; } = "221 2.0.0 Bye";

    public int Connections => Volatile.Read(ref _connections);

    public IReadOnlyList<ReceivedMail> Received
    {
        get
        {
            lock (_received)
            {
                return [.. _received];
            }
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            Interlocked.Increment(ref _connections);
            lock (_sessions)
            {
                _sessions.Add(ServeAsync(client));
            }
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        await using var stream = new BufferedStream(client.GetStream());
        var ct = _stop.Token;
        string? from = null;
        var recipients = new List<string>();
        await ReplyAsync(stream, "220 localhost ESMTP test server", ct);
        while (await ReadLineAsync(stream, ct) is { } line)
        {
            var command = Encoding.ASCII.GetString(line);
            var verb = command.Split(' ', 2)[0].ToUpperInvariant();
            switch (verb)
            {
                case "EHLO" or "HELO":
                    (from, recipients) = (null, []);
                    await ReplyAsync(stream, "250 localhost", ct);
                    break;
                case "MAIL" when from is not null:
                    await ReplyAsync(stream, "503 5.5.1 Nested MAIL command", ct);
                    break;
                case "MAIL" when Address(command, "MAIL FROM:") is { } sender:
                    from = sender;
                    await ReplyAsync(stream, "250 2.1.0 Ok", ct);
                    break;
                case "RCPT" when from is null:
                    await ReplyAsync(stream, "503 5.5.1 Need MAIL before RCPT", ct);
                    break;
                case "RCPT" when Address(command, "RCPT TO:") is { } recipient:
                    if (Refuse(recipient))
                    {
                        await ReplyAsync(stream, $"550 5.1.1 <{recipient}>: Recipient address rejected", ct);
                        break;
                    }
                    recipients.Add(recipient);
                    await ReplyAsync(stream, "250 2.1.5 Ok", ct);
                    break;
                case "DATA" when from is { } sender && recipients.Count > 0:
                    await ReplyAsync(stream, "354 End data with <CR><LF>.<CR><LF>", ct);
                    var data = await ReadDataAsync(stream, ct);
                    lock (_received)
                    {
                        _received.Add(new ReceivedMail(sender, recipients, data));
                    }
                    (from, recipients) = (null, []);
                    await ReplyAsync(stream, "250 2.0.0 Ok: queued", ct);
                    break;
                case "RSET":
                    (from, recipients) = (null, []);
                    await ReplyAsync(stream, "250 2.0.0 Ok", ct);
                    break;
                case "NOOP":
                    await ReplyAsync(stream, "250 2.0.0 Ok", ct);
                    break;
                case "QUIT":
                    await ReplyAsync(stream, QuitReply, ct);
                    return;
                case "DATA":
                    await ReplyAsync(stream, "503 5.5.1 Need RCPT before DATA", ct);
                    break;
                case "MAIL" or "RCPT":
                    await ReplyAsync(stream, "501 5.5.4 Syntax: MAIL FROM:<address>, RCPT TO:<address>", ct);
                    break;
                default:
                    await ReplyAsync(stream, "502 5.5.2 Command not implemented", ct);
                    break;
            }
        }
    }

    /// <summary>The address in <c>MAIL FROM:&lt;a&gt; PARAMS</c> or <c>RCPT TO:&lt;a&gt;</c>; null when the command is malformed.</summary>
    private static string? Address(string command, string prefix)
    {
        if (!command.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var rest = command[prefix.Length..].TrimStart();
        var end = rest.IndexOf('>');
        return rest.StartsWith('<') && end > 0 ? rest[1..end] : null;
    }

    /// <summary>Lines up to the lone dot, with one leading dot taken off each (RFC 5321 4.5.2), joined by CRLF.</summary>
    private static async Task<byte[]> ReadDataAsync(Stream stream, CancellationToken ct)
    {
        using var data = new MemoryStream();
        while (await ReadLineAsync(stream, ct) is { } line && line is not [(byte)'.'])
        {
            data.Write(line is [(byte)'.', ..] ? line.AsSpan(1) : line);
            data.Write(Crlf);
        }
        return data.ToArray();
    }

    /// <summary>One line without its CRLF, byte for byte; null at the end of the stream.</summary>
    private static async Task<byte[]?> ReadLineAsync(Stream stream, CancellationToken ct)
    {
        var line = new List<byte>();
        var one = new byte[1];
        while (await stream.ReadAsync(one, ct) == 1)
        {
            line.Add(one[0]);
            if (line is [.., (byte)'\r', (byte)'\n'])
            {
                return [.. line[..^2]];
            }
        }
        return null;
    }

    private static async Task ReplyAsync(Stream stream, string reply, CancellationToken ct)
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes(reply + "\r\n"), ct);
        await stream.FlushAsync(ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        Task[] sessions;
        lock (_sessions)
        {
            sessions = [.. _sessions];
        }
        await Task.WhenAll(sessions.Select(s => s.ContinueWith(_ => { }, TaskScheduler.Default)));
        _stop.Dispose();
    }
}
