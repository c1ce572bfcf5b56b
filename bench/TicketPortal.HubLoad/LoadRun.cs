using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using TicketPortal.BenchShared;

namespace TicketPortal.HubLoad;

/// <summary>
/// Opens the hub connections, makes the changes one at a time (each waits until every client has it, or the delivery
/// timeout), and reports the delivery latency distribution.
/// </summary>
public static class LoadRun
{
    public const string Email = "support@demo.local";
    private const string Project = "SUP";
    private const int ConnectParallelism = 16;

    public static async Task<int> ExecuteAsync(LoadOptions options, PortalProcess portal, CancellationToken ct)
    {
        var load = Machine.LoadAverage();
        using var admin = Http(portal.Address, portal.AdminToken);
        using var minted = await admin.PostAsync(new Uri($"/api/users/{Email}/tokens", UriKind.Relative), null, ct);
        await EnsureOkAsync(minted, "minting a token", ct);
        var token = (await minted.Content.ReadFromJsonAsync<TokenResponse>(ct))!.Token;
        using var http = Http(portal.Address, token);
        // Fresh tickets, made before any client listens, so their journals stay short and their creation is not measured.
        var numbers = new int[options.Tickets];
        for (var i = 0; i < numbers.Length; i++)
        {
            var ticket = new { project = Project, tracker = "Support", title = $"HubLoad ticket {i + 1}", description = "Notes from the hub load tool." };
            using var created = await http.PostAsJsonAsync(new Uri("/api/tickets", UriKind.Relative), ticket, ct);
            await EnsureOkAsync(created, $"creating a {Project} ticket", ct);
            numbers[i] = (await created.Content.ReadFromJsonAsync<TicketVersion>(ct))!.Number;
        }

        var log = new DeliveryLog(options.Clients);
        var clock = Stopwatch.StartNew();
        var (connections, closed) = await ConnectAsync(portal.Address, token, log, options.Clients, ct);
        Console.WriteLine($"{options.Clients} WebSocket hub connections as {Email} open after {clock.Elapsed.TotalSeconds:F1} s");
        var changes = new List<Change>(options.Changes);
        var warmUp = new List<Change>(options.WarmUp);
        int dropped;
        try
        {
            clock.Restart();
            for (var i = 0; i < options.WarmUp + options.Changes; i++)
            {
                var change = await ChangeAsync(http, log, numbers[i % numbers.Length], i, options, ct);
                (i < options.WarmUp ? warmUp : changes).Add(change);
                if (options.GapMilliseconds > 0)
                {
                    await Task.Delay(options.GapMilliseconds, ct);
                }
            }
            Console.WriteLine($"{options.WarmUp} warm-up and {options.Changes} measured internal notes on {Project} "
                + $"#{string.Join(", #", numbers)} in {clock.Elapsed.TotalSeconds:F1} s, one at a time");
        }
        finally
        {
            // Disposing a connection raises Closed too; only closes before this point are drops.
            dropped = closed.Count;
            await CloseAsync(connections);
        }

        var report = Report.From(changes, warmUp, log, dropped);
        report.Print(Console.Out, options, load, Machine.LoadAverage());
        return report.AllDelivered ? 0 : 1;
    }

    private sealed record TokenResponse(string Token);

    private sealed record TicketVersion(int Number, int Version);

    private static async Task<Change> ChangeAsync(HttpClient http, DeliveryLog log, int number, int index, LoadOptions options, CancellationToken ct)
    {
        // Internal, so the portal mails nobody: outbox work would compete for the two cores and blur the figure.
        var note = new { text = $"HubLoad note {index}", @internal = true };
        var sent = Stopwatch.GetTimestamp();
        using var response = await http.PostAsJsonAsync(new Uri($"/api/tickets/{number}/notes", UriKind.Relative), note, ct);
        var answered = Stopwatch.GetTimestamp();
        await EnsureOkAsync(response, $"adding a note to #{number}", ct);
        var ticket = (await response.Content.ReadFromJsonAsync<TicketVersion>(ct))!;
        var receipts = log.For(ticket.Number, ticket.Version);
        var timedOut = false;
        try
        {
            await receipts.All.WaitAsync(options.DeliveryTimeout, ct);
        }
        catch (TimeoutException)
        {
            timedOut = true;
        }
        return new Change(ticket.Number, ticket.Version, sent, answered, receipts, timedOut);
    }

    private static async Task<(HubConnection[] Connections, IReadOnlyCollection<int> Dropped)> ConnectAsync(
        Uri address, string token, DeliveryLog log, int count, CancellationToken ct)
    {
        var connections = new HubConnection[count];
        var dropped = new System.Collections.Concurrent.ConcurrentBag<int>();
        var hub = new Uri(address, "/hubs/tickets");
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = ConnectParallelism, CancellationToken = ct };
        try
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, count), parallel, async (client, cancel) =>
            {
                var connection = new HubConnectionBuilder()
                    .WithUrl(hub, HttpTransportType.WebSockets, o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
                    .Build();
                connection.On<TicketChangedMessage>("TicketChanged", message => log.Receive(client, message));
                connection.Closed += _ =>
                {
                    dropped.Add(client);
                    return Task.CompletedTask;
                };
                connections[client] = connection;
                await connection.StartAsync(cancel);
            });
        }
        catch
        {
            await CloseAsync(connections);
            throw;
        }
        return (connections, dropped);
    }

    private static async Task CloseAsync(HubConnection?[] connections)
    {
        var closing = Task.WhenAll(connections.OfType<HubConnection>().Select(c => c.DisposeAsync().AsTask()));
        try
        {
            await closing.WaitAsync(TimeSpan.FromSeconds(15));
        }
        catch (TimeoutException)
        {
            Console.Error.WriteLine("Some hub connections did not close within 15 s; the portal is stopped anyway.");
        }
    }

    private static HttpClient Http(Uri address, string token)
    {
        var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    private static async Task EnsureOkAsync(HttpResponseMessage response, string what, CancellationToken ct)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
        }
    }
}

/// <summary>One measured change: when its request was sent and answered (Stopwatch ticks), and who received it when.</summary>
public sealed record Change(int Number, int Version, long Sent, long Answered, DeliveryLog.Receipts Receipts, bool TimedOut);
