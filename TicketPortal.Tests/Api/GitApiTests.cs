using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using TicketPortal.Tests.Support;

namespace TicketPortal.Tests.Api;

/// <summary>The portal watching a real repository made by the test, configured the way an operator would (<c>Portal:Repositories:0:*</c>).</summary>
public sealed class GitPortalFactory : PortalFactory
{
    public const string Secret = "webhook-s3cret";

    public TestRepository Repository { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Portal:Repositories:0:Name", "app");
        builder.UseSetting("Portal:Repositories:0:Path", Repository.Path);
        builder.UseSetting("Portal:Repositories:0:Branch", "main");
        builder.UseSetting("Portal:Repositories:0:CommitUrl", "https://git.example.test/app/commit/{sha}");
        builder.UseSetting("Portal:Repositories:0:Secret", Secret);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Repository.Dispose();
    }
}

public sealed class GitApiTests(GitPortalFactory portal) : IClassFixture<GitPortalFactory>
{
    private static async Task<JsonNode> OkAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!;
    }

    /// <summary>A QAV defect a customer reported and support assigned: the status a fix by commit moves on.</summary>
    private async Task<int> AssignedDefectAsync(string title)
    {
        var customer = await portal.AsAsync("customer@demo.local");
        var number = (int)(await OkAsync(await customer.PostAsJsonAsync("/api/tickets", new { project = "QAV", tracker = "Defect", title })))["number"]!;
        var support = await portal.AsAsync("support@demo.local");
        await OkAsync(await support.PostAsJsonAsync($"/api/tickets/{number}/transitions", new { transition = "assign" }));
        return number;
    }

    private async Task<string> StatusAsync(int number) =>
        (string)(await OkAsync(await portal.Admin().GetAsync($"/api/tickets/{number}")))["status"]!;

    private static HttpRequestMessage Push(string body, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/git/webhook/app") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }
        return request;
    }

    private static string Sign(string body) => Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(GitPortalFactory.Secret), Encoding.UTF8.GetBytes(body)));

    [Fact]
    public async Task ScanNow_MovesTheTicketAFixReferences_AndAnswersWithCounts_AndStaffSeeTheCommit()
    {
        var number = await AssignedDefectAsync("Export drops the last row");
        await OkAsync(await portal.Admin().PostAsync("/api/git/scan", null));
        portal.Repository.Commit($"Keep the last row\n\nFixes QAV-{number}");
        portal.Repository.Tag("build-2041");

        var answer = await OkAsync(await portal.Admin().PostAsync("/api/git/scan", null));
        var support = await portal.AsAsync("support@demo.local");
        var commits = await OkAsync(await support.GetAsync($"/api/tickets/{number}/commits"));
        var customer = await portal.AsAsync("customer@demo.local");
        var customerView = await OkAsync(await customer.GetAsync($"/api/tickets/{number}/commits"));

        Assert.Equal((1, 1, 1), ((int)answer["commits"]!, (int)answer["references"]!, (int)answer["applied"]!));
        Assert.Equal("QA Pending", await StatusAsync(number));
        var commit = commits.AsArray().Single(c => (string)c!["kind"]! == "close")!;
        Assert.Equal(("app", "moved to QA Pending"), ((string)commit["repository"]!, (string)commit["outcome"]!));
        Assert.StartsWith("https://git.example.test/app/commit/", (string)commit["url"]!);
        Assert.Empty(customerView.AsArray());
    }

    [Fact]
    public async Task AWebhookWithABadSignatureIsRefused_AndScansNothing_AGoodOneScans()
    {
        var number = await AssignedDefectAsync("Webhook ticket");
        await OkAsync(await portal.Admin().PostAsync("/api/git/scan", null));
        portal.Repository.Commit($"Fixes #{number}");
        portal.Repository.Tag("build-3000");
        const string body = """{"ref":"refs/heads/main","commits":[]}""";

        var unsigned = await portal.CreateClient().SendAsync(Push(body));
        var forged = await portal.CreateClient().SendAsync(Push(body, ("X-Hub-Signature-256", "sha256=" + new string('0', 64))));
        var wrongToken = await portal.CreateClient().SendAsync(Push(body, ("X-Gitlab-Token", "guess")));
        var statusAfterRefusals = await StatusAsync(number);
        var github = await portal.CreateClient().SendAsync(Push(body, ("X-Hub-Signature-256", "sha256=" + Sign(body))));
        var gitea = await portal.CreateClient().SendAsync(Push(body, ("X-Gitea-Signature", Sign(body))));
        var gitlab = await portal.CreateClient().SendAsync(Push(body, ("X-Gitlab-Token", GitPortalFactory.Secret)));
        var unknown = await portal.CreateClient().PostAsync("/api/git/webhook/nope", new StringContent(body));

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized], [unsigned.StatusCode, forged.StatusCode, wrongToken.StatusCode]);
        Assert.Equal("Assigned", statusAfterRefusals);
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK], [github.StatusCode, gitea.StatusCode, gitlab.StatusCode]);
        Assert.Equal("QA Pending", await StatusAsync(number));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task RepositoriesArePlainToAdmins_BadSettingsAreRefused_AndOthersMayOnlyPreview()
    {
        var support = await portal.AsAsync("support@demo.local");

        var list = await OkAsync(await portal.Admin().GetAsync("/api/git/repositories"));
        var invalid = await portal.Admin().PostAsJsonAsync("/api/git/repositories", new { name = "bad name", path = "", branch = "" });
        var problems = JsonNode.Parse(await invalid.Content.ReadAsStringAsync())!["problems"]!.AsArray();
        var scanBySupport = await support.PostAsync("/api/git/scan", null);
        var listBySupport = await support.GetAsync("/api/git/repositories");
        var preview = await OkAsync(await support.PostAsJsonAsync("/api/git/preview", new { message = "Fixes #12 and QAV-3, see #4 @1h30m\n\nUTF-8 is no ticket" }));

        var app = list.AsArray().Single()!;
        Assert.Equal(("app", "main", true), ((string)app["name"]!, (string)app["branch"]!, (bool)app["hasWebhookSecret"]!));
        Assert.DoesNotContain(GitPortalFactory.Secret, list.ToJsonString());
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal(3, problems.Count);
        Assert.Equal(HttpStatusCode.Forbidden, scanBySupport.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, listBySupport.StatusCode);
        Assert.Equal(["12:Close", "3:Close", "4:Refer"], preview["references"]!.AsArray().Select(r => $"{(int)r!["number"]!}:{(string)r["action"]!}"));
        Assert.Equal("01:30:00", (string)preview["timeSpent"]!);
    }
}
