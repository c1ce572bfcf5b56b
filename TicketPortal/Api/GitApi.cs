using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using TicketPortal.Auth;
using TicketPortal.Domain.Git;

namespace TicketPortal.Api;

public sealed record ScanAnswer(int Commits, int References, int Applied, IReadOnlyList<GitScanResult> Repositories);

public sealed record PreviewRequest(string? Message);

public sealed record RepositoryRequest(string? Name, string? Path, string? Branch, string? CommitUrl, string? Remote, string? WebhookSecret, IReadOnlyList<string>? ClosingBranches)
{
    public RepositorySettings ToSettings() => new(Name ?? "", Path ?? "", Branch ?? "", CommitUrl, Remote, WebhookSecret, ClosingBranches);
}

public static class GitApi
{
    public static void MapGitApi(this IEndpointRouteBuilder api)
    {
        var git = api.MapGroup("/git").WithTags("Git");
        git.MapPost("/scan", async Task<Ok<ScanAnswer>> (GitService service, CancellationToken ct) =>
        {
            var totals = await service.ScanAllAsync(ct);
            return TypedResults.Ok(new ScanAnswer(totals.Commits, totals.References, totals.Applied, totals.Repositories));
        }).RequireAuthorization(AuthExtensions.AdminPolicy);
        git.MapGet("/repositories", async Task<Ok<IReadOnlyList<RepositoryView>>> (GitService service, HttpContext http, CancellationToken ct) =>
            TypedResults.Ok(await service.RepositoriesAsync(http.User.ToViewer(), ct)));
        git.MapPost("/repositories", async Task<Created<RepositoryView>> (RepositoryRequest request, GitService service, HttpContext http, CancellationToken ct) =>
        {
            var created = await service.SaveAsync(null, request.ToSettings(), http.User.ToViewer(), ct);
            return TypedResults.Created($"/api/git/repositories/{created.Id}", created);
        });
        git.MapPut("/repositories/{id:int}", async Task<Ok<RepositoryView>> (int id, RepositoryRequest request, GitService service, HttpContext http, CancellationToken ct) =>
            TypedResults.Ok(await service.SaveAsync(id, request.ToSettings(), http.User.ToViewer(), ct)));
        git.MapPost("/preview", async Task<Ok<ParsedCommit>> (PreviewRequest request, GitService service, CancellationToken ct) =>
            TypedResults.Ok(await service.PreviewAsync(request.Message ?? "", ct)));
        api.MapGet("/tickets/{number:int}/commits", async Task<Ok<IReadOnlyList<CommitView>>> (int number, GitService service, HttpContext http, CancellationToken ct) =>
            TypedResults.Ok(await service.CommitsOfAsync(number, http.User.ToViewer(), ct)));
    }

    /// <summary>
    /// Push webhooks of GitHub, GitLab and Gitea. The payload only says "something was pushed": its commit list is
    /// truncated by every host, so the answer is a fetch and scan of the repository, never the payload's commits.
    /// </summary>
    public static void MapGitWebhooks(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/git/webhook/{name}", async Task<Results<Ok<GitScanResult>, NotFound, UnauthorizedHttpResult>> (
            string name, HttpRequest request, GitService service, CancellationToken ct) =>
        {
            var secret = await service.WebhookSecretAsync(name, ct);
            if (secret is null)
            {
                return TypedResults.NotFound();
            }
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body, ct);
            if (secret.Length > 0 && !Signed(request.Headers, body.ToArray(), secret))
            {
                return TypedResults.Unauthorized();
            }
            return TypedResults.Ok(await service.ScanAsync(name, ct));
        }).AllowAnonymous().DisableAntiforgery().WithTags("Git");

    /// <summary>GitHub signs with <c>X-Hub-Signature-256: sha256=hex</c>, Gitea with <c>X-Gitea-Signature: hex</c>, GitLab sends the token itself.</summary>
    internal static bool Signed(IHeaderDictionary headers, byte[] body, string secret)
    {
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
        static bool Same(string a, string b) => CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));
        return headers["X-Hub-Signature-256"].ToString() is { Length: > 0 } github ? Same(github, "sha256=" + expected)
            : headers["X-Gitea-Signature"].ToString() is { Length: > 0 } gitea ? Same(gitea.ToLowerInvariant(), expected)
            : headers["X-Gitlab-Token"].ToString() is { Length: > 0 } gitlab && Same(gitlab, secret);
    }
}
