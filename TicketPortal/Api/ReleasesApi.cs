using Microsoft.AspNetCore.Http.HttpResults;
using TicketPortal.Auth;
using TicketPortal.Domain.Releases;

namespace TicketPortal.Api;

public sealed record ReleaseRequest(string? Project, string? Version, string? GoLiveDate, string? Name, string? Intro, IReadOnlyList<int>? Tickets, string? Milestone)
{
    public CreateRelease ToCommand() => new(Project ?? "", Version ?? "", GoLiveDate, Name, Intro, Tickets, Milestone);
}

public static class ReleasesApi
{
    public static void MapReleasesApi(this IEndpointRouteBuilder api)
    {
        var releases = api.MapGroup("/releases").WithTags("Releases");
        releases.MapGet("", async Task<Ok<IReadOnlyList<ReleaseSummary>>> (string? project, ReleaseService service, HttpContext http, CancellationToken ct) =>
            TypedResults.Ok(await service.ListAsync(project, http.User.ToViewer(), ct)));
        releases.MapPost("", async Task<Created<ReleaseView>> (ReleaseRequest request, ReleaseService service, HttpContext http, CancellationToken ct) =>
        {
            var created = await service.CreateAsync(request.ToCommand(), http.User.ToViewer(), ct);
            return TypedResults.Created($"/api/releases/{created.Project}/{created.Version}", created);
        });
        releases.MapGet("/{project}/candidates", async Task<Ok<IReadOnlyList<ReleaseCandidate>>> (string project, ReleaseService service, HttpContext http, CancellationToken ct) =>
            TypedResults.Ok(await service.CandidatesAsync(project, http.User.ToViewer(), ct)));
        releases.MapGet("/{project}/{version}", async Task<Ok<ReleaseView>> (string project, string version, ReleaseService service, HttpContext http, CancellationToken ct) =>
            TypedResults.Ok(await service.GetAsync(project, version, http.User.ToViewer(), ct)));
        releases.MapPut("/{project}/{version}", async Task<Ok<ReleaseView>> (string project, string version, UpdateRelease request, ReleaseService service, HttpContext http, CancellationToken ct) =>
            TypedResults.Ok(await service.UpdateAsync(project, version, request, http.User.ToViewer(), ct)));
        releases.MapPost("/{project}/{version}/publish", async Task<Ok<PublishOutcome>> (string project, string version, ReleaseService service, HttpContext http, CancellationToken ct) =>
            TypedResults.Ok(await service.PublishAsync(project, version, http.User.ToViewer(), null, ct)));
    }

    /// <summary>The Atom feed of the public release notes; the pages themselves are Razor pages.</summary>
    public static void MapReleaseFeed(this IEndpointRouteBuilder app) =>
        app.MapGet("/release-notes/feed.xml", (ReleasePages pages) => Results.Text(pages.Feed(), "application/atom+xml; charset=utf-8"))
            .AllowAnonymous().WithTags("Releases");
}
