using Microsoft.Playwright;

namespace TicketPortal.BoardMemory;

/// <summary>
/// Chromium driven by Playwright: one sign-in whose cookies every later context reuses, then board pages, each its own
/// Blazor circuit, opened a few at a time and kept open until <see cref="CloseAllAsync"/>.
/// </summary>
public sealed class BoardBrowser : IAsyncDisposable
{
    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;
    private readonly MemoryOptions _options;
    private readonly string _baseUrl;
    private readonly List<IBrowserContext> _contexts = [];
    private readonly List<IPage> _pages = [];
    private string? _storageState;

    private BoardBrowser(IPlaywright playwright, IBrowser browser, MemoryOptions options, Uri address)
    {
        _playwright = playwright;
        _browser = browser;
        _options = options;
        _baseUrl = address.ToString().TrimEnd('/');
    }

    public int OpenPages => _pages.Count;

    public IReadOnlyList<IPage> Pages => _pages;

    public static async Task<BoardBrowser> LaunchAsync(MemoryOptions options, Uri address)
    {
        if (!File.Exists(options.Chromium))
        {
            throw new FileNotFoundException($"No Chromium at {options.Chromium} (Debian: apt-get install chromium), or pass --chromium.");
        }
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = options.Chromium,
                Headless = true,
                Timeout = 60_000,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic", "--no-first-run",
                    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                    $"--renderer-process-limit={options.RendererLimit}"],
            });
            return new BoardBrowser(playwright, browser, options, address);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>Signs in once on /account/login and keeps the cookies for every later context.</summary>
    public async Task SignInAsync()
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = _baseUrl });
        context.SetDefaultTimeout((float)_options.PageTimeout.TotalMilliseconds);
        try
        {
            var page = await context.NewPageAsync();
            await page.GotoAsync("/account/login");
            await page.FillAsync("#email", _options.Email);
            await page.FillAsync("#password", _options.Password);
            await page.ClickAsync("button[type=submit]");
            await page.WaitForURLAsync(_baseUrl + "/");
            _storageState = await context.StorageStateAsync();
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    /// <summary>Opens pages until <paramref name="total"/> are open, <see cref="MemoryOptions.Parallel"/> at a time; returns the cards the last one shows.</summary>
    public async Task<int> OpenBoardsAsync(int total, CancellationToken ct)
    {
        var cards = 0;
        while (_pages.Count < total)
        {
            ct.ThrowIfCancellationRequested();
            var batch = Math.Min(_options.Parallel, total - _pages.Count);
            var pages = new List<IPage>();
            for (var i = 0; i < batch; i++)
            {
                pages.Add(await NewPageAsync());
            }
            var counts = await Task.WhenAll(pages.Select(OpenBoardAsync));
            cards = counts[^1];
        }
        return cards;
    }

    /// <summary>Whether a page came to show what a move should make it show (a page that refreshed after the change).</summary>
    public static async Task<bool> ShowsAsync(IPage page, Expectation expected, TimeSpan limit)
    {
        try
        {
            await page.Locator(expected.Selector).WaitForAsync(new LocatorWaitForOptions
            {
                State = expected.Visible ? WaitForSelectorState.Visible : WaitForSelectorState.Hidden,
                Timeout = (float)limit.TotalMilliseconds,
            });
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    public async Task CloseAllAsync()
    {
        foreach (var page in _pages)
        {
            await page.CloseAsync();
        }
        foreach (var context in _contexts)
        {
            await context.CloseAsync();
        }
        _pages.Clear();
        _contexts.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await CloseAllAsync();
        }
        catch (PlaywrightException)
        {
        }
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }

    private async Task<IPage> NewPageAsync()
    {
        if (_storageState is null)
        {
            throw new InvalidOperationException("Sign in before opening boards.");
        }
        if (_contexts.Count == 0 || _pages.Count % _options.PagesPerContext == 0)
        {
            var context = await _browser.NewContextAsync(new BrowserNewContextOptions
            {
                BaseURL = _baseUrl,
                StorageState = _storageState,
                ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            });
            context.SetDefaultTimeout((float)_options.PageTimeout.TotalMilliseconds);
            _contexts.Add(context);
        }
        var page = await _contexts[^1].NewPageAsync();
        _pages.Add(page);
        return page;
    }

    private async Task<int> OpenBoardAsync(IPage page)
    {
        await page.GotoAsync(_options.Path);
        await page.Locator(_options.Ready).WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible, Timeout = (float)_options.PageTimeout.TotalMilliseconds });
        if (page.Url.Contains("/account/login", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{_options.Path} sent the browser to the sign-in page: the reused cookies did not sign it in.");
        }
        return await page.Locator("[data-testid^=card-]").CountAsync();
    }
}
