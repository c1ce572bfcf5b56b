using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using TicketPortal.BenchShared;

namespace TicketPortal.BoardMemory;

/// <summary>The portal's REST API as the signed-in user: tickets for the board, and the moves that make open boards refresh.</summary>
public sealed class PortalApi : IDisposable
{
    private readonly HttpClient _http;

    private PortalApi(HttpClient http) => _http = http;

    /// <summary>Mints a token for the user with the bootstrap admin token, and acts as that user from then on.</summary>
    public static async Task<PortalApi> AsUserAsync(PortalProcess portal, string email, CancellationToken ct)
    {
        using var admin = new HttpClient { BaseAddress = portal.Address, Timeout = TimeSpan.FromSeconds(30) };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", portal.AdminToken);
        using var minted = await admin.PostAsync(new Uri($"/api/users/{email}/tokens", UriKind.Relative), null, ct);
        await EnsureAsync(minted, "mint a token", ct);
        using var body = JsonDocument.Parse(await minted.Content.ReadAsStringAsync(ct));
        var token = body.RootElement.GetProperty("token").GetString()
            ?? throw new InvalidOperationException("The token response has no token.");
        var http = new HttpClient { BaseAddress = portal.Address, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new PortalApi(http);
    }

    public async Task<int> CreateTicketAsync(string project, string tracker, string title, CancellationToken ct)
    {
        using var response = await _http.PostAsJsonAsync(new Uri("/api/tickets", UriKind.Relative),
            new { project, tracker, title, description = "Made by bench/TicketPortal.BoardMemory to fill the board." }, ct);
        await EnsureAsync(response, $"create a {project} ticket", ct);
        return await NumberAsync(response, ct);
    }

    /// <summary>Takes a step; the comment, when there is one, is internal so nobody is mailed.</summary>
    public async Task<string> TransitionAsync(int number, string transition, string? comment, CancellationToken ct)
    {
        using var response = await _http.PostAsJsonAsync(new Uri($"/api/tickets/{number}/transitions", UriKind.Relative),
            new { transition, comment, @internal = comment is not null }, ct);
        await EnsureAsync(response, $"take '{transition}' on #{number}", ct);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        return body.RootElement.GetProperty("status").GetString() ?? "";
    }

    public void Dispose() => _http.Dispose();

    private static async Task<int> NumberAsync(HttpResponseMessage response, CancellationToken ct)
    {
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        return body.RootElement.GetProperty("number").GetInt32();
    }

    private static async Task EnsureAsync(HttpResponseMessage response, string what, CancellationToken ct)
    {
        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            throw new InvalidOperationException($"Could not {what}: {(int)response.StatusCode} {text}");
        }
    }
}
