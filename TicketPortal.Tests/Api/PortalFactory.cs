using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;

namespace TicketPortal.Tests.Api;

/// <summary>The whole portal on a fresh SQLite file in its own data directory, seeded with the demo data.</summary>
public class PortalFactory : WebApplicationFactory<Program>
{
    public const string BootstrapToken = "test-bootstrap-token";

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "ticketportal-api", Guid.NewGuid().ToString("N"));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Portal:DataDirectory", DataDirectory);
        builder.UseSetting("Portal:BootstrapAdminToken", BootstrapToken);
        builder.UseSetting("Portal:SeedDemoData", "true");
    }

    public HttpClient Admin() => WithToken(BootstrapToken);

    public HttpClient WithToken(string token)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A client acting as a demo user, through a token the admin minted.</summary>
    public async Task<HttpClient> AsAsync(string email)
    {
        var response = await Admin().PostAsync($"/api/users/{email}/tokens", null);
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<TokenBody>())!.Token;
        return WithToken(token);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean up with the rest of the temp folder.
        }
    }

    private sealed record TokenBody(string Token);
}
