using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using TicketPortal.BenchShared;
using TicketPortal.Domain.Mail;
using TicketPortal.Domain.Persistence;

namespace TicketPortal.MailLoad;

/// <summary>
/// One delivery of a full outbox: <see cref="OutboxSender.SendDueAsync"/> until every mail is sent (of which
/// <see cref="Transport"/> inside the pickup-directory transport), against writing the same messages directly; and how
/// long building those messages (<see cref="OutboxMessage.ToMime"/>, which the sender does too) took on its own.
/// </summary>
public sealed record OutboundRepeat(int Mails, TimeSpan Sender, TimeSpan Transport, TimeSpan Baseline, TimeSpan BuildMime)
{
    public double Ratio => Sender / Baseline;
}

/// <summary>
/// Mail out, in this process on a fresh data directory migrated like the portal's: queues ticket mails, times the
/// outbox sender delivering them to a pickup directory, and checks every file.
/// </summary>
public static class OutboundRun
{
    private const string PortalUrl = "https://support.ticketportal.local";

    public static async Task<IReadOnlyList<OutboundRepeat>> ExecuteAsync(MailLoadOptions options, CancellationToken ct)
    {
        var directory = Directory.CreateTempSubdirectory("mailload-outbound-").FullName;
        try
        {
            await PortalDatabase.MigrateAsync(directory, ct);
            await using var services = PortalDatabase.Services(directory).BuildServiceProvider();
            var contexts = services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
            var settings = new MailSettings { PortalUrl = PortalUrl, Projects = { ["SUP"] = MailPlan.SupportAddress } };
            var plan = MailPlan.Create(options.OutboundWarmUp + options.Repeats * options.Outbound, options.Seed);
            if (options.OutboundWarmUp > 0)
            {
                await DeliverAsync(contexts, settings, plan.Take(options.OutboundWarmUp).ToList(), Path.Combine(directory, "warm-up"), ct);
            }
            var repeats = new List<OutboundRepeat>();
            for (var r = 0; r < options.Repeats; r++)
            {
                var mails = plan.Skip(options.OutboundWarmUp + r * options.Outbound).Take(options.Outbound).ToList();
                var repeat = await DeliverAsync(contexts, settings, mails, Path.Combine(directory, $"repeat-{r + 1}"), ct);
                Console.WriteLine($"outbound {r + 1}: {repeat.Mails:N0} mails in {repeat.Sender.TotalSeconds:F2} s "
                    + $"(transport {repeat.Transport.TotalSeconds:F2} s), written directly in {repeat.Baseline.TotalSeconds:F2} s");
                repeats.Add(repeat);
            }
            return repeats;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<OutboundRepeat> DeliverAsync(
        IDbContextFactory<PortalDbContext> contexts, MailSettings settings, IReadOnlyList<PlannedMail> plan, string folder, CancellationToken ct)
    {
        var queued = await QueueAsync(contexts, settings, plan, ct);
        var from = MailboxAddress.Parse(settings.From);

        // The baseline: the same messages, built before the clock starts, written one file each with nothing else to do.
        var direct = Path.Combine(folder, "direct");
        Directory.CreateDirectory(direct);
        var clock = Stopwatch.StartNew();
        var messages = queued.Select(m => (m.MessageId, Mime: m.ToMime(from))).ToList();
        var buildMime = clock.Elapsed;
        clock.Restart();
        foreach (var (messageId, mime) in messages)
        {
            using var file = File.Create(Path.Combine(direct, PickupDirectoryTransport.FileName(messageId)));
            mime.WriteTo(file, ct);
        }
        var baseline = clock.Elapsed;

        var pickup = Path.Combine(folder, "pickup");
        var transport = new TimedTransport(new PickupDirectoryTransport(pickup));
        var sender = new OutboxSender(contexts, transport, settings, TimeProvider.System);
        clock.Restart();
        var sent = await sender.SendDueAsync(ct);
        var elapsed = clock.Elapsed;

        await VerifyAsync(contexts, pickup, queued, sent, ct);
        return new OutboundRepeat(queued.Count, elapsed, transport.Elapsed, baseline, buildMime);
    }

    /// <summary>Ticket mails as the portal queues them: one body each (the news template with a ~2 KB note), to the customer, threaded.</summary>
    private static async Task<IReadOnlyList<OutboxMessage>> QueueAsync(
        IDbContextFactory<PortalDbContext> contexts, MailSettings settings, IReadOnlyList<PlannedMail> plan, CancellationToken ct)
    {
        var now = TimeProvider.System.GetUtcNow();
        var queued = plan.Select(mail =>
        {
            var number = (mail.Index + 1).ToString(CultureInfo.InvariantCulture);
            var body = MailTemplates.Render(MailTemplate.TicketUpdated, new Dictionary<string, string>
            {
                ["replyMarker"] = ReplyTrimmer.ReplyMarker,
                ["customer"] = mail.From.Name,
                ["number"] = number,
                ["project"] = "Support",
                ["title"] = mail.Subject,
                ["status"] = "In progress",
                ["link"] = settings.Link("/c/" + Convert.ToHexString(Guid.NewGuid().ToByteArray()).ToLowerInvariant()),
                ["changes"] = $"* Status: New → In progress\nSam Support wrote:\n\n{mail.Text}",
                ["changesHtml"] = "<ul><li>Status: New → In progress</li></ul><p><strong>Sam Support</strong> wrote:</p><blockquote>"
                    + string.Concat(mail.Text.Split("\n\n").Select(p => $"<p>{WebUtility.HtmlEncode(p)}</p>")) + "</blockquote>",
            });
            return new OutboxMessage(new MailboxAddress(mail.From.Name, mail.From.Address), $"[#{number}] {mail.Subject}", body, settings.Domain,
                mail.Index + 1, now, settings.AddressOf("SUP"), $"ticket-{number}@{settings.Domain}");
        }).ToList();
        await using var db = await contexts.CreateDbContextAsync(ct);
        db.Outbox.AddRange(queued);
        await db.SaveChangesAsync(ct);
        return queued;
    }

    /// <summary>Every mail is marked sent, and its file is there, whole, and reads back as the same message.</summary>
    private static async Task VerifyAsync(IDbContextFactory<PortalDbContext> contexts, string pickup, IReadOnlyList<OutboxMessage> queued, int sent, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var unsent = await db.Outbox.CountAsync(m => m.SentAt == null, ct);
        var files = Directory.GetFiles(pickup);
        var read = files.Where(f => f.EndsWith(".eml", StringComparison.Ordinal)).Select(f => (File: f, Mail: MimeMessage.Load(f)))
            .ToDictionary(x => x.Mail.MessageId ?? x.File, x => x.Mail.Subject);
        var missing = queued.Count(m => read.GetValueOrDefault(m.MessageId) != m.Subject);
        if (sent != queued.Count || unsent != 0 || files.Length != queued.Count || missing != 0)
        {
            throw new InvalidOperationException($"Outbox delivery incomplete: {sent} of {queued.Count} reported sent, {unsent} still unsent, "
                + $"{files.Length} files in {pickup}, {missing} queued mails without a matching .eml file.");
        }
    }

    /// <summary>Times the transport inside the sender, so the report can tell writing files from the rest (query, MIME, saving).</summary>
    private sealed class TimedTransport(IMailTransport inner) : IMailTransport
    {
        public TimeSpan Elapsed { get; private set; }

        public bool RedeliveryIsHarmless => inner.RedeliveryIsHarmless;

        public async Task SendAsync(IReadOnlyList<MimeMessage> messages, CancellationToken ct)
        {
            var start = Stopwatch.GetTimestamp();
            await inner.SendAsync(messages, ct);
            Elapsed += Stopwatch.GetElapsedTime(start);
        }
    }
}
