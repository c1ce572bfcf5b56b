using TicketPortal.Domain.Tickets;

namespace TicketPortal.Live;

public static class LiveExtensions
{
    public static void AddPortalLive(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<TicketNotifier>();
        builder.Services.AddSingleton<ITicketEvents>(sp => sp.GetRequiredService<TicketNotifier>());
    }
}
