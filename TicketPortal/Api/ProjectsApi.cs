using Microsoft.AspNetCore.Http.HttpResults;
using TicketPortal.Auth;
using TicketPortal.Domain.Tickets;

namespace TicketPortal.Api;

public static class ProjectsApi
{
    public static void MapProjectsApi(this IEndpointRouteBuilder api)
    {
        var projects = api.MapGroup("/projects").WithTags("Projects");
        projects.MapGet("/", async Task<Ok<IReadOnlyList<ProjectView>>> (ProjectService service, HttpContext http, CancellationToken ct) =>
            TypedResults.Ok(await service.ListAsync(http.User.ToViewer(), ct)));
        projects.MapGet("/{key}/members", async Task<Ok<IReadOnlyList<MemberView>>> (string key, ProjectService service, HttpContext http, CancellationToken ct) =>
            TypedResults.Ok(await service.MembersAsync(key, http.User.ToViewer(), ct)));
        projects.MapGet("/{key}/workload", async Task<Ok<IReadOnlyList<WorkloadView>>> (string key, TicketService service, HttpContext http, CancellationToken ct) =>
            TypedResults.Ok(await service.WorkloadAsync(key, http.User.ToViewer(), ct)));
    }
}
