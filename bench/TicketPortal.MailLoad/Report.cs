using TicketPortal.BenchShared;

namespace TicketPortal.MailLoad;

/// <summary>The summary, as Markdown: printed, and written to a file when asked.</summary>
public sealed class Report(MailLoadOptions options, InboundResult? inbound, IReadOnlyList<OutboundRepeat>? outbound)
{
    private const double TargetMailPerSecond = 300;
    private const int TargetOutboundMails = 1_000;
    private static readonly TimeSpan TargetOutbound = TimeSpan.FromSeconds(5);
    private const int ErrorsShown = 20;

    public bool Passed => inbound is null || (inbound.Mail.Errors.Count == 0 && inbound.Baseline.Errors.Count == 0);

    public void Write(TextWriter output)
    {
        output.WriteLine("# Mail in and out (TicketPortal.MailLoad)");
        output.WriteLine();
        output.WriteLine($"Machine: {Machine.Describe()}.");
        if (inbound is not null)
        {
            WriteInbound(output, inbound);
        }
        if (outbound is not null)
        {
            WriteOutbound(output, outbound);
        }
    }

    private void WriteInbound(TextWriter output, InboundResult result)
    {
        output.WriteLine();
        output.WriteLine("## Inbound");
        output.WriteLine();
        output.WriteLine($"Portal {options.Portal}; {options.Posters} posters on HTTP/1.1 keep-alive connections; {options.Messages:N0} measured requests "
            + $"per phase after {options.WarmUp:N0} warm-up ones; seed {options.Seed}. Load average before {result.LoadBefore}, after {result.LoadAfter}.");
        output.WriteLine();
        output.WriteLine("| phase | requests | per second | p50 ms | p95 ms | max ms | errors | portal CPU ms per request | tool CPU ms per request |");
        output.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var phase in new[] { result.Mail, result.Baseline })
        {
            output.WriteLine($"| {phase.Name} | {phase.Requests:N0} | {phase.PerSecond:F0} | {Percentile.Of(phase.LatencyMs, 50):F1} | "
                + $"{Percentile.Of(phase.LatencyMs, 95):F1} | {phase.LatencyMs[^1]:F1} | {phase.Errors.Count} | "
                + $"{phase.PortalCpu.TotalMilliseconds / phase.Requests:F1} | {phase.ToolCpu.TotalMilliseconds / phase.Requests:F1} |");
        }
        output.WriteLine();
        var ratio = result.Mail.PerSecond / result.Baseline.PerSecond;
        output.WriteLine($"Mail {result.Mail.PerSecond:F0} msg/s against {result.Baseline.PerSecond:F0} tickets/s: ratio {ratio:F2}. "
            + $"Target over {TargetMailPerSecond:F0} msg/s: {(result.Mail.PerSecond > TargetMailPerSecond ? "holds" : "MISSED")}.");
        output.WriteLine();
        output.WriteLine($"The measured mail was {result.PlannedTickets:N0} new tickets and {result.PlannedNotes:N0} replies by their senders, "
            + $"naming the ticket as [#n]. After the mail phase the portal held {result.Facts.Customers} customer records in "
            + $"{result.Facts.Organisations} organisations, and inbound messages by outcome: "
            + string.Join(", ", result.Facts.Inbound.OrderBy(o => o.Key).Select(o => $"{o.Key} {o.Value:N0}")) + ".");
        output.WriteLine($"The portal's outbox job (every 2 s unless --portal-env says otherwise) ran alongside: {result.MailOutbox.Backlog:N0} mails "
            + $"were unsent when the mail phase ended, all delivered {result.MailOutbox.Drain.TotalSeconds:F1} s later; after the baseline "
            + $"{result.BaselineOutbox.Backlog:N0}, delivered {result.BaselineOutbox.Drain.TotalSeconds:F1} s later.");
        foreach (var phase in new[] { result.Mail, result.Baseline }.Where(p => p.Errors.Count > 0))
        {
            output.WriteLine();
            output.WriteLine($"Errors in {phase.Name} (first {Math.Min(ErrorsShown, phase.Errors.Count)} of {phase.Errors.Count}):");
            output.WriteLine();
            foreach (var error in phase.Errors.Take(ErrorsShown))
            {
                output.WriteLine($"- {error}");
            }
        }
    }

    private void WriteOutbound(TextWriter output, IReadOnlyList<OutboundRepeat> repeats)
    {
        output.WriteLine();
        output.WriteLine("## Outbound");
        output.WriteLine();
        output.WriteLine($"{options.Outbound:N0} queued ticket mails per repeat, after a warm-up of {options.OutboundWarmUp}, delivered by "
            + "OutboxSender.SendDueAsync to a pickup directory; baseline: the same MimeMessages written directly with WriteTo. "
            + "Building those messages is timed apart; the sender does it too, so the sender's time less the transport and "
            + "building is its database work (the due query and saving the deliveries, once per batch for the pickup directory). "
            + $"Load average after: {Machine.LoadAverage()}.");
        output.WriteLine();
        output.WriteLine("| repeat | mails | outbox sender s | of which transport s | direct WriteTo s | ratio | building the MIME messages s |");
        output.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        for (var i = 0; i < repeats.Count; i++)
        {
            var r = repeats[i];
            output.WriteLine($"| {i + 1} | {r.Mails:N0} | {r.Sender.TotalSeconds:F2} | {r.Transport.TotalSeconds:F2} | {r.Baseline.TotalSeconds:F3} | {r.Ratio:F1} | {r.BuildMime.TotalSeconds:F3} |");
        }
        var median = repeats.OrderBy(r => r.Sender).ElementAt(repeats.Count / 2);
        output.WriteLine();
        output.WriteLine($"Median {median.Sender.TotalSeconds:F2} s for {median.Mails:N0} mails ({median.Mails / median.Sender.TotalSeconds:F0} mails/s), "
            + $"ratio {median.Ratio:F1} to writing them directly. Target {TargetOutboundMails:N0} mails under {TargetOutbound.TotalSeconds:F0} s: "
            + (median.Mails != TargetOutboundMails ? "not measured (--outbound is not 1000)."
                : median.Sender < TargetOutbound ? "holds." : "MISSED."));
    }
}
