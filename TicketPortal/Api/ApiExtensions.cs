using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Json;
using TicketPortal.Auth;

namespace TicketPortal.Api;

public static class ApiExtensions
{
    public static void AddPortalApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ProblemMapping>();
        builder.Services.Configure<JsonOptions>(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        // Malformed JSON reaches the exception handler and is answered with a problem that says what was wrong.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddOpenApi();
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
    }

    public static void MapPortalApi(this WebApplication app)
    {
        app.MapOpenApi();
        app.MapHealthChecks("/healthz");
        var api = app.MapGroup("/api").RequireAuthorization().DisableAntiforgery();
        api.MapProjectsApi();
        api.MapUsersApi();
        api.MapTicketsApi();
        api.MapNotificationsApi();
        api.MapGitApi();
        api.MapReleasesApi();
        api.MapMailApi();
        app.MapGitWebhooks();
        app.MapReleaseFeed();
        app.MapCustomerLinks();
    }
}
