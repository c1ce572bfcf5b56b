using TicketPortal.Domain.Tickets;

namespace TicketPortal.Live;

public static class LiveExtensions
{
    public static void AddPortalLive(this WebApplicationBuilder builder)
    {
        builder.Services.AddSignalR();
        builder.Services.AddSingleton<Microsoft.AspNetCore.SignalR.IUserIdProvider, HubUserIds>();
        builder.Services.AddSingleton<HubPresence>();
        builder.Services.AddSingleton<TicketNotifier>();
        builder.Services.AddSingleton<ITicketEvents, TicketPublisher>();
    }

    public static void MapPortalLive(this WebApplication app) => app.MapHub<TicketHub>(TicketHub.Path);
}
