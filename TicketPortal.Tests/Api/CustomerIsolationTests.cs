using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Http.Connections.Client;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using MimeKit;
using TicketPortal.Tests.Support;

namespace TicketPortal.Tests.Api;

/// <summary>
/// A customer who came by the link in a mail sees their linked ticket and nothing else: not another customer's, not their
/// own others, not internal notes, files or staff details; in the API, in search, in files, in mail and on the hub.
/// </summary>
public sealed class CustomerIsolationTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private const string CookieName = ".TicketPortal.CustomerLink";

    private sealed record Mailed(int Number, MailboxAddress From, string MessageId, string Title);

    private sealed record LinkSession(HttpClient Client, string Cookie);

    private sealed record HubMessage(int Number, string Project, string Status, int Version);

    private string PickupDirectory => Path.Combine(portal.DataDirectory, "mail", "pickup");

    private static async Task<JsonNode> JsonAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    private static MailboxAddress NewCustomer(string name) =>
        new(name, $"{name.ToLowerInvariant()}-{Guid.NewGuid():N}@{name.ToLowerInvariant()}-corp.example");

    /// <summary>Delivers a customer's mail as an MTA would and returns the ticket it became.</summary>
    private async Task<Mailed> MailInAsync(
        MailboxAddress from, string title, string to = "support@ticketportal.local", string? project = null, params (string, byte[])[] files)
    {
        var messageId = TestMail.NewMessageId();
        var raw = TestMail.Raw(from, to, title, $"Hello,\n\n{title}. Please help.\n\n{from.Name}", messageId, files);

        var response = await portal.Admin().PostAsync("/api/mail/inbound" + (project is null ? "" : $"?project={project}"), new ByteArrayContent(raw));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var receipt = await JsonAsync(response);
        Assert.Equal("Ticket", (string)receipt["outcome"]!);
        return new Mailed((int)receipt["ticketNumber"]!, from, messageId, title);
    }

    /// <summary>Opens the link of the confirmation mail like a browser: the secret is exchanged for a cookie and a redirect.</summary>
    private async Task<LinkSession> OpenConfirmationLinkAsync(Mailed mailed) =>
        await OpenLinkAsync(Pickup.CustomerLinkIn(await Pickup.AnswerToAsync(PickupDirectory, mailed.MessageId)), mailed.Number);

    private async Task<LinkSession> OpenLinkAsync(Uri link, int number)
    {
        var client = portal.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

        var response = await client.GetAsync(link.PathAndQuery);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/my/tickets/{number}", response.Headers.Location?.OriginalString);
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(CookieName + "=", StringComparison.Ordinal));
        return new LinkSession(client, cookie.Split(';')[0]);
    }

    private static async Task<List<int>> ListAsync(HttpClient client, string query = "")
    {
        var response = await client.GetAsync("/api/tickets" + query);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await JsonAsync(response);
        var numbers = page["items"]!.AsArray().Select(i => (int)i!["number"]!).ToList();
        Assert.Equal(numbers.Count, (int)page["total"]!);
        return numbers;
    }

    private static async Task<int> CreateAsync(HttpClient client, string project, string tracker, string title)
    {
        var response = await client.PostAsJsonAsync("/api/tickets", new { project, tracker, title, description = "Made by the test." });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (int)(await JsonAsync(response))["number"]!;
    }

    private static List<string> ChangedFields(JsonNode ticket) =>
        ticket["journal"]!.AsArray().SelectMany(j => j!["changes"]!.AsArray()).Select(c => (string)c!["field"]!).ToList();

    private static async Task<JsonNode> TicketAsync(HttpClient client, int number)
    {
        var response = await client.GetAsync($"/api/tickets/{number}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await JsonAsync(response);
    }

    private static MultipartFormDataContent TextFile(string name, string text) =>
        new() { { new ByteArrayContent(Encoding.UTF8.GetBytes(text)), "file", name } };

    [Fact]
    public async Task ALinkSession_OpensItsTicket_AndNoOtherOne()
    {
        var a = await MailInAsync(NewCustomer("Anna"), "Label printer prints blank pages");
        var b = await MailInAsync(NewCustomer("Bert"), "Invoice export is empty");
        var support = await portal.AsAsync("support@demo.local");
        var staffTicket = await CreateAsync(support, "SUP", "Support", "Staff's own ticket");
        var session = await OpenConfirmationLinkAsync(a);

        var own = await TicketAsync(session.Client, a.Number);

        Assert.Equal(a.Title, (string)own["title"]!);
        Assert.Equal(a.From.Address, (string)own["reporter"]!["email"]!);
        foreach (var other in new[] { b.Number, staffTicket, 999_999 })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await session.Client.GetAsync($"/api/tickets/{other}")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await session.Client.GetAsync($"/api/tickets/{other}/transitions")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound,
                (await session.Client.PostAsJsonAsync($"/api/tickets/{other}/notes", new { text = "Hello?", @internal = false })).StatusCode);
        }
        Assert.Equal(HttpStatusCode.OK, (await support.GetAsync($"/api/tickets/{b.Number}")).StatusCode);
        Assert.DoesNotContain((await TicketAsync(support, b.Number))["journal"]!.AsArray(), j => (string?)j!["text"] == "Hello?");
    }

    [Fact]
    public async Task ALinkSession_ListsAndFindsOnlyItsTicket_WhateverTheQuery()
    {
        // Letters only: a digit in a title would match a search for a ticket number.
        var tag = string.Concat(Enumerable.Range(0, 12).Select(_ => (char)('a' + Random.Shared.Next(26))));
        var a = await MailInAsync(NewCustomer("Anna"), $"Scanner {tag} jams");
        var b = await MailInAsync(NewCustomer("Bert"), $"Scanner {tag} smokes");
        var session = await OpenConfirmationLinkAsync(a);
        var admin = portal.Admin();

        Assert.Equal([a.Number, b.Number], (await ListAsync(admin, $"?q={tag}")).Order());
        foreach (var query in new[] { "", $"?q={tag}", "?includeHidden=true", "?view=all", "?view=reported", "?view=all&includeHidden=true&pageSize=200", "?project=SUP" })
        {
            Assert.Equal([a.Number], await ListAsync(session.Client, query));
        }
        Assert.Empty(await ListAsync(session.Client, $"?q={b.Number}"));
        Assert.Empty(await ListAsync(session.Client, "?q=smokes"));
        Assert.Empty(await ListAsync(session.Client, "?view=hidden"));
    }

    [Fact]
    public async Task ALinkSession_GetsItsOwnFiles_ButNoOtherTicketsFile_ByAnyAddress()
    {
        var a = await MailInAsync(NewCustomer("Anna"), "Screenshot of the error", files: ("anna.txt", "Anna's file"u8.ToArray()));
        var b = await MailInAsync(NewCustomer("Bert"), "Logs of the crash", files: ("bert-secret.txt", "Bert's secret log"u8.ToArray()));
        var support = await portal.AsAsync("support@demo.local");
        var aFile = (int)(await TicketAsync(support, a.Number))["attachments"]![0]!["id"]!;
        var bFile = (int)(await TicketAsync(support, b.Number))["attachments"]![0]!["id"]!;
        Assert.Equal("Bert's secret log", await support.GetStringAsync($"/api/tickets/{b.Number}/attachments/{bFile}"));
        var session = await OpenConfirmationLinkAsync(a);

        var own = await session.Client.GetAsync($"/api/tickets/{a.Number}/attachments/{aFile}");
        var direct = await session.Client.GetAsync($"/api/tickets/{b.Number}/attachments/{bFile}");
        var throughOwnTicket = await session.Client.GetAsync($"/api/tickets/{a.Number}/attachments/{bFile}");

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal("Anna's file", await own.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, direct.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, throughOwnTicket.StatusCode);
        Assert.DoesNotContain("secret", await direct.Content.ReadAsStringAsync() + await throughOwnTicket.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task InternalNotesAndFiles_StayWithStaff_OnTheTicketAndInMail()
    {
        var tag = Guid.NewGuid().ToString("N")[..10];
        var a = await MailInAsync(NewCustomer("Anna"), "Password reset mail never arrives");
        var session = await OpenConfirmationLinkAsync(a);
        var support = await portal.AsAsync("support@demo.local");
        Assert.Equal(HttpStatusCode.OK,
            (await support.PostAsJsonAsync($"/api/tickets/{a.Number}/notes", new { text = $"internal-{tag}: customer is on the old plan", @internal = true })).StatusCode);
        var attached = await support.PostAsync($"/api/tickets/{a.Number}/attachments?internal=true", TextFile($"internal-{tag}.txt", "staff only"));
        Assert.Equal(HttpStatusCode.Created, attached.StatusCode);
        var internalFile = (int)(await JsonAsync(attached))["attachments"]!.AsArray().Single()!["id"]!;
        Assert.Equal(HttpStatusCode.OK,
            (await support.PostAsJsonAsync($"/api/tickets/{a.Number}/notes", new { text = $"public-{tag}: we are looking into it", @internal = false })).StatusCode);

        var seen = await TicketAsync(session.Client, a.Number);
        var staffSeen = await TicketAsync(support, a.Number);

        Assert.Contains(staffSeen["journal"]!.AsArray(), j => ((string?)j!["text"])?.StartsWith($"internal-{tag}", StringComparison.Ordinal) == true);
        Assert.Single(staffSeen["attachments"]!.AsArray());
        Assert.Contains(seen["journal"]!.AsArray(), j => ((string?)j!["text"])?.StartsWith($"public-{tag}", StringComparison.Ordinal) == true);
        Assert.DoesNotContain(tag, seen.ToJsonString().Replace($"public-{tag}", "", StringComparison.Ordinal));
        Assert.All(seen["journal"]!.AsArray(), j => Assert.False((bool)j!["internal"]!));
        Assert.Empty(seen["attachments"]!.AsArray());
        Assert.Equal(HttpStatusCode.NotFound, (await session.Client.GetAsync($"/api/tickets/{a.Number}/attachments/{internalFile}")).StatusCode);
        await Pickup.WaitForAsync(PickupDirectory, (_, m) => m.To.Mailboxes.Any(t => t.Address == a.From.Address) && (m.TextBody ?? "").Contains($"public-{tag}", StringComparison.Ordinal),
            "The mail telling Anna of the public answer");
        Assert.All(Pickup.To(PickupDirectory, a.From.Address), m =>
            Assert.DoesNotContain($"internal-{tag}", m.Message.TextBody + m.Message.HtmlBody, StringComparison.Ordinal));
    }

    [Fact]
    public async Task StaffOnlyLinksAndSla_AreLeftOutOfALinkSessionsView()
    {
        var a = await MailInAsync(NewCustomer("Anna"), "Sync stops after an hour");
        var support = await portal.AsAsync("support@demo.local");
        var copied = await support.PostAsJsonAsync($"/api/tickets/{a.Number}/transitions", new { transition = "copy-to-internal" });
        Assert.Equal(HttpStatusCode.OK, copied.StatusCode);
        var staffSeen = await JsonAsync(copied);
        var copy = (int)staffSeen["links"]!.AsArray().Single()!["number"]!;
        Assert.NotEmpty(staffSeen["sla"]!.AsArray());
        Assert.Contains("link", ChangedFields(staffSeen));
        var session = await OpenConfirmationLinkAsync(a);

        var seen = await TicketAsync(session.Client, a.Number);

        Assert.Empty(seen["links"]!.AsArray());
        Assert.Empty(seen["sla"]!.AsArray());
        Assert.DoesNotContain("link", ChangedFields(seen));
        Assert.Equal(HttpStatusCode.NotFound, (await session.Client.GetAsync($"/api/tickets/{copy}")).StatusCode);
    }

    [Fact]
    public async Task StaffOnlyFieldsAndChecklist_AreLeftOutOfALinkSessionsView_WhilePublicFieldsShow()
    {
        var c = await MailInAsync(NewCustomer("Cleo"), "Report designer crashes on save", to: "intake@ticketportal.local", project: "INT");
        var gatekeeper = await portal.AsAsync("gatekeeper@demo.local");
        var seenStep = await gatekeeper.PostAsJsonAsync($"/api/tickets/{c.Number}/transitions",
            new { transition = "seen", fields = new { milestone = "next patch", developer = "developer1@demo.local" } });
        Assert.Equal(HttpStatusCode.OK, seenStep.StatusCode);
        var staffSeen = await JsonAsync(seenStep);
        Assert.Equal(6, staffSeen["checklist"]!.AsArray().Count);
        Assert.Equal("developer1@demo.local", (string)staffSeen["fields"]!["developer"]!);
        Assert.Contains("developer", ChangedFields(staffSeen));
        Assert.Contains("checklist", ChangedFields(staffSeen));
        var session = await OpenConfirmationLinkAsync(c);

        var seen = await TicketAsync(session.Client, c.Number);

        Assert.Equal("Seen", (string)seen["status"]!);
        Assert.Empty(seen["checklist"]!.AsArray());
        Assert.Equal(["milestone"], seen["fields"]!.AsObject().Select(f => f.Key));
        Assert.Equal("next patch", (string)seen["fields"]!["milestone"]!);
        var fields = ChangedFields(seen);
        Assert.Contains("milestone", fields);
        Assert.DoesNotContain("developer", fields);
        Assert.DoesNotContain("checklist", fields);
    }

    [Fact]
    public async Task StaffAddresses_AreLeftOutOfALinkSessionsView_WhileTheirNamesShow()
    {
        var a = await MailInAsync(NewCustomer("Anna"), "Badge reader beeps twice");
        var support = await portal.AsAsync("support@demo.local");
        Assert.Equal(HttpStatusCode.OK,
            (await support.PutAsJsonAsync($"/api/tickets/{a.Number}/assignee", new { email = "support@demo.local" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK,
            (await support.PostAsJsonAsync($"/api/tickets/{a.Number}/notes", new { text = "Looking into it.", @internal = false })).StatusCode);
        Assert.Equal("support@demo.local", (string)(await TicketAsync(support, a.Number))["assignee"]!["email"]!);
        var session = await OpenConfirmationLinkAsync(a);

        var ticketJson = await (await session.Client.GetAsync($"/api/tickets/{a.Number}")).Content.ReadAsStringAsync();
        var listJson = await (await session.Client.GetAsync("/api/tickets")).Content.ReadAsStringAsync();

        var seen = JsonNode.Parse(ticketJson)!;
        Assert.Null(seen["assignee"]!["email"]);
        Assert.Equal("Sam Support", (string)seen["assignee"]!["name"]!);
        Assert.Contains(seen["journal"]!.AsArray(), j => (string)j!["author"]! == "Sam Support" && (string?)j["text"] == "Looking into it.");
        Assert.Contains(seen["journal"]!.AsArray().SelectMany(j => j!["changes"]!.AsArray()),
            c => (string)c!["field"]! == "assignee" && (string?)c["new"] == "Sam Support");
        Assert.Equal("Sam Support", (string)JsonNode.Parse(listJson)!["items"]![0]!["assignee"]!);
        Assert.DoesNotContain("@demo.local", ticketJson + listJson, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(await ListAsync(session.Client, "?assignee=support@demo.local"));
    }

    [Fact]
    public async Task ALinkSession_MayAnswerPublicly_ButNotInternally_NorCallStaffApis()
    {
        var a = await MailInAsync(NewCustomer("Anna"), "Calendar shows the wrong week");
        var session = await OpenConfirmationLinkAsync(a);
        var support = await portal.AsAsync("support@demo.local");
        var before = (await TicketAsync(support, a.Number))["journal"]!.AsArray().Count;

        var internalNote = await session.Client.PostAsJsonAsync($"/api/tickets/{a.Number}/notes", new { text = "Sneaky internal note", @internal = true });
        var internalFile = await session.Client.PostAsync($"/api/tickets/{a.Number}/attachments?internal=true", TextFile("sneaky.txt", "x"));
        var renew = await session.Client.PostAsync($"/api/tickets/{a.Number}/customer-link", null);
        var publicNote = await session.Client.PostAsJsonAsync($"/api/tickets/{a.Number}/notes", new { text = "It is week 45, not 44.", @internal = false });

        Assert.Equal(HttpStatusCode.Forbidden, internalNote.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, internalFile.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, renew.StatusCode);
        Assert.Equal(HttpStatusCode.OK, publicNote.StatusCode);
        var journal = (await TicketAsync(support, a.Number))["journal"]!.AsArray();
        Assert.Equal(before + 1, journal.Count);
        Assert.Equal(a.From.Address, (string)journal[^1]!["author"]!);
        Assert.False((bool)journal[^1]!["internal"]!);
        Assert.Equal(HttpStatusCode.OK, (await session.Client.GetAsync($"/api/tickets/{a.Number}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await session.Client.GetAsync("/api/customers")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await session.Client.GetAsync("/api/mail/quarantine")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await session.Client.PostAsync("/api/mail/inbound?project=SUP", new ByteArrayContent("x"u8.ToArray()))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await session.Client.GetAsync("/api/projects/SUP/members")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await session.Client.PostAsync($"/api/users/{a.From.Address}/tokens", null)).StatusCode);
    }

    [Theory]
    [InlineData("not-a-secret")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task AnUnknownSecret_Answers404_AndSetsNoCookie(string secret)
    {
        var client = portal.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

        var response = await client.GetAsync($"/c/{secret}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/tickets")).StatusCode);
    }

    [Fact]
    public async Task RenewingTheLink_EndsTheOldSession_AndOnlyTheNewLinkOpensTheTicket()
    {
        var a = await MailInAsync(NewCustomer("Anna"), "Exports time out");
        var oldLink = Pickup.CustomerLinkIn(await Pickup.AnswerToAsync(PickupDirectory, a.MessageId));
        var oldSession = await OpenLinkAsync(oldLink, a.Number);
        Assert.Equal(HttpStatusCode.OK, (await oldSession.Client.GetAsync($"/api/tickets/{a.Number}")).StatusCode);
        var mailsBefore = Pickup.To(PickupDirectory, a.From.Address).Select(m => m.File).ToHashSet();
        var support = await portal.AsAsync("support@demo.local");

        var renewed = await support.PostAsync($"/api/tickets/{a.Number}/customer-link", null);

        Assert.Equal(HttpStatusCode.OK, renewed.StatusCode);
        Assert.True((int)(await JsonAsync(renewed))["revoked"]! >= 1);
        Assert.Equal(HttpStatusCode.Unauthorized, (await oldSession.Client.GetAsync($"/api/tickets/{a.Number}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await oldSession.Client.GetAsync("/api/tickets")).StatusCode);
        var reopened = await portal.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }).GetAsync(oldLink.PathAndQuery);
        Assert.Equal(HttpStatusCode.NotFound, reopened.StatusCode);
        Assert.False(reopened.Headers.Contains("Set-Cookie"));
        var newMail = await Pickup.WaitForAsync(PickupDirectory,
            (file, m) => !mailsBefore.Contains(file) && m.To.Mailboxes.Any(t => t.Address == a.From.Address), "The mail with Anna's new link");
        Assert.Contains($"[#{a.Number}]", newMail.Subject);
        Assert.Equal(a.MessageId, newMail.InReplyTo);
        var newLink = Pickup.CustomerLinkIn(newMail);
        Assert.NotEqual(oldLink, newLink);
        var newSession = await OpenLinkAsync(newLink, a.Number);
        Assert.Equal(a.Title, (string)(await TicketAsync(newSession.Client, a.Number))["title"]!);
        Assert.Equal([a.Number], await ListAsync(newSession.Client));
    }

    [Fact]
    public async Task ACustomerWithAnAccount_SeesOnlyTheLinkedTicketByLink_AndAllTheirTicketsSignedIn()
    {
        var carla = await portal.AsAsync("customer@demo.local");
        var earlier = await CreateAsync(carla, "SUP", "Support", "Carla's earlier question");
        var mailed = await MailInAsync(new MailboxAddress("Carla Customer", "customer@demo.local"), "Carla's mailed question");
        var session = await OpenConfirmationLinkAsync(mailed);

        var byLink = await ListAsync(session.Client, "?includeHidden=true&pageSize=200");
        var signedIn = await ListAsync(carla, "?includeHidden=true&pageSize=200");

        Assert.Equal([mailed.Number], byLink);
        Assert.Equal(HttpStatusCode.NotFound, (await session.Client.GetAsync($"/api/tickets/{earlier}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await session.Client.GetAsync($"/api/tickets/{mailed.Number}")).StatusCode);
        Assert.Contains(earlier, signedIn);
        Assert.Contains(mailed.Number, signedIn);
        Assert.Equal(HttpStatusCode.OK, (await carla.GetAsync($"/api/tickets/{earlier}")).StatusCode);
    }

    private async Task<(HubConnection Connection, ConcurrentQueue<HubMessage> Received)> ConnectAsync(Action<HttpConnectionOptions> authenticate)
    {
        var received = new ConcurrentQueue<HubMessage>();
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(portal.Server.BaseAddress, "hubs/tickets"), o =>
            {
                o.HttpMessageHandlerFactory = _ => portal.Server.CreateHandler();
                o.Transports = HttpTransportType.LongPolling;
                authenticate(o);
            })
            .Build();
        connection.On<HubMessage>("TicketChanged", received.Enqueue);
        await connection.StartAsync();
        return (connection, received);
    }

    private async Task NoteAsync(HttpClient staff, int number, string text) =>
        Assert.Equal(HttpStatusCode.OK, (await staff.PostAsJsonAsync($"/api/tickets/{number}/notes", new { text, @internal = false })).StatusCode);

    [Fact]
    public async Task TheHub_TellsALinkSessionOfItsTicketOnly_NotOfAnotherCustomersNorOfTheCustomersOtherTickets()
    {
        var anna = NewCustomer("Anna");
        var a1 = await MailInAsync(anna, "First problem");
        var a2 = await MailInAsync(anna, "Second problem");
        var b = await MailInAsync(NewCustomer("Bert"), "Bert's problem");
        var annaSession = await OpenConfirmationLinkAsync(a1);
        var bertSession = await OpenConfirmationLinkAsync(b);
        var annaToken = (string)(await JsonAsync(await portal.Admin().PostAsync($"/api/users/{anna.Address}/tokens", null)))["token"]!;
        var (annaHub, toAnnaByLink) = await ConnectAsync(o => o.Headers["Cookie"] = annaSession.Cookie);
        var (bertHub, toBertByLink) = await ConnectAsync(o => o.Headers["Cookie"] = bertSession.Cookie);
        var (annaAccountHub, toAnnaAccount) = await ConnectAsync(o => o.AccessTokenProvider = () => Task.FromResult<string?>(annaToken));
        var support = await portal.AsAsync("support@demo.local");

        await NoteAsync(support, b.Number, "About Bert's ticket.");
        await Eventually.HoldsAsync(() => Task.FromResult(toBertByLink.Any(m => m.Number == b.Number)), "Bert hearing of his ticket");
        await NoteAsync(support, a2.Number, "About Anna's second ticket.");
        await Eventually.HoldsAsync(() => Task.FromResult(toAnnaAccount.Any(m => m.Number == a2.Number)), "Anna's account hearing of her second ticket");
        await NoteAsync(support, a1.Number, "About Anna's first ticket.");
        await Eventually.HoldsAsync(() => Task.FromResult(toAnnaByLink.Any(m => m.Number == a1.Number)), "Anna's link session hearing of its ticket");

        Assert.All(toAnnaByLink, m => Assert.Equal(a1.Number, m.Number));
        Assert.Contains(toAnnaByLink, m => m is { Project: "SUP", Status: "New" });
        Assert.All(toBertByLink, m => Assert.Equal(b.Number, m.Number));
        await Task.WhenAll(annaHub.DisposeAsync().AsTask(), bertHub.DisposeAsync().AsTask(), annaAccountHub.DisposeAsync().AsTask());
    }
}
