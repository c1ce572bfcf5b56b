using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace TicketPortal.Tests.Support;

/// <summary>
/// A real Dovecot IMAP server of the test's own: plaintext on a free loopback port, one user in a passwd file, maildirs
/// in a temporary folder. Dovecot refuses mail access as root, so under root (CI) it runs as <c>nobody</c>.
/// </summary>
public sealed class DovecotServer : IAsyncDisposable
{
    public const string User = "intake";
    public const string Password = "Imap-pass-1";
    private const string Executable = "/usr/sbin/dovecot";

    private readonly TempFolder _folder = new();
    private readonly StringBuilder _errors = new();
    private Process? _process;

    public int Port { get; } = FreePort.Pick();

    private string LogPath => _folder.Sub("dovecot.log");

    /// <summary>Starts the server and waits until it answers; <paramref name="capabilities"/> replaces what it announces after login.</summary>
    public static async Task<DovecotServer> StartAsync(string? capabilities = null)
    {
        if (!File.Exists(Executable))
        {
            throw new InvalidOperationException(
                "IMAP tests need Dovecot: install it (Debian: apt-get install dovecot-imapd); .ci/run does so when it is missing.");
        }
        var server = new DovecotServer();
        try
        {
            await server.RunAsync(capabilities);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private async Task RunAsync(string? capabilities)
    {
        var privileged = Environment.IsPrivilegedProcess;
        var user = privileged ? "nobody" : Environment.UserName;
        if (privileged && OperatingSystem.IsLinux())
        {
            File.SetUnixFileMode(_folder.Path, (UnixFileMode)0b111_111_111);
        }
        var passwd = _folder.Sub("passwd");
        await File.WriteAllTextAsync(passwd, $"{User}:{{PLAIN}}{Password}::::{_folder.Sub("home")}\n");
        var config = _folder.Sub("dovecot.conf");
        await File.WriteAllTextAsync(config, $$"""
            protocols = imap
            listen = 127.0.0.1
            base_dir = {{_folder.Sub("run")}}
            state_dir = {{_folder.Sub("state")}}
            log_path = {{LogPath}}
            ssl = no
            disable_plaintext_auth = no
            mail_location = maildir:~/Maildir
            default_login_user = {{user}}
            default_internal_user = {{user}}
            default_internal_group =
            {{(capabilities is null ? "" : "imap_capability = " + capabilities)}}
            passdb {
              driver = passwd-file
              args = {{passwd}}
            }
            userdb {
              driver = passwd-file
              args = {{passwd}}
            }
            service imap-login {
              chroot =
              inet_listener imap {
                port = {{Port}}
              }
              inet_listener imaps {
                port = 0
              }
            }
            service anvil {
              chroot =
            }

            """);
        var start = new ProcessStartInfo { RedirectStandardError = true, RedirectStandardOutput = true };
        if (privileged)
        {
            var nobody = File.ReadLines("/etc/passwd").Select(l => l.Split(':')).First(f => f[0] == "nobody");
            start.FileName = "setpriv";
            foreach (var argument in new[] { $"--reuid={nobody[2]}", $"--regid={nobody[3]}", "--clear-groups", Executable })
            {
                start.ArgumentList.Add(argument);
            }
        }
        else
        {
            start.FileName = Executable;
        }
        foreach (var argument in new[] { "-F", "-c", config })
        {
            start.ArgumentList.Add(argument);
        }
        _process = Process.Start(start) ?? throw new InvalidOperationException("Dovecot did not start.");
        _process.ErrorDataReceived += (_, e) => _errors.AppendLine(e.Data);
        _process.OutputDataReceived += (_, e) => _errors.AppendLine(e.Data);
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
        await WaitUntilListeningAsync();
    }

    private async Task WaitUntilListeningAsync()
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", Port);
                return;
            }
            catch (SocketException) when (!_process!.HasExited && clock.Elapsed < TimeSpan.FromSeconds(20))
            {
                await Task.Delay(50);
            }
            catch (SocketException e)
            {
                var log = File.Exists(LogPath) ? await File.ReadAllTextAsync(LogPath) : "";
                throw new InvalidOperationException($"Dovecot did not listen on port {Port}: {_errors}{log}", e);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process?.Dispose();
        _folder.Dispose();
    }
}
