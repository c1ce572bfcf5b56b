using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TicketPortal.Tests.Api;

public sealed class ApiTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private static async Task<JsonNode> JsonAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    private static async Task<JsonNode> CreateAsync(HttpClient client, string project, string tracker, string title)
    {
        var response = await client.PostAsJsonAsync("/api/tickets", new { project, tracker, title, description = "Steps to reproduce." });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await JsonAsync(response);
    }

    private static async Task<int> CountAsync(HttpClient client) =>
        (int)(await JsonAsync(await client.GetAsync("/api/tickets?includeHidden=true&pageSize=200")))["total"]!;

    [Fact]
    public async Task Healthz_AndOpenApi_AreServed()
    {
        var client = portal.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        var openApi = await JsonAsync(await client.GetAsync("/openapi/v1.json"));
        Assert.NotNull(openApi["paths"]!["/api/tickets/{number}/transitions"]);
    }

    [Fact]
    public async Task Api_WithoutCredentials_Answers401_AndWithABadToken_Too()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await portal.CreateClient().GetAsync("/api/projects")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await portal.WithToken("not-a-token").GetAsync("/api/projects")).StatusCode);
    }

    [Fact]
    public async Task Projects_ListTheDemoProjectsWithPresetsAndMembers()
    {
        var admin = portal.Admin();

        var projects = await JsonAsync(await admin.GetAsync("/api/projects"));
        var members = await JsonAsync(await admin.GetAsync("/api/projects/TMR/members"));

        var presets = projects.AsArray().ToDictionary(p => (string)p!["key"]!, p => (string)p!["preset"]!);
        Assert.Equal("change-board", presets["CHG"]);
        Assert.Equal("triage-ownership", presets["TRI"]);
        Assert.Equal("qa-verify", presets["QAV"]);
        Assert.Equal("support-gatekeeper", presets["SUP"]);
        Assert.Equal("support-gatekeeper", presets["INT"]);
        Assert.Equal("timer-review", presets["TMR"]);
        var staff = members.AsArray().Where(m => m!["roles"]!.AsArray().Any(r => (string)r! == "staff")).ToList();
        Assert.Equal(2, staff.Count);
    }

    [Fact]
    public async Task Tokens_AreMintedByAdminsOnly()
    {
        var member = await portal.AsAsync("member@demo.local");

        var refused = await member.PostAsync("/api/users/itdirector@demo.local/tokens", null);
        var unknown = await portal.Admin().PostAsync("/api/users/nobody@demo.local/tokens", null);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Notifications_AreListedForTheCaller_AndSomeoneElsesCannotBeMarkedRead()
    {
        var member = await portal.AsAsync("member@demo.local");

        var list = await member.GetAsync("/api/notifications");
        var unknown = await member.PostAsync("/api/notifications/424242/read", null);

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(JsonValueKind.Array, (await JsonAsync(list)).GetValueKind());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Members_AreListedToStaffOnly()
    {
        var customer = await portal.AsAsync("customer@demo.local");
        var support = await portal.AsAsync("support@demo.local");

        Assert.Equal(HttpStatusCode.Forbidden, (await customer.GetAsync("/api/projects/QAV/members")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await support.GetAsync("/api/projects/QAV/members")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await support.GetAsync("/api/projects/CHG/members")).StatusCode);
    }

    [Fact]
    public async Task CreateAndGet_FollowTheContract()
    {
        var member = await portal.AsAsync("member@demo.local");

        var created = await CreateAsync(member, "CHG", "Change", "Dark mode");
        var fetched = await JsonAsync(await member.GetAsync($"/api/tickets/{created["number"]}"));

        foreach (var name in new[] { "number", "project", "tracker", "title", "description", "status", "statusCategory", "priority", "reporter",
                     "assignee", "labels", "fields", "checklist", "links", "journal", "sla", "version" })
        {
            Assert.True(fetched.AsObject().ContainsKey(name), $"missing {name}");
        }
        Assert.Equal("CHG", (string)fetched["project"]!);
        Assert.Equal("Ticket", (string)fetched["status"]!);
        Assert.Equal("new", (string)fetched["statusCategory"]!);
        Assert.Equal("member@demo.local", (string)fetched["reporter"]!["email"]!);
        Assert.Equal(1, (int)fetched["version"]!);
    }

    [Theory]
    [InlineData("""{"project":"NOPE","tracker":"Change","title":"x"}""", "project")]
    [InlineData("""{"project":"CHG","tracker":"Rocket","title":"x"}""", "tracker")]
    [InlineData("""{"project":"CHG","tracker":"Change","title":""}""", "title")]
    [InlineData("""{"project":"CHG","tracker":"Change","title":"x","priority":"Whenever"}""", "priority")]
    [InlineData("""{"project":"CHG","tracker":"Change","title":"x","reporterEmail":"ghost@demo.local"}""", "reporterEmail")]
    [InlineData("""{"project":"CHG","tracker":"Change","title":""", "JSON")]
    public async Task Create_WithBadInput_IsAProblemNamingTheFieldAndStoresNothing(string body, string named)
    {
        var admin = portal.Admin();
        var before = await CountAsync(admin);

        var response = await admin.PostAsync("/api/tickets", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(named, (string)(await JsonAsync(response))["detail"]!);
        Assert.Equal(before, await CountAsync(admin));
    }

    [Fact]
    public async Task Create_WithOversizeTitle_IsRefused()
    {
        var response = await portal.Admin().PostAsJsonAsync("/api/tickets", new { project = "CHG", tracker = "Change", title = new string('x', 201) });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("at most 200", (string)(await JsonAsync(response))["detail"]!);
    }

    [Fact]
    public async Task Transitions_ListWhatTheCallerMayDo_AndAnswer403_422_409()
    {
        var member = await portal.AsAsync("member@demo.local");
        var director = await portal.AsAsync("itdirector@demo.local");
        var ticket = await CreateAsync(member, "CHG", "Change", "Bigger font");
        var url = $"/api/tickets/{ticket["number"]}/transitions";

        var offeredToMember = await JsonAsync(await member.GetAsync(url));
        var offeredToDirector = await JsonAsync(await director.GetAsync(url));
        var forbidden = await member.PostAsJsonAsync(url, new { transition = "approve", fields = new { label = "bug" } });
        var missing = await director.PostAsJsonAsync(url, new { transition = "approve" });
        var stale = await director.PostAsJsonAsync(url, new { transition = "approve", fields = new { label = "bug" }, version = 99 });
        var taken = await director.PostAsJsonAsync(url, new { transition = "approve", fields = new { label = "bug" }, version = 1 });
        var again = await director.PostAsJsonAsync(url, new { transition = "approve", fields = new { label = "bug" } });

        Assert.Empty(offeredToMember.AsArray());
        var approve = offeredToDirector.AsArray().Single(t => (string)t!["id"]! == "approve")!;
        Assert.Equal(("Approve", "Approved"), ((string)approve["name"]!, (string)approve["to"]!));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, missing.StatusCode);
        Assert.Contains("label", (string)(await JsonAsync(missing))["detail"]!);
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Equal(HttpStatusCode.OK, taken.StatusCode);
        Assert.Equal("Approved", (string)(await JsonAsync(taken))["status"]!);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task Transition_UnknownOrOnAnUnknownTicket_IsAClearError()
    {
        var director = await portal.AsAsync("itdirector@demo.local");
        var ticket = await CreateAsync(director, "CHG", "Change", "Anything");

        var unknown = await director.PostAsJsonAsync($"/api/tickets/{ticket["number"]}/transitions", new { transition = "teleport" });
        var noTicket = await director.GetAsync("/api/tickets/999999");
        var badField = await director.PostAsJsonAsync($"/api/tickets/{ticket["number"]}/transitions",
            new { transition = "approve", fields = new { label = new[] { "bug" } } });

        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("teleport", (string)(await JsonAsync(unknown))["detail"]!);
        Assert.Equal(HttpStatusCode.NotFound, noTicket.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badField.StatusCode);
    }

    [Fact]
    public async Task Notes_InternalOnesAreHiddenFromCustomers_AndCustomersSeeOnlyTheirOwnTickets()
    {
        var customer = await portal.AsAsync("customer@demo.local");
        var support = await portal.AsAsync("support@demo.local");
        var ticket = await CreateAsync(customer, "QAV", "Defect", "Rounding error");
        var number = (int)ticket["number"]!;

        var internalNote = await support.PostAsJsonAsync($"/api/tickets/{number}/notes", new { text = "Probably a float.", @internal = true });
        var publicNote = await support.PostAsJsonAsync($"/api/tickets/{number}/notes", new { text = "Looking into it.", @internal = false });
        var emptyNote = await support.PostAsJsonAsync($"/api/tickets/{number}/notes", new { text = " ", @internal = false });
        var seen = await JsonAsync(await customer.GetAsync($"/api/tickets/{number}"));
        var staffTicket = await CreateAsync(support, "SUP", "Support", "Staff only");
        var foreign = await customer.GetAsync($"/api/tickets/{staffTicket["number"]}");
        var list = await JsonAsync(await customer.GetAsync("/api/tickets?includeHidden=true&pageSize=200"));

        Assert.Equal(HttpStatusCode.OK, internalNote.StatusCode);
        Assert.Equal(HttpStatusCode.OK, publicNote.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, emptyNote.StatusCode);
        var texts = seen["journal"]!.AsArray().Select(j => (string?)j!["text"]).ToList();
        Assert.Contains("Looking into it.", texts);
        Assert.DoesNotContain("Probably a float.", texts);
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.All(list["items"]!.AsArray(), i => Assert.NotEqual("Staff only", (string)i!["title"]!));
    }

    [Fact]
    public async Task Checklist_TickOfTheLastItem_RunsTheAutomation()
    {
        var director = await portal.AsAsync("itdirector@demo.local");
        var operations = await portal.AsAsync("opsdirector@demo.local");
        var ticket = await CreateAsync(director, "CHG", "Change", "New navigation");
        var url = $"/api/tickets/{ticket["number"]}/transitions";
        await director.PostAsJsonAsync(url, new { transition = "approve", fields = new { label = "idea" } });
        await director.PostAsJsonAsync(url, new { transition = "start" });
        var finished = await JsonAsync(await director.PostAsJsonAsync(url,
            new { transition = "finish", fields = new { releaseNote = "Menus moved to the left.", uxChange = true } }));
        var itemId = (int)finished["checklist"]![0]!["id"]!;

        var unknownItem = await operations.PatchAsJsonAsync($"/api/tickets/{ticket["number"]}/checklist/999", new { done = true });
        var ticked = await operations.PatchAsJsonAsync($"/api/tickets/{ticket["number"]}/checklist/{itemId}", new { done = true });

        Assert.Equal("Pre-release", (string)finished["status"]!);
        Assert.Equal("opsdirector@demo.local", (string)finished["assignee"]!["email"]!);
        Assert.Equal(HttpStatusCode.NotFound, unknownItem.StatusCode);
        Assert.Equal("Release ready", (string)(await JsonAsync(ticked))["status"]!);
    }

    [Fact]
    public async Task List_ExcludesHiddenStatusesUnlessIncludeHidden_AndValidatesPaging()
    {
        var director = await portal.AsAsync("itdirector@demo.local");
        var ticket = await CreateAsync(director, "CHG", "Change", "Rejected idea");
        await director.PostAsJsonAsync($"/api/tickets/{ticket["number"]}/transitions",
            new { transition = "reject", comment = "Not now.", fields = new { label = "idea" } });

        var normal = await JsonAsync(await director.GetAsync("/api/tickets?project=CHG&pageSize=200"));
        var all = await JsonAsync(await director.GetAsync("/api/tickets?project=CHG&includeHidden=true&pageSize=200"));
        var badPage = await director.GetAsync("/api/tickets?page=0");
        var badProject = await director.GetAsync("/api/tickets?project=ZZZ");

        Assert.DoesNotContain(normal["items"]!.AsArray(), i => (int)i!["number"]! == (int)ticket["number"]!);
        Assert.Contains(all["items"]!.AsArray(), i => (int)i!["number"]! == (int)ticket["number"]! && (string)i["status"]! == "Rejected");
        Assert.Equal(HttpStatusCode.BadRequest, badPage.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badProject.StatusCode);
    }

    [Fact]
    public async Task Errors_ComeAsProblemDetailsWithTheProblemsListed()
    {
        var director = await portal.AsAsync("itdirector@demo.local");
        var ticket = await CreateAsync(director, "CHG", "Change", "Needs two things");
        await director.PostAsJsonAsync($"/api/tickets/{ticket["number"]}/transitions", new { transition = "approve", fields = new { label = "bug" } });
        await director.PostAsJsonAsync($"/api/tickets/{ticket["number"]}/transitions", new { transition = "start" });

        var response = await director.PostAsJsonAsync($"/api/tickets/{ticket["number"]}/transitions", new { transition = "finish" });

        var problem = await JsonAsync(response);
        Assert.Equal(422, (int)problem["status"]!);
        Assert.Equal(JsonValueKind.Array, problem["problems"]!.GetValueKind());
        Assert.Equal(2, problem["problems"]!.AsArray().Count);
    }

    [Fact]
    public async Task Attachments_AreStoredInTheDataDirectory_ServedToThoseWhoMaySeeTheTicket_AndLimitedInSize()
    {
        var customer = await portal.AsAsync("customer@demo.local");
        var support = await portal.AsAsync("support@demo.local");
        var ticket = await CreateAsync(customer, "QAV", "Defect", "Screenshot attached");
        var number = (int)ticket["number"]!;
        var staffTicket = await CreateAsync(support, "SUP", "Support", "Internal log");

        var uploaded = await customer.PostAsync($"/api/tickets/{number}/attachments", File("screen.png", new byte[] { 1, 2, 3 }));
        var body = await JsonAsync(uploaded);
        var id = (int)body["attachments"]![0]!["id"]!;
        var download = await support.GetAsync($"/api/tickets/{number}/attachments/{id}");
        var oversize = await support.PostAsync($"/api/tickets/{staffTicket["number"]}/attachments", File("big.log", new byte[10 * 1024 * 1024 + 1]));
        var noFile = await support.PostAsync($"/api/tickets/{number}/attachments", new MultipartFormDataContent());
        var foreign = await customer.PostAsync($"/api/tickets/{staffTicket["number"]}/attachments", File("x.txt", [1]));

        Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);
        Assert.Equal("screen.png", (string)body["attachments"]![0]!["fileName"]!);
        Assert.Equal([1, 2, 3], await download.Content.ReadAsByteArrayAsync());
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Single(Directory.GetFiles(Path.Combine(portal.DataDirectory, "attachments")));
        Assert.Equal(HttpStatusCode.BadRequest, oversize.StatusCode);
        Assert.Contains("at most 10 MB", (string)(await JsonAsync(oversize))["detail"]!);
        Assert.Equal(HttpStatusCode.BadRequest, noFile.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Empty((await JsonAsync(await support.GetAsync($"/api/tickets/{staffTicket["number"]}")))["attachments"]!.AsArray());
    }

    private static MultipartFormDataContent File(string name, byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        return new MultipartFormDataContent { { content, "file", name } };
    }
}
