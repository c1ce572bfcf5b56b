using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using TicketPortal.Tests.Api;
using TicketPortal.Tests.Support;

namespace TicketPortal.Tests.Browser;

/// <summary>The portal on a real Kestrel port, and Debian's Chromium driven by Playwright.</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private static readonly string[] Candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

    private readonly KestrelPortalFactory _portal = new();
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = default!;

    public string BaseUrl { get; private set; } = "";

    /// <summary>The portal's data directory; its mail/pickup holds the mail it sent.</summary>
    public string DataDirectory => _portal.DataDirectory;

    /// <summary>PORTAL_CHROMIUM points at another Chromium; otherwise the usual Debian paths are tried.</summary>
    public static string FindChromium() =>
        Environment.GetEnvironmentVariable("PORTAL_CHROMIUM") is { Length: > 0 } configured
            ? File.Exists(configured) ? configured : throw new InvalidOperationException($"PORTAL_CHROMIUM={configured} does not exist.")
            : Candidates.FirstOrDefault(File.Exists)
              ?? throw new InvalidOperationException(
                  "Browser tests need Chromium: install it (Debian: apt-get install chromium) or set PORTAL_CHROMIUM to its path.");

    public async Task InitializeAsync()
    {
        var port = FreePort.Pick();
        _portal.UseKestrel(port);
        _portal.PublicUrl = $"http://127.0.0.1:{port}";
        _portal.StartServer();
        BaseUrl = $"http://127.0.0.1:{port}";
        // A loaded 2-core CI machine renders slower than a laptop; waiting is for a condition, so a longer limit costs nothing.
        Assertions.SetDefaultExpectTimeout(15_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = FindChromium(),
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    public async Task<IPage> SignInAsync(string email)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseUrl, ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/account/login");
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", "Demo-pass-1");
        await page.ClickAsync("button[type=submit]");
        await WaitForUrlAsync(page, new Regex("^" + Regex.Escape(BaseUrl) + "/$"));
        return page;
    }

    /// <summary>
    /// Waits until the page shows <paramref name="url"/>; when it does not, the failure says what the page shows instead and
    /// what the portal logged (a broken circuit, a refused save), so a failure in CI can be read without rerunning it.
    /// It waits for the address only, not for the page's load event: under load that event once failed to come within
    /// 30 s although the page was there, and every caller goes on with a locator, which waits for what it needs.
    /// </summary>
    public async Task WaitForUrlAsync(IPage page, Regex url)
    {
        try
        {
            await page.WaitForURLAsync(url, new() { WaitUntil = WaitUntilState.Commit });
        }
        catch (TimeoutException e)
        {
            var shown = await page.Locator("body").InnerTextAsync(new() { Timeout = 5_000 });
            throw new TimeoutException(
                $"The page stayed at {page.Url} instead of {url}.\nIt shows:\n{shown}\nThe portal logged:\n{string.Join("\n", _portal.Problems)}", e);
        }
    }

    /// <summary>An API client acting as a demo user, to prepare the state a browser test starts from.</summary>
    public async Task<HttpClient> ApiAsAsync(string email)
    {
        using var admin = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        admin.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", PortalFactory.BootstrapToken);
        var minted = await admin.PostAsync($"/api/users/{email}/tokens", null);
        minted.EnsureSuccessStatusCode();
        var token = System.Text.Json.JsonDocument.Parse(await minted.Content.ReadAsStringAsync()).RootElement.GetProperty("token").GetString();
        var client = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        _playwright?.Dispose();
        await _portal.DisposeAsync();
    }

    /// <summary>Serves the static web assets (Blazor's and MudBlazor's scripts) as a published app would.</summary>
    private sealed class KestrelPortalFactory : PortalFactory
    {
        /// <summary>Where links in mail point, so a test can open them as the customer would.</summary>
        public string? PublicUrl { get; set; }

        /// <summary>The portal's warnings and errors, newest last.</summary>
        public ConcurrentQueue<string> Problems { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Portal:PublicUrl", PublicUrl);
            builder.UseStaticWebAssets();
            builder.ConfigureLogging(logging => logging.Services.AddSingleton<ILoggerProvider>(new ProblemLog(Problems)));
        }
    }

    /// <summary>Keeps what the portal logs at warning and above.</summary>
    private sealed class ProblemLog(ConcurrentQueue<string> problems) : ILoggerProvider, ILogger
    {
        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                problems.Enqueue($"{logLevel}: {formatter(state, exception)} {exception}");
            }
        }

        public void Dispose()
        {
        }
    }
}
