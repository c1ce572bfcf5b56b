using System.Net.Http.Headers;

namespace TicketPortal;

/// <summary>
/// <c>TicketPortal mailgate</c>: an MTA pipe (like Redmine's rdm-mailhandler) that posts the message on standard input
/// to <c>/api/mail/inbound</c>. Exit codes follow sysexits.h, so the MTA retries on 75 and bounces on the others.
/// </summary>
public static class Mailgate
{
    public const int Accepted = 0;
    public const int Usage = 64;
    public const int DataError = 65;
    public const int TemporaryFailure = 75;
    public const int NoPermission = 77;

    private const string UsageText =
        "usage: dotnet TicketPortal.dll mailgate --url URL --token TOKEN [--project KEY] < message.eml" +
        " (or PORTAL_MAILGATE_URL and PORTAL_MAILGATE_TOKEN)";

    public static async Task<int> RunAsync(string[] args, Stream input, TextWriter error, HttpMessageHandler? handler = null)
    {
        var options = new Dictionary<string, string>
        {
            ["--url"] = Environment.GetEnvironmentVariable("PORTAL_MAILGATE_URL") ?? "",
            ["--token"] = Environment.GetEnvironmentVariable("PORTAL_MAILGATE_TOKEN") ?? "",
            ["--project"] = "",
        };
        for (var i = 0; i < args.Length; i += 2)
        {
            if (!options.ContainsKey(args[i]) || i + 1 == args.Length)
            {
                return await ReportAsync(error, Usage, $"{args[i]} is not an option or has no value.\n{UsageText}");
            }
            options[args[i]] = args[i + 1];
        }
        if (!Uri.TryCreate(options["--url"], UriKind.Absolute, out var portal) || portal.Scheme is not ("http" or "https"))
        {
            return await ReportAsync(error, Usage, $"--url must be the portal's http(s) address.\n{UsageText}");
        }
        if (string.IsNullOrWhiteSpace(options["--token"]))
        {
            return await ReportAsync(error, Usage, $"--token is required.\n{UsageText}");
        }

        using var message = new MemoryStream();
        await input.CopyToAsync(message);
        if (message.Length == 0)
        {
            return await ReportAsync(error, DataError, "no message on standard input.");
        }

        var target = portal.AbsoluteUri.TrimEnd('/') + "/api/mail/inbound"
            + (options["--project"] is { Length: > 0 } project ? "?project=" + Uri.EscapeDataString(project) : "");
        using var client = new HttpClient(handler ?? new SocketsHttpHandler { AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = new ByteArrayContent(message.ToArray()) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options["--token"]);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("message/rfc822");
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return await ReportAsync(error, TemporaryFailure, $"the portal at {target} cannot be reached ({e.Message}); try again later.");
        }
        using (response)
        {
            var status = (int)response.StatusCode;
            var code = status switch
            {
                >= 200 and < 300 => Accepted,
                401 or 403 => NoPermission,
                429 or >= 500 => TemporaryFailure,
                >= 400 => DataError,
                _ => TemporaryFailure,
            };
            var answer = (await response.Content.ReadAsStringAsync()).ReplaceLineEndings(" ");
            answer = answer.Length > 300 ? answer[..300] + "…" : answer;
            var verdict = code == Accepted ? "accepted" : "refused";
            return await ReportAsync(error, code, $"{verdict} by {target}: {status} {response.ReasonPhrase} {answer}".TrimEnd());
        }
    }

    private static async Task<int> ReportAsync(TextWriter error, int code, string line)
    {
        await error.WriteLineAsync("mailgate: " + line);
        return code;
    }
}
