using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace TicketPortal.Tests.Api;

/// <summary>Each process of PROCESSES.md walked over HTTP on a real SQLite file, with the demo users, including its refusals.</summary>
public sealed class ProcessApiTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private static async Task<JsonNode> JsonAsync(HttpResponseMessage response) => JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    private static async Task<JsonNode> OkAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!;
    }

    private static async Task<int> CreateAsync(HttpClient client, string project, string tracker, string title, object? extra = null)
    {
        var body = new Dictionary<string, object?> { ["project"] = project, ["tracker"] = tracker, ["title"] = title, ["description"] = "Details." };
        foreach (var property in extra?.GetType().GetProperties() ?? [])
        {
            body[property.Name] = property.GetValue(extra);
        }
        return (int)(await OkAsync(await client.PostAsJsonAsync("/api/tickets", body)))["number"]!;
    }

    private static Task<HttpResponseMessage> MoveAsync(HttpClient client, int number, string transition, string? comment = null, object? fields = null) =>
        client.PostAsJsonAsync($"/api/tickets/{number}/transitions", new { transition, comment, fields });

    private static async Task RefusedAsync(HttpStatusCode status, string named, Task<HttpResponseMessage> call)
    {
        var response = await call;
        Assert.Equal(status, response.StatusCode);
        Assert.Contains(named, (string)(await JsonAsync(response))["detail"]!);
    }

    private static async Task<string[]> OfferedAsync(HttpClient client, int number) =>
        (await OkAsync(await client.GetAsync($"/api/tickets/{number}/transitions"))).AsArray().Select(t => (string)t!["id"]!).ToArray();

    [Fact]
    [Trait("Process", "change-board")]
    public async Task ChangeBoard_OverHttp()
    {
        var member = await portal.AsAsync("member@demo.local");
        var director = await portal.AsAsync("itdirector@demo.local");
        var operations = await portal.AsAsync("opsdirector@demo.local");

        var number = await CreateAsync(member, "CHG", "Change", "Simplify the order form");
        Assert.Empty(await OfferedAsync(member, number));
        await RefusedAsync(HttpStatusCode.Forbidden, "it-director", MoveAsync(member, number, "approve", null, new { label = "bug" }));
        await RefusedAsync(HttpStatusCode.UnprocessableEntity, "fields.label", MoveAsync(director, number, "approve"));
        await RefusedAsync(HttpStatusCode.UnprocessableEntity, "comment", MoveAsync(director, number, "reject", null, new { label = "idea" }));
        await OkAsync(await MoveAsync(director, number, "approve", null, new { label = "idea" }));
        await OkAsync(await MoveAsync(director, number, "start"));
        await RefusedAsync(HttpStatusCode.UnprocessableEntity, "fields.uxChange", MoveAsync(director, number, "finish", null, new { releaseNote = "Shorter form." }));
        var preRelease = await OkAsync(await MoveAsync(director, number, "finish", null, new { releaseNote = "Shorter form.", uxChange = true }));
        var itemId = (int)preRelease["checklist"]![0]!["id"]!;
        await OkAsync(await operations.PatchAsJsonAsync($"/api/tickets/{number}/checklist/{itemId}", new { assignee = "member@demo.local" }));
        await RefusedAsync(HttpStatusCode.Forbidden, "assigned to someone else",
            operations.PatchAsJsonAsync($"/api/tickets/{number}/checklist/{itemId}", new { done = true }));
        var ready = await OkAsync(await member.PatchAsJsonAsync($"/api/tickets/{number}/checklist/{itemId}", new { done = true }));

        Assert.Equal(("Pre-release", "opsdirector@demo.local"), ((string)preRelease["status"]!, (string)preRelease["assignee"]!["email"]!));
        Assert.Equal("Release ready", (string)ready["status"]!);
        var rejected = await CreateAsync(member, "CHG", "Change", "Replace the ERP");
        await OkAsync(await MoveAsync(director, rejected, "reject", "Too big for now.", new { label = "idea" }));
        var bin = await OkAsync(await director.GetAsync("/api/tickets?project=CHG&view=hidden"));
        Assert.Contains(bin["items"]!.AsArray(), i => (int)i!["number"]! == rejected);
    }

    [Fact]
    [Trait("Process", "triage-ownership")]
    public async Task TriageOwnership_OverHttp()
    {
        var requester = await portal.AsAsync("member@demo.local");
        var lead = await portal.AsAsync("lead@demo.local");
        var eric = await portal.AsAsync("engineer1@demo.local");

        var project = await CreateAsync(requester, "TRI", "Request", "A new intranet");
        await RefusedAsync(HttpStatusCode.Forbidden, "operations-lead", MoveAsync(eric, project, "project", "Mine."));
        await RefusedAsync(HttpStatusCode.UnprocessableEntity, "comment", MoveAsync(lead, project, "project"));
        var projected = await OkAsync(await MoveAsync(lead, project, "project", "Project work: moved to the backlog."));
        var backlogNumber = (int)projected["links"]![0]!["number"]!;
        var backlog = await OkAsync(await lead.GetAsync($"/api/tickets/{backlogNumber}"));
        var tickets = new List<int>();
        for (var i = 0; i < 4; i++)
        {
            var number = await CreateAsync(requester, "TRI", "Incident", $"Incident {i}");
            await OkAsync(await MoveAsync(lead, number, "approve", "Support work."));
            tickets.Add(number);
        }
        var queue = await OkAsync(await eric.GetAsync("/api/tickets?project=TRI&view=unassigned-in-my-group&pageSize=200"));
        foreach (var number in tickets.Take(3))
        {
            await OkAsync(await MoveAsync(eric, number, "take-ownership"));
        }
        await RefusedAsync(HttpStatusCode.UnprocessableEntity, "WIP limit 3", MoveAsync(eric, tickets[3], "take-ownership"));
        await OkAsync(await MoveAsync(eric, tickets[3], "take-ownership", "Urgent, nobody else is in."));
        var workload = await OkAsync(await lead.GetAsync("/api/projects/TRI/workload"));
        var escalated = await OkAsync(await MoveAsync(eric, tickets[0], "escalate", "Waiting for a vendor, more than 3 days."));
        var handBack = await OkAsync(await eric.PostAsJsonAsync("/api/tickets/transitions/bulk",
            new { transition = "hand-back", comment = "Not here tomorrow.", project = "TRI", assignee = "me" }));

        Assert.Equal(("Resolved", "PRJ"), ((string)projected["status"]!, (string)backlog["project"]!));
        Assert.Equal("IT Digital", (string)backlog["group"]!);
        Assert.Equal(tickets.Order(), queue["items"]!.AsArray().Select(i => (int)i!["number"]!).Where(tickets.Contains).Order());
        var ericLoad = workload.AsArray().Single(w => (string)w!["email"]! == "engineer1@demo.local")!;
        Assert.True((bool)ericLoad["overLimit"]!);
        Assert.Contains("escalated", escalated["labels"]!.AsArray().Select(l => (string)l!));
        Assert.Equal(4, handBack["taken"]!.AsArray().Count);
        var after = await OkAsync(await lead.GetAsync($"/api/tickets/{tickets[2]}"));
        Assert.Equal("Approved", (string)after["status"]!);
        Assert.Null(after["assignee"]);
    }

    [Fact]
    [Trait("Process", "qa-verify")]
    public async Task QaVerify_OverHttp()
    {
        var customer = await portal.AsAsync("customer@demo.local");
        var support = await portal.AsAsync("support@demo.local");
        var developer = await portal.AsAsync("developer1@demo.local");

        var refusedCreate = await support.PostAsJsonAsync("/api/tickets", new { project = "QAV", tracker = "Defect", title = "By staff" });
        var number = await CreateAsync(customer, "QAV", "Defect", "Export drops the last row");
        await RefusedAsync(HttpStatusCode.Forbidden, "roles", MoveAsync(customer, number, "assign"));
        await OkAsync(await MoveAsync(support, number, "assign"));
        await RefusedAsync(HttpStatusCode.UnprocessableEntity, "fields.developer", MoveAsync(support, number, "assign-developer", null, new { developer = "customer@demo.local" }));
        await OkAsync(await MoveAsync(support, number, "assign-developer", null, new { developer = "developer1@demo.local" }));
        await RefusedAsync(HttpStatusCode.UnprocessableEntity, "fields.buildNumber", MoveAsync(developer, number, "qa-pending"));
        await OkAsync(await MoveAsync(developer, number, "qa-pending", null, new { buildNumber = "2026.12.1" }));
        await OkAsync(await MoveAsync(support, number, "verify"));
        await RefusedAsync(HttpStatusCode.Forbidden, "roles", MoveAsync(support, number, "close"));
        var closed = await OkAsync(await MoveAsync(customer, number, "close"));
        var open = await OkAsync(await customer.GetAsync("/api/tickets?project=QAV&pageSize=200"));
        var myClosed = await OkAsync(await customer.GetAsync("/api/tickets?view=my-closed&pageSize=200"));
        var reopened = await OkAsync(await MoveAsync(customer, number, "reopen", "It happens again with 50 rows."));

        Assert.Equal(HttpStatusCode.Forbidden, refusedCreate.StatusCode);
        Assert.Equal(("Closed", "2026.12.1"), ((string)closed["status"]!, (string)closed["fields"]!["buildNumber"]!));
        Assert.DoesNotContain(open["items"]!.AsArray(), i => (int)i!["number"]! == number);
        Assert.Contains(myClosed["items"]!.AsArray(), i => (int)i!["number"]! == number);
        Assert.Equal("Reopened", (string)reopened["status"]!);
    }

    [Fact]
    [Trait("Process", "support-gatekeeper")]
    public async Task SupportGatekeeper_OverHttp()
    {
        var customer = await portal.AsAsync("customer@demo.local");
        var support = await portal.AsAsync("support@demo.local");
        var gatekeeper = await portal.AsAsync("gatekeeper@demo.local");
        var developer = await portal.AsAsync("developer2@demo.local");

        var number = await CreateAsync(customer, "SUP", "Support", "Report crashes on open", new { priority = "Urgent", assigneeEmail = "developer1@demo.local" });
        var raised = await OkAsync(await customer.GetAsync($"/api/tickets/SUP-{number}"));
        var newIssues = await OkAsync(await support.GetAsync("/api/tickets?project=SUP&view=new&pageSize=200"));
        await RefusedAsync(HttpStatusCode.UnprocessableEntity, "support", support.PutAsJsonAsync($"/api/tickets/{number}/assignee", new { email = "developer1@demo.local" }));
        await OkAsync(await support.PutAsJsonAsync($"/api/tickets/{number}/assignee", new { email = "support@demo.local" }));
        await RefusedAsync(HttpStatusCode.Forbidden, "roles", MoveAsync(customer, number, "copy-to-internal"));
        var copied = await OkAsync(await MoveAsync(support, number, "copy-to-internal"));
        var internalNumber = (int)copied["links"]![0]!["number"]!;
        var internalTicket = await OkAsync(await gatekeeper.GetAsync($"/api/tickets/INT-{internalNumber}"));
        await RefusedAsync(HttpStatusCode.UnprocessableEntity, "fields.milestone", MoveAsync(gatekeeper, internalNumber, "seen"));
        await OkAsync(await MoveAsync(gatekeeper, internalNumber, "seen", null, new { milestone = "next major", developer = "developer2@demo.local" }));
        await RefusedAsync(HttpStatusCode.Forbidden, "roles", MoveAsync(gatekeeper, internalNumber, "confirm"));
        await OkAsync(await MoveAsync(developer, internalNumber, "confirm"));
        await OkAsync(await MoveAsync(developer, internalNumber, "close"));
        var told = await OkAsync(await customer.GetAsync($"/api/tickets/{number}"));
        var foreign = await customer.GetAsync($"/api/tickets/{internalNumber}");

        Assert.Equal(("Normal", null), ((string)raised["priority"]!, (string?)raised["assignee"]?["email"]));
        Assert.Contains("Suggested priority: Urgent.", (string)raised["journal"]!.AsArray()[^1]!["text"]!);
        Assert.Contains(newIssues["items"]!.AsArray(), i => (int)i!["number"]! == number);
        Assert.Equal("New", (string)copied["status"]!);
        Assert.Equal(("Bug", "support@demo.local", "related"),
            ((string)internalTicket["tracker"]!, (string)internalTicket["reporter"]!["email"]!, (string)internalTicket["links"]![0]!["type"]!));
        Assert.Equal(6, internalTicket["checklist"]!.AsArray().Count);
        Assert.Equal("Closed", (string)told["status"]!);
        Assert.Equal("The fix will be in next major.", (string)told["journal"]!.AsArray()[^1]!["text"]!);
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
    }

    [Fact]
    [Trait("Process", "timer-review")]
    public async Task TimerReview_OverHttp()
    {
        var requester = await portal.AsAsync("member@demo.local");
        var stella = await portal.AsAsync("staff1@demo.local");
        var stan = await portal.AsAsync("staff2@demo.local");

        var number = await CreateAsync(requester, "TMR", "Request", "Wi-Fi in lecture hall B");
        await RefusedAsync(HttpStatusCode.Forbidden, "roles", MoveAsync(requester, number, "assign-self"));
        var started = await OkAsync(await MoveAsync(stella, number, "assign-self"));
        await RefusedAsync(HttpStatusCode.UnprocessableEntity, "comment", MoveAsync(stella, number, "wait"));
        await OkAsync(await MoveAsync(stella, number, "wait", "Waiting on the network team."));
        await OkAsync(await MoveAsync(stella, number, "resume"));
        await RefusedAsync(HttpStatusCode.UnprocessableEntity, "fields.solution", MoveAsync(stella, number, "request-review"));
        await OkAsync(await MoveAsync(stella, number, "request-review", null, new { solution = "Replaced the access point." }));
        await RefusedAsync(HttpStatusCode.UnprocessableEntity, "actor", MoveAsync(stella, number, "approve-review"));
        await OkAsync(await MoveAsync(stan, number, "approve-review"));
        await RefusedAsync(HttpStatusCode.Forbidden, "roles", MoveAsync(stella, number, "close"));
        var closed = await OkAsync(await MoveAsync(requester, number, "close"));

        Assert.Equal(("In progress", "staff1@demo.local"), ((string)started["status"]!, (string)started["assignee"]!["email"]!));
        Assert.Equal("Closed", (string)closed["status"]!);
        var history = closed["journal"]!.AsArray().Select(j => (string?)j!["text"]).ToList();
        Assert.Contains("Waiting on the network team.", history);
    }
}
