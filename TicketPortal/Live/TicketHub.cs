using System.Security.Claims;
using TicketPortal.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace TicketPortal.Live;

/// <summary>SignalR clients that are not Blazor pages listen here; the server only sends (<see cref="TicketPublisher"/>).</summary>
[Authorize]
public sealed class TicketHub(HubPresence presence) : Hub
{
    public const string Path = "/hubs/tickets";
    public const string TicketChangedMethod = "TicketChanged";

    /// <summary>A customer link session hears only of its tickets: it joins their groups and is not addressed as its user.</summary>
    public static string TicketGroup(int number) => $"ticket:{number}";

    public override async Task OnConnectedAsync()
    {
        foreach (var number in Context.User?.ToViewer().Tickets ?? new HashSet<int>())
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, TicketGroup(number));
        }
        if (Context.UserIdentifier is { } user)
        {
            presence.Joined(user);
        }
        await base.OnConnectedAsync();
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        if (Context.UserIdentifier is { } user)
        {
            presence.Left(user);
        }
        await base.OnDisconnectedAsync(exception);
    }
}

/// <summary>Hub users are their user id, except customer link sessions, which may not hear of the customer's other tickets.</summary>
public sealed class HubUserIds : IUserIdProvider
{
    public string? GetUserId(HubConnectionContext connection) =>
        connection.User.IsLinkSession() ? null : connection.User.FindFirstValue(ClaimTypes.NameIdentifier);
}

/// <summary>The contract's hub message.</summary>
public sealed record TicketChangedMessage(int Number, string Project, string Status, int Version);
