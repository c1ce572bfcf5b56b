using MudBlazor.Services;
using TicketPortal.Components.Pages.Tickets;
using TicketPortal.Components.Shared;

namespace TicketPortal.Components;

public static class WebExtensions
{
    /// <summary>The Blazor UI: interactive server components, MudBlazor, and the services pages share.</summary>
    public static void AddPortalWeb(this WebApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        builder.Services.AddScoped<TransitionDialogLauncher>();
    }

    public static void MapPortalWeb(this WebApplication app)
    {
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
    }
}
