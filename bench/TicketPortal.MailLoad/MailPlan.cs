using System.Globalization;
using System.Net;
using System.Text;
using MimeKit;

namespace TicketPortal.MailLoad;

/// <summary>Someone who writes in: 200 people at 20 organisations, so customers and organisations are created, then matched.</summary>
public sealed record Sender(string Name, string Address);

/// <summary>
/// One message of the run, decided before it starts: a new ticket, or a reply (<see cref="Answers"/> is the plan index
/// of an earlier new ticket by the same sender, whose number goes into the subject as [#n]).
/// </summary>
public sealed record PlannedMail(int Index, Sender From, string Subject, string Text, bool WithHtml, bool WithAttachment, int? Answers);

/// <summary>The messages of a run, made from a seed: 1–3 KB of text, some with an HTML alternative, a few with a small log file.</summary>
public static class MailPlan
{
    public const string SupportAddress = "support@ticketportal.local";
    private const double ReplyShare = 0.3;
    private const double HtmlShare = 0.35;
    private const double AttachmentShare = 0.04;
    // Replies answer a ticket opened at least this many messages before, so its number is known by then with a few posters.
    private const int ReplyDistance = 16;
    // ... and one of the most recent ones: people answer this week's mail, not last year's.
    private const int ReplyWindow = 300;

    private static readonly string[] Domains =
    [
        "northwind-traders.example", "contoso-labs.example", "fabrikam.example", "adventure-works.example", "tailspin-toys.example",
        "wingtip.example", "litware.example", "proseware.example", "lucerne-publishing.example", "margie-travel.example",
        "alpine-ski-house.example", "blue-yonder.example", "coho-vineyard.example", "fourth-coffee.example", "graphic-design-institute.example",
        "humongous-insurance.example", "school-of-fine-art.example", "southridge-video.example", "trey-research.example", "woodgrove-bank.example",
    ];

    private static readonly string[] FirstNames = ["Anna", "Ben", "Chiara", "David", "Elif", "Frank", "Grace", "Hiroshi", "Ines", "Jonas"];
    private static readonly string[] LastNames = ["Berg", "Novak", "Rossi", "Okafor", "Yilmaz", "Schulz", "Dubois", "Tanaka", "Silva", "Larsen"];

    private static readonly string[] Topics =
    [
        "Cannot log in since this morning", "Invoice PDF shows the wrong VAT rate", "Export to CSV times out", "Password reset mail never arrives",
        "Upload of workflow file fails", "Dashboard is empty after the update", "Two-factor codes rejected", "Report totals differ from the list",
        "API returns 500 on large requests", "Printer queue stuck on the 3rd floor", "New colleague needs an account", "VPN drops every ten minutes",
        "Calendar sync duplicates appointments", "Search finds nothing older than May", "Licence key expired too early", "Slow page loads in the afternoon",
    ];

    private static readonly string[] Sentences =
    [
        "Since this morning several people in our team see the same problem, so I do not think it is one machine.",
        "We did not change anything on our side as far as I know; the last update was installed by your team last week.",
        "I tried it in Firefox and in Edge, with and without the browser extensions, and the result is the same.",
        "The error message says that the request could not be completed and that we should try again later.",
        "Trying again later did not help: it has been like this for about three hours now.",
        "This blocks our month-end closing, so we would be grateful for a quick answer or at least a workaround.",
        "I attached what I could find; please tell me if you need more details or a screen recording.",
        "Our account number is on the last invoice, and the contract was renewed in January.",
        "When I open the page the spinner keeps turning and after about a minute the page goes blank.",
        "My colleague in the Munich office can reproduce it as well, on a different network.",
        "We are using the version that was rolled out to all customers at the start of the quarter.",
        "Could you please check whether something changed in the configuration of our tenant?",
        "The problem started right after we added the new department and its users.",
        "If it helps, I can be reached by phone between nine and five, or we can set up a screen-sharing session.",
        "Last time a similar issue was solved by clearing the cache on your side, maybe that is worth a try.",
        "The numbers in the summary do not match the numbers in the detail view for the same period.",
        "Nothing unusual shows up in our own logs, apart from a few timeouts around the time it started.",
        "We have about forty users affected, and the rest of the company will start using it next month.",
        "I am not sure whether this is a bug or whether we use the feature the wrong way, so any hint is welcome.",
        "Please keep my colleague in copy, she is responsible for the rollout in our team.",
    ];

    private static readonly string[] Clients = ["Microsoft Outlook 16.0", "Mozilla Thunderbird 128.3", "Apple Mail (2.3774)", "Roundcube Webmail/1.6.9"];

    public static IReadOnlyList<Sender> Senders { get; } =
    [
        .. Domains.SelectMany((domain, d) => Enumerable.Range(0, 10).Select(p =>
        {
            var (first, last) = (FirstNames[p], LastNames[(p + d) % LastNames.Length]);
            return new Sender($"{first} {last}", $"{first}.{last}@{domain}".ToLowerInvariant());
        })),
    ];

    public static IReadOnlyList<PlannedMail> Create(int count, int seed)
    {
        var random = new Random(seed);
        var plan = new List<PlannedMail>(count);
        var opened = new List<int>();
        var answerable = 0;
        for (var i = 0; i < count; i++)
        {
            while (answerable < opened.Count && opened[answerable] <= i - ReplyDistance)
            {
                answerable++;
            }
            var html = random.NextDouble() < HtmlShare;
            var attachment = random.NextDouble() < AttachmentShare;
            if (answerable > 0 && random.NextDouble() < ReplyShare)
            {
                var original = plan[opened[answerable - 1 - random.Next(Math.Min(answerable, ReplyWindow))]];
                plan.Add(new PlannedMail(i, original.From, original.Subject, ReplyText(random, original), html, attachment, original.Index));
            }
            else
            {
                var from = Senders[random.Next(Senders.Count)];
                var subject = $"{Topics[random.Next(Topics.Length)]} ({random.Next(100, 1000)})";
                plan.Add(new PlannedMail(i, from, subject, Text(random, from, random.Next(1024, 3072)), html, attachment, null));
                opened.Add(i);
            }
        }
        return plan;
    }

    /// <summary>The message as a mail client sends it; a reply needs the number of the ticket it answers.</summary>
    public static byte[] Raw(PlannedMail mail, int? ticketNumber, string runId)
    {
        var domain = mail.From.Address[(mail.From.Address.IndexOf('@', StringComparison.Ordinal) + 1)..];
        var message = new MimeMessage
        {
            Subject = mail.Answers is null ? mail.Subject : $"Re: [#{ticketNumber}] {mail.Subject}",
            MessageId = $"mailload-{runId}-{mail.Index}@{domain}",
            Date = new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.FromHours(1)).AddSeconds(mail.Index * 7),
        };
        message.From.Add(new MailboxAddress(mail.From.Name, mail.From.Address));
        message.To.Add(new MailboxAddress("Support", SupportAddress));
        message.Headers.Add("User-Agent", Clients[mail.Index % Clients.Length]);
        var body = new BodyBuilder { TextBody = mail.Text };
        if (mail.WithHtml)
        {
            body.HtmlBody = Html(mail.Text);
        }
        if (mail.WithAttachment)
        {
            body.Attachments.Add($"error-{mail.Index}.log", LogFile(mail.Index), new ContentType("text", "plain"));
        }
        message.Body = body.ToMessageBody();
        using var raw = new MemoryStream();
        message.WriteTo(raw);
        return raw.ToArray();
    }

    private static string Text(Random random, Sender from, int length)
    {
        var text = new StringBuilder("Hello support team,\n\n");
        var organisation = from.Address[(from.Address.IndexOf('@', StringComparison.Ordinal) + 1)..].Split('.')[0];
        var signature = $"\n\nKind regards,\n{from.Name}\n{organisation}\nPhone +49 30 {random.Next(1_000_000, 9_999_999)}";
        var inParagraph = 0;
        while (text.Length + signature.Length < length)
        {
            text.Append(Sentences[random.Next(Sentences.Length)]);
            text.Append(++inParagraph % 3 == 0 ? "\n\n" : " ");
        }
        return text.ToString().TrimEnd() + signature;
    }

    /// <summary>A few new lines above the quoted original, as mail clients write replies.</summary>
    private static string ReplyText(Random random, PlannedMail original)
    {
        var reply = Text(random, original.From, random.Next(400, 1200));
        var quoted = string.Join('\n', original.Text.Split('\n').Select(line => "> " + line));
        return $"{reply}\n\nOn Mon, 24 Nov 2026 at 09:12, Support <{SupportAddress}> wrote:\n{quoted}";
    }

    private static string Html(string text) =>
        "<html><head><meta charset=\"utf-8\"></head><body><div style=\"font-family:Calibri,sans-serif;font-size:11pt\">"
        + string.Concat(text.Split("\n\n").Select(p => $"<p>{WebUtility.HtmlEncode(p).Replace("\n", "<br>\n", StringComparison.Ordinal)}</p>\n"))
        + "</div></body></html>";

    private static byte[] LogFile(int index)
    {
        var log = new StringBuilder();
        for (var line = 0; line < 40; line++)
        {
            log.Append(CultureInfo.InvariantCulture, $"2026-11-24T08:{line:00}:{index % 60:00}Z ERROR request {index}-{line} failed: upstream timed out after 30000 ms\n");
        }
        return Encoding.UTF8.GetBytes(log.ToString());
    }
}
