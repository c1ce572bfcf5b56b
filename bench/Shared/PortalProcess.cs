using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace TicketPortal.BenchShared;

/// <summary>How a bench tool starts the portal: the built dll, its port and content root, and extra environment.</summary>
public sealed record PortalStart(
    string Portal, int Port, string? ContentRoot, string Environment, IReadOnlyList<KeyValuePair<string, string>> PortalEnvironment,
    string? KeepLog, string TempPrefix);

/// <summary>
/// The portal as a child process on a fresh data directory: started from a built TicketPortal.dll, waited for on
/// /healthz, and on dispose killed by its own PID (never by name) with its data directory deleted.
/// </summary>
public sealed class PortalProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly string? _keepLog;

    private PortalProcess(Process process, StreamWriter log, string dataDirectory, string logFile, Uri address, string adminToken, string? keepLog)
    {
        _process = process;
        _log = log;
        DataDirectory = dataDirectory;
        LogFile = logFile;
        Address = address;
        AdminToken = adminToken;
        _keepLog = keepLog;
    }

    public Uri Address { get; }
    public string AdminToken { get; }
    public string DataDirectory { get; }
    public string LogFile { get; }
    public int Id => _process.Id;
    public bool HasExited => _process.HasExited;

    public static async Task<PortalProcess> StartAsync(PortalStart options, CancellationToken ct)
    {
        var dll = Path.GetFullPath(options.Portal);
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException(
                $"No portal at {dll}. Build it first: dotnet build -c Release TicketPortal/TicketPortal.csproj -o {Path.GetDirectoryName(dll)}");
        }
        var contentRoot = options.ContentRoot is null ? Path.GetDirectoryName(dll)! : Path.GetFullPath(options.ContentRoot);
        if (!Directory.Exists(contentRoot))
        {
            throw new FileNotFoundException($"No content root at {contentRoot}.");
        }
        EnsurePortIsFree(options.Port);
        var dataDirectory = Directory.CreateTempSubdirectory(options.TempPrefix).FullName;
        var logFile = Path.Combine(dataDirectory, "portal.log");
        var address = new Uri($"http://127.0.0.1:{options.Port}");
        var adminToken = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));

        // "dotnet TicketPortal.dll" runs the app in the dotnet process itself, so this PID is the one whose memory counts.
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = contentRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--contentRoot");
        start.ArgumentList.Add(contentRoot);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = options.Environment;
        start.Environment["Portal__DataDirectory"] = dataDirectory;
        start.Environment["Portal__SeedDemoData"] = "true";
        start.Environment["Portal__BootstrapAdminToken"] = adminToken;
        start.Environment["ASPNETCORE_URLS"] = address.ToString();
        // TicketPortal/appsettings.json may set "Urls", which outranks ASPNETCORE_URLS; an unprefixed variable outranks the file.
        start.Environment["Urls"] = address.ToString();
        start.Environment["Portal__PublicUrl"] = address.ToString();
        foreach (var (key, value) in options.PortalEnvironment)
        {
            start.Environment[key] = value;
        }
        var log = new StreamWriter(logFile) { AutoFlush = true };
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var portal = new PortalProcess(process, log, dataDirectory, logFile, address, adminToken, options.KeepLog);
        process.OutputDataReceived += (_, e) => portal.Write(e.Data);
        process.ErrorDataReceived += (_, e) => portal.Write(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await portal.WaitHealthyAsync(ct);
        }
        catch
        {
            await portal.DisposeAsync();
            throw;
        }
        return portal;
    }

    /// <summary>For process exit, when there is no time for <see cref="DisposeAsync"/>: at least the child does not outlive the tool.</summary>
    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException)
        {
            Console.Error.WriteLine($"The portal (PID {_process.Id}) did not exit: {e.Message}");
        }
        lock (_log)
        {
            _log.Dispose();
        }
        if (_keepLog is not null)
        {
            File.Copy(LogFile, _keepLog, overwrite: true);
        }
        _process.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"Could not delete {DataDirectory}: {e.Message}");
        }
    }

    /// <summary>The last lines the portal wrote, to explain a failure.</summary>
    public string Tail(int lines = 30)
    {
        lock (_log)
        {
            _log.Flush();
        }
        using var reader = new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var text = new StreamReader(reader);
        return string.Join(System.Environment.NewLine, text.ReadToEnd().Split('\n').TakeLast(lines));
    }

    private void Write(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_log)
        {
            if (_log.BaseStream.CanWrite)
            {
                _log.WriteLine(line);
            }
        }
    }

    private async Task WaitHealthyAsync(CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < StartTimeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The portal exited with code {_process.ExitCode} while starting:{System.Environment.NewLine}{Tail()}");
            }
            try
            {
                using var response = await http.GetAsync(new Uri("/healthz", UriKind.Relative), ct);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
            }
            await Task.Delay(TimeSpan.FromMilliseconds(200), ct);
        }
        throw new TimeoutException($"The portal did not answer /healthz with 200 within {StartTimeout.TotalSeconds:F0} s:{System.Environment.NewLine}{Tail()}");
    }

    /// <summary>Refuses a port someone else listens on: /healthz would then measure their process, not ours.</summary>
    private static void EnsurePortIsFree(int port)
    {
        using var probe = new TcpListener(IPAddress.Loopback, port);
        try
        {
            probe.Start();
        }
        catch (SocketException e)
        {
            throw new InvalidOperationException($"Port {port} is in use ({e.SocketErrorCode}); pick another with --port.", e);
        }
        finally
        {
            probe.Stop();
        }
    }
}
