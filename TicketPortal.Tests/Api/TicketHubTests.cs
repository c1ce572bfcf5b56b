using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using TicketPortal.Tests.Support;

namespace TicketPortal.Tests.Api;

/// <summary>A real SignalR .NET client on the hub: every change arrives, and only at those who may see the ticket.</summary>
public sealed class TicketHubTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    public sealed record Message(int Number, string Project, string Status, int Version);

    private async Task<(HubConnection Connection, ConcurrentQueue<Message> Received)> ConnectAsync(string token)
    {
        var received = new ConcurrentQueue<Message>();
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(portal.Server.BaseAddress, "hubs/tickets"), o =>
            {
                o.HttpMessageHandlerFactory = _ => portal.Server.CreateHandler();
                o.Transports = HttpTransportType.LongPolling;
                o.AccessTokenProvider = () => Task.FromResult<string?>(token);
            })
            .Build();
        connection.On<Message>("TicketChanged", received.Enqueue);
        await connection.StartAsync();
        return (connection, received);
    }

    private async Task<string> TokenAsync(string email)
    {
        var response = await portal.Admin().PostAsync($"/api/users/{email}/tokens", null);
        return (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["token"]!;
    }

    [Fact]
    public async Task Changes_ReachStaffAndTheReporter_AndNobodyWhoMayNotSeeTheTicket()
    {
        var customerToken = await TokenAsync("customer@demo.local");
        var support = await portal.AsAsync("support@demo.local");
        var (customerHub, toCustomer) = await ConnectAsync(customerToken);
        var (supportHub, toSupport) = await ConnectAsync(await TokenAsync("support@demo.local"));
        var (directorHub, toDirector) = await ConnectAsync(await TokenAsync("itdirector@demo.local"));
        var customer = portal.WithToken(customerToken);

        var mine = (int)JsonNode.Parse(await (await customer.PostAsJsonAsync("/api/tickets",
            new { project = "QAV", tracker = "Defect", title = "Hub check" })).Content.ReadAsStringAsync())!["number"]!;
        await support.PostAsJsonAsync($"/api/tickets/{mine}/transitions", new { transition = "assign" });
        var staffOnly = (int)JsonNode.Parse(await (await support.PostAsJsonAsync("/api/tickets",
            new { project = "SUP", tracker = "Support", title = "Staff only" })).Content.ReadAsStringAsync())!["number"]!;
        var last = (int)JsonNode.Parse(await (await customer.PostAsJsonAsync("/api/tickets",
            new { project = "SUP", tracker = "Support", title = "Last one" })).Content.ReadAsStringAsync())!["number"]!;

        await Eventually.HoldsAsync(() => Task.FromResult(toCustomer.Any(m => m.Number == last) && toSupport.Any(m => m.Number == last)), "Delivery of the last change");
        Assert.Contains(toCustomer, m => m is { Project: "QAV", Status: "Assigned", Version: 2 } && m.Number == mine);
        Assert.DoesNotContain(toCustomer, m => m.Number == staffOnly);
        Assert.Contains(toSupport, m => m.Number == staffOnly);
        Assert.Contains(toSupport, m => m.Number == mine);
        Assert.DoesNotContain(toDirector, m => m.Number == mine || m.Number == staffOnly || m.Number == last);
        await Task.WhenAll(customerHub.DisposeAsync().AsTask(), supportHub.DisposeAsync().AsTask(), directorHub.DisposeAsync().AsTask());
    }

    [Fact]
    public async Task APersonWithTwoConnections_HearsOnTheOneLeftOpen_AndNobodyHearsAfterTheLastCloses()
    {
        var token = await TokenAsync("support@demo.local");
        var support = await portal.AsAsync("support@demo.local");
        var (first, toFirst) = await ConnectAsync(token);
        var (second, toSecond) = await ConnectAsync(token);
        await first.DisposeAsync();

        var number = await CreateAsync(support, "Heard on the second tab");

        await Eventually.HoldsAsync(() => Task.FromResult(toSecond.Any(m => m.Number == number)), "Delivery to the connection left open");
        Assert.DoesNotContain(toFirst, m => m.Number == number);
        await second.DisposeAsync();
        var (third, toThird) = await ConnectAsync(token);
        var later = await CreateAsync(support, "Heard after reconnecting");
        await Eventually.HoldsAsync(() => Task.FromResult(toThird.Any(m => m.Number == later)), "Delivery after reconnecting");
        Assert.DoesNotContain(toSecond, m => m.Number == later);
        await third.DisposeAsync();
    }

    private static async Task<int> CreateAsync(HttpClient client, string title) =>
        (int)JsonNode.Parse(await (await client.PostAsJsonAsync("/api/tickets",
            new { project = "SUP", tracker = "Support", title })).Content.ReadAsStringAsync())!["number"]!;

    [Fact]
    public async Task TheHub_RefusesAnonymousClients()
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(portal.Server.BaseAddress, "hubs/tickets"), o =>
            {
                o.HttpMessageHandlerFactory = _ => portal.Server.CreateHandler();
                o.Transports = HttpTransportType.LongPolling;
            })
            .Build();

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => connection.StartAsync());

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, error.StatusCode);
    }
}
