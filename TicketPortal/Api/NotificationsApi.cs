using Microsoft.AspNetCore.Http.HttpResults;
using TicketPortal.Auth;
using TicketPortal.Domain.People;

namespace TicketPortal.Api;

public static class NotificationsApi
{
    public static void MapNotificationsApi(this IEndpointRouteBuilder api)
    {
        var notifications = api.MapGroup("/notifications").WithTags("Notifications");
        notifications.MapGet("/", async Task<Ok<IReadOnlyList<NotificationView>>> (NotificationService service, HttpContext http, CancellationToken ct) =>
            TypedResults.Ok(await service.ListAsync(http.User.ToViewer(), ct)));
        notifications.MapPost("/{id:int}/read", async Task<NoContent> (int id, NotificationService service, HttpContext http, CancellationToken ct) =>
        {
            await service.MarkReadAsync(id, http.User.ToViewer(), ct);
            return TypedResults.NoContent();
        });
    }
}
