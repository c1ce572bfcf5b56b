using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TicketPortal.BenchShared;
using TicketPortal.Domain.Mail;
using TicketPortal.Domain.Persistence;

namespace TicketPortal.MailLoad;

/// <summary>
/// One measured batch of requests: how long all of them took, each one's latency (sorted, ms), what went wrong, and the
/// CPU time the portal process and this tool used meanwhile (the portal's includes its jobs, the outbox's among them).
/// </summary>
public sealed record PhaseResult(string Name, int Requests, TimeSpan Elapsed, double[] LatencyMs, IReadOnlyList<string> Errors, TimeSpan PortalCpu, TimeSpan ToolCpu)
{
    public double PerSecond => Requests / Elapsed.TotalSeconds;
}

/// <summary>What the mail phase left in the database, to show customers and organisations were created once and then matched.</summary>
public sealed record IntakeFacts(int Customers, int Organisations, IReadOnlyDictionary<InboundOutcome, int> Inbound);

public sealed record InboundResult(
    PhaseResult Mail, PhaseResult Baseline, int PlannedTickets, int PlannedNotes, IntakeFacts Facts,
    (int Backlog, TimeSpan Drain) MailOutbox, (int Backlog, TimeSpan Drain) BaselineOutbox, string LoadBefore, string LoadAfter);

/// <summary>
/// Posts the planned messages to /api/mail/inbound with a few concurrent keep-alive connections, checking every answer,
/// then creates as many tickets through /api/tickets the same way, as the baseline measured in the same run.
/// </summary>
public static class InboundRun
{
    private const string Project = "SUP";
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromMinutes(2);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<InboundResult> ExecuteAsync(MailLoadOptions options, PortalProcess portal, CancellationToken ct)
    {
        var loadBefore = Machine.LoadAverage();
        var plan = MailPlan.Create(options.WarmUp + options.Messages, options.Seed);
        var runId = Guid.NewGuid().ToString("N")[..8];
        var numbers = plan.Select(_ => new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        using var posters = new Posters(portal, options.Posters);
        var database = PortalDatabase.Unpooled(portal.DataDirectory);

        // The demo data's mails go out first, so the outbox job works only for this run's tickets.
        await DrainOutboxAsync(database, ct);
        EnsureClean(await PostAsync("mail warm-up", posters, 0, options.WarmUp,
            i => MailRequest(plan[i], numbers, runId), (i, s, b) => CheckMail(plan[i], numbers, s, b), ct));
        await DrainOutboxAsync(database, ct);
        var mail = await PostAsync("mail: POST /api/mail/inbound", posters, options.WarmUp, options.Messages,
            i => MailRequest(plan[i], numbers, runId), (i, s, b) => CheckMail(plan[i], numbers, s, b), ct);
        var mailOutbox = await DrainOutboxAsync(database, ct);
        var facts = await FactsAsync(database, ct);

        // Reporters and texts of the planned new tickets; every such sender is a user by now.
        var opened = plan.Where(m => m.Answers is null).ToList();
        EnsureClean(await PostAsync("baseline warm-up", posters, 0, options.WarmUp, i => TicketRequest(opened[i % opened.Count]), CheckTicket, ct));
        await DrainOutboxAsync(database, ct);
        var baseline = await PostAsync("baseline: POST /api/tickets", posters, options.WarmUp, options.Messages,
            i => TicketRequest(opened[i % opened.Count]), CheckTicket, ct);
        var baselineOutbox = await DrainOutboxAsync(database, ct);

        var measured = plan.Skip(options.WarmUp).ToList();
        return new InboundResult(mail, baseline, measured.Count(m => m.Answers is null), measured.Count(m => m.Answers is not null), facts,
            mailOutbox, baselineOutbox, loadBefore, Machine.LoadAverage());
    }

    /// <summary>
    /// Sends requests <paramref name="first"/> to first + <paramref name="count"/> − 1 from every poster at once, each poster
    /// taking the next index; a request is built before its clock starts.
    /// </summary>
    private static async Task<PhaseResult> PostAsync(
        string name, Posters posters, int first, int count, Func<int, Task<HttpRequestMessage>> request,
        Func<int, HttpStatusCode, string, string?> check, CancellationToken ct)
    {
        var latency = new double[count];
        var errors = new ConcurrentQueue<string>();
        var next = -1;
        var (portalCpu, toolCpu) = posters.CpuTime();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(posters.Clients.Select(async http =>
        {
            for (var i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
            {
                try
                {
                    using var message = await request(first + i);
                    var sent = Stopwatch.GetTimestamp();
                    using var response = await http.SendAsync(message, ct);
                    var body = await response.Content.ReadAsStringAsync(ct);
                    latency[i] = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
                    if (check(first + i, response.StatusCode, body) is { } error)
                    {
                        errors.Enqueue(error);
                    }
                }
                catch (Exception e) when (e is HttpRequestException or InvalidOperationException or TimeoutException
                    || (e is TaskCanceledException && !ct.IsCancellationRequested))
                {
                    errors.Enqueue($"request {first + i}: {e.GetType().Name}: {e.Message}");
                }
            }
        }));
        var elapsed = clock.Elapsed;
        var (portalCpuAfter, toolCpuAfter) = posters.CpuTime();
        Array.Sort(latency);
        Console.WriteLine($"{name}: {count:N0} requests in {elapsed.TotalSeconds:F1} s ({count / elapsed.TotalSeconds:F0}/s), {errors.Count} errors");
        return new PhaseResult(name, count, elapsed, latency, [.. errors], portalCpuAfter - portalCpu, toolCpuAfter - toolCpu);
    }

    /// <summary>A warm-up that fails says the run is broken; its figures would mean nothing.</summary>
    private static void EnsureClean(PhaseResult warmUp)
    {
        if (warmUp.Errors.Count > 0)
        {
            throw new InvalidOperationException($"{warmUp.Name} failed:{Environment.NewLine}{string.Join(Environment.NewLine, warmUp.Errors.Take(10))}");
        }
    }

    private static async Task<HttpRequestMessage> MailRequest(PlannedMail mail, TaskCompletionSource<int>[] numbers, string runId)
    {
        int? number = mail.Answers is { } answered
            ? await numbers[answered].Task.WaitAsync(TimeSpan.FromSeconds(30))
            : null;
        var content = new ByteArrayContent(MailPlan.Raw(mail, number, runId));
        content.Headers.ContentType = new MediaTypeHeaderValue("message/rfc822");
        return new HttpRequestMessage(HttpMethod.Post, "/api/mail/inbound") { Content = content };
    }

    /// <summary>A new ticket must become one (its number is handed to the replies that wait for it); a reply must become a note on its ticket.</summary>
    private static string? CheckMail(PlannedMail mail, TaskCompletionSource<int>[] numbers, HttpStatusCode status, string body)
    {
        var receipt = status == HttpStatusCode.Accepted ? JsonSerializer.Deserialize<Receipt>(body, Json) : null;
        int? expectedNumber = mail.Answers is { } answered ? numbers[answered].Task.Result : null;
        var (expected, ok) = mail.Answers is null
            ? ("Ticket", receipt is { Outcome: "Ticket", TicketNumber: not null, Duplicate: false })
            : ("Note", receipt is { Outcome: "Note", Duplicate: false } && receipt.TicketNumber == expectedNumber);
        if (ok)
        {
            if (mail.Answers is null)
            {
                numbers[mail.Index].SetResult(receipt!.TicketNumber!.Value);
            }
            return null;
        }
        numbers[mail.Index].TrySetException(new InvalidOperationException($"message {mail.Index} did not open a ticket"));
        return receipt is null
            ? $"message {mail.Index} ({expected}): {(int)status} {body}"
            : $"message {mail.Index}: expected {expected}{(expectedNumber is null ? "" : $" on #{expectedNumber}")}, got {receipt.Outcome} "
                + $"#{receipt.TicketNumber}{(receipt.Duplicate ? " (duplicate)" : "")}: {receipt.Reason}";
    }

    private static Task<HttpRequestMessage> TicketRequest(PlannedMail mail) =>
        Task.FromResult(new HttpRequestMessage(HttpMethod.Post, "/api/tickets")
        {
            Content = JsonContent.Create(new { project = Project, tracker = "Support", title = mail.Subject, description = mail.Text, reporterEmail = mail.From.Address }),
        });

    private static string? CheckTicket(int index, HttpStatusCode status, string body) =>
        status == HttpStatusCode.Created ? null : $"ticket {index}: {(int)status} {body}";

    /// <summary>Waits until the portal's outbox job has delivered every queued mail; returns the backlog it started from and how long that took.</summary>
    private static async Task<(int Backlog, TimeSpan Drain)> DrainOutboxAsync(DbContextOptions<PortalDbContext> database, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var backlog = await BacklogAsync(database, ct);
        for (var left = backlog; left > 0; left = await BacklogAsync(database, ct))
        {
            if (clock.Elapsed > DrainTimeout)
            {
                throw new TimeoutException($"The portal's outbox still holds {left} unsent mails after {DrainTimeout.TotalSeconds:F0} s.");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(100), ct);
        }
        return (backlog, clock.Elapsed);
    }

    private static async Task<int> BacklogAsync(DbContextOptions<PortalDbContext> database, CancellationToken ct)
    {
        await using var db = new PortalDbContext(database);
        return await db.Outbox.CountAsync(m => m.SentAt == null, ct);
    }

    private static async Task<IntakeFacts> FactsAsync(DbContextOptions<PortalDbContext> database, CancellationToken ct)
    {
        await using var db = new PortalDbContext(database);
        var inbound = await db.Inbound.GroupBy(m => m.Outcome).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        return new IntakeFacts(await db.Customers.CountAsync(ct), await db.Organisations.CountAsync(ct), inbound);
    }

    /// <summary>
    /// One connection per poster, kept alive; requests are HTTP/1.1 (HttpRequestMessage's default), as an MTA or mailgate
    /// would deliver. Also reads the CPU time of the portal process and of this one.
    /// </summary>
    private sealed class Posters : IDisposable
    {
        private readonly Process _portal;
        private readonly Process _tool = Process.GetCurrentProcess();

        public Posters(PortalProcess portal, int count)
        {
            _portal = Process.GetProcessById(portal.Id);
            Clients = [.. Enumerable.Range(0, count).Select(_ =>
            {
                var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1 }) { BaseAddress = portal.Address, Timeout = TimeSpan.FromSeconds(30) };
                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", portal.AdminToken);
                return http;
            })];
        }

        public IReadOnlyList<HttpClient> Clients { get; }

        public (TimeSpan Portal, TimeSpan Tool) CpuTime()
        {
            _portal.Refresh();
            _tool.Refresh();
            return (_portal.TotalProcessorTime, _tool.TotalProcessorTime);
        }

        public void Dispose()
        {
            foreach (var http in Clients)
            {
                http.Dispose();
            }
            _portal.Dispose();
            _tool.Dispose();
        }
    }

    private sealed record Receipt(int Id, string Outcome, int? TicketNumber, string? Reason, bool Duplicate);
}
