using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace TicketPortal.Live;

/// <summary>SignalR clients that are not Blazor pages listen here; the server only sends (<see cref="TicketPublisher"/>).</summary>
[Authorize]
public sealed class TicketHub : Hub
{
    public const string Path = "/hubs/tickets";
    public const string TicketChangedMethod = "TicketChanged";
}

/// <summary>The contract's hub message.</summary>
public sealed record TicketChangedMessage(int Number, string Project, string Status, int Version);
