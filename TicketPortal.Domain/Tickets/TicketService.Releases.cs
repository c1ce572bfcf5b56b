using System.Data;
using Microsoft.EntityFrameworkCore;
using TicketPortal.Domain.Persistence;
using TicketPortal.Domain.Workflows;

namespace TicketPortal.Domain.Tickets;

public sealed partial class TicketService
{
    /// <summary>The field a published release stamps on each of its tickets.</summary>
    public const string ReleaseField = "release";

    /// <summary>The external trigger a published release fires on each of its tickets (change-board: Release ready → Complete).</summary>
    public const string ReleaseTrigger = "release";

    /// <summary>
    /// Whether a ticket can go into a release: not released yet, of a release tracker, and either where the workflow's release trigger takes
    /// it from, or (in a workflow without one) in one of its release statuses.
    /// </summary>
    public bool IsReleaseReady(WorkflowDefinition workflow, Ticket ticket)
    {
        if (ticket.FieldValues.ContainsKey(ReleaseField)
            || (workflow.ReleaseTrackers.Count > 0 && !workflow.ReleaseTrackers.Contains(ticket.Tracker, StringComparer.OrdinalIgnoreCase)))
        {
            return false;
        }
        var hasReleaseStep = workflow.Automations.Any(a => a.On == AutomationTrigger.External && a.Trigger == ReleaseTrigger);
        return hasReleaseStep
            ? WorkflowEngine.Triggered(workflow, Snapshot(ticket), AutomationTrigger.External, clock.GetUtcNow(), ReleaseTrigger) is not null
            : workflow.ReleaseStatuses.Contains(ticket.Status, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The statuses a release-ready ticket can be in (a pre-filter for queries; <see cref="IsReleaseReady"/> decides).</summary>
    public static IReadOnlyList<string> ReleaseReadyStatuses(WorkflowDefinition workflow)
    {
        var fromRelease = workflow.Automations
            .Where(a => a.On == AutomationTrigger.External && a.Trigger == ReleaseTrigger)
            .SelectMany(a => workflow.FindTransition(a.Transition)?.From ?? [])
            .ToList();
        return fromRelease.Count > 0
            ? fromRelease.Distinct().ToList()
            : workflow.ReleaseStatuses;
    }

    /// <summary>
    /// Stamps each ticket with the version, in a public journal entry, and fires the release trigger where the workflow
    /// has one; <paramref name="alsoSave"/> adds the rest of the publish (the release itself, the mails) to the same
    /// transaction. Returns how many tickets the trigger moved.
    /// </summary>
    public async Task<int> ReleaseTicketsAsync(
        IReadOnlyList<int> numbers, string version, string authorId, Func<PortalDbContext, Task> alsoSave, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(IsolationLevel.Serializable, ct);
        var tickets = await numbers.QueryInChunksAsync(chunk =>
            db.Tickets.Include(t => t.Project).Where(t => chunk.Contains(t.Number)).ToListAsync(ct));
        var changed = new List<Ticket>(tickets);
        var moved = 0;
        var notReady = tickets.Where(t => !IsReleaseReady(catalog.For(t.Project!), t)).Select(t => $"#{t.Number} is {t.Status}").ToList();
        if (notReady.Count > 0 || tickets.Count != numbers.Distinct().Count())
        {
            throw new DomainException(DomainErrorKind.Conflict,
                $"Tickets changed while the release was being published ({string.Join(", ", notReady.DefaultIfEmpty("a ticket is gone"))}); nothing was published. Reload the draft.");
        }
        foreach (var ticket in tickets)
        {
            var note = $"Released in {version}.";
            // The stamp goes into the entry of the release step when there is one: one journal entry per ticket.
            var step = await RunAutomationAsync(db, ticket, AutomationTrigger.External, ReleaseTrigger, authorId, note, changed, ct);
            ticket.SetField(step ?? ticket.Record(authorId, clock.GetUtcNow(), note, isInternal: false), ReleaseField, version);
            if (step is not null)
            {
                moved++;
                await RunFollowUpsAsync(db, ticket, authorId, changed, ct);
            }
        }
        await alsoSave(db);
        // The release mail tells the reporters; no mail per ticket on top of it.
        await SaveAsync(db, tx, tellCustomers: false, ct, [.. changed]);
        return moved;
    }
}
