using System.Diagnostics;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using TicketPortal.Tests.Support;

namespace TicketPortal.Tests.Mail;

public sealed class MailgateTests : IAsyncLifetime
{
    private static readonly byte[] Message = Encoding.UTF8.GetBytes(
        "From: Carla <customer@demo.local>\r\nTo: support@ticketportal.local\r\nSubject: Gr=?utf-8?q?=C3=BC=C3=9Fe?=\r\n" +
        "Message-ID: <gate-1@customer.example>\r\n\r\nThe printer jams.\r\n.\r\n..a line with dots\r\n");

    private readonly FakePortal _portal = new();

    public Task InitializeAsync() => _portal.StartAsync();

    public Task DisposeAsync() => _portal.DisposeAsync().AsTask();

    [Fact]
    public async Task Accepted_PostsTheMessageUnchanged_WithTokenAndProject()
    {
        _portal.Status = StatusCodes.Status202Accepted;
        var error = new StringWriter();

        var code = await Mailgate.RunAsync(["--url", _portal.Url + "/", "--token", "gate-token", "--project", "SUP"], new MemoryStream(Message), error);

        Assert.Equal(Mailgate.Accepted, code);
        var request = Assert.Single(_portal.Requests);
        Assert.Equal("/api/mail/inbound", request.Path);
        Assert.Equal("?project=SUP", request.Query);
        Assert.Equal("Bearer gate-token", request.Authorization);
        Assert.Equal("message/rfc822", request.ContentType);
        Assert.Equal(Message, request.Body);
        Assert.StartsWith("mailgate: accepted by ", error.ToString());
        Assert.Single(error.ToString().TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task WithoutProject_SendsNoQuery()
    {
        var code = await Mailgate.RunAsync(["--url", _portal.Url, "--token", "gate-token"], new MemoryStream(Message), TextWriter.Null);

        Assert.Equal(Mailgate.Accepted, code);
        Assert.Equal("", Assert.Single(_portal.Requests).Query);
    }

    [Theory]
    [InlineData(200, Mailgate.Accepted)]
    [InlineData(202, Mailgate.Accepted)]
    [InlineData(401, Mailgate.NoPermission)]
    [InlineData(403, Mailgate.NoPermission)]
    [InlineData(400, Mailgate.DataError)]
    [InlineData(413, Mailgate.DataError)]
    [InlineData(422, Mailgate.DataError)]
    [InlineData(429, Mailgate.TemporaryFailure)]
    [InlineData(500, Mailgate.TemporaryFailure)]
    [InlineData(503, Mailgate.TemporaryFailure)]
    public async Task PortalStatus_MapsToTheSysexitsCode(int status, int expected)
    {
        _portal.Status = status;
        var error = new StringWriter();

        var code = await Mailgate.RunAsync(["--url", _portal.Url, "--token", "gate-token"], new MemoryStream(Message), error);

        Assert.Equal(expected, code);
        Assert.Contains($": {status} ", error.ToString());
    }

    [Fact]
    public async Task UnreachablePortal_IsATemporaryFailure()
    {
        var error = new StringWriter();

        var code = await Mailgate.RunAsync(["--url", $"http://127.0.0.1:{FreePort.Pick()}", "--token", "gate-token"], new MemoryStream(Message), error);

        Assert.Equal(Mailgate.TemporaryFailure, code);
        Assert.Contains("cannot be reached", error.ToString());
    }

    [Theory]
    [InlineData("--token", "gate-token")]
    [InlineData("--url", "localhost:5080", "--token", "gate-token")]
    [InlineData("--url", "http://localhost:5080")]
    [InlineData("--url", "http://localhost:5080", "--token", "gate-token", "--verbose", "yes")]
    [InlineData("--url", "http://localhost:5080", "--token")]
    public async Task BadArguments_AreAUsageError_AndPostNothing(params string[] args)
    {
        var error = new StringWriter();

        var code = await Mailgate.RunAsync(args, new MemoryStream(Message), error);

        Assert.Equal(Mailgate.Usage, code);
        Assert.Contains("usage: dotnet TicketPortal.dll mailgate --url URL --token TOKEN", error.ToString());
        Assert.Empty(_portal.Requests);
    }

    [Fact]
    public async Task EmptyInput_IsADataError_AndPostsNothing()
    {
        var error = new StringWriter();

        var code = await Mailgate.RunAsync(["--url", _portal.Url, "--token", "gate-token"], new MemoryStream(), error);

        Assert.Equal(Mailgate.DataError, code);
        Assert.Contains("no message on standard input", error.ToString());
        Assert.Empty(_portal.Requests);
    }

    [Fact]
    public async Task TheHostExecutable_InMailgateMode_ReadsStandardInput_AndExitsWithTheCode()
    {
        _portal.Status = StatusCodes.Status403Forbidden;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { typeof(Mailgate).Assembly.Location, "mailgate", "--project", "INT" })
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["PORTAL_MAILGATE_URL"] = _portal.Url;
        start.Environment["PORTAL_MAILGATE_TOKEN"] = "env-token";

        using var gate = Process.Start(start)!;
        await gate.StandardInput.BaseStream.WriteAsync(Message);
        gate.StandardInput.Close();
        var error = await gate.StandardError.ReadToEndAsync();
        await gate.WaitForExitAsync();

        Assert.Equal(Mailgate.NoPermission, gate.ExitCode);
        Assert.StartsWith("mailgate: refused by ", error);
        var request = Assert.Single(_portal.Requests);
        Assert.Equal("Bearer env-token", request.Authorization);
        Assert.Equal("?project=INT", request.Query);
        Assert.Equal(Message, request.Body);
    }

    private sealed record ReceivedRequest(string Path, string Query, string? Authorization, string? ContentType, byte[] Body);

    /// <summary>A real HTTP server on a free port standing in for the portal: records each request, answers <see cref="Status"/>.</summary>
    private sealed class FakePortal : IAsyncDisposable
    {
        private WebApplication? _app;

        public int Status { get; set; } = StatusCodes.Status202Accepted;

        public List<ReceivedRequest> Requests { get; } = [];

        public string Url { get; private set; } = "";

        public async Task StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            _app = builder.Build();
            _app.MapPost("/api/mail/inbound", async (HttpContext context) =>
            {
                using var body = new MemoryStream();
                await context.Request.Body.CopyToAsync(body);
                Requests.Add(new ReceivedRequest(context.Request.Path, context.Request.QueryString.Value ?? "",
                    context.Request.Headers.Authorization, context.Request.ContentType, body.ToArray()));
                return Results.Json(new { id = 7, outcome = "Ticket", ticketNumber = 42 }, statusCode: Status);
            });
            await _app.StartAsync();
            Url = _app.Urls.Single();
        }

        public async ValueTask DisposeAsync()
        {
            if (_app is not null)
            {
                await _app.DisposeAsync();
            }
        }
    }
}
