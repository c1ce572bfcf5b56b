using System.Data;
using Microsoft.EntityFrameworkCore;
using TicketPortal.Domain.Persistence;
using TicketPortal.Domain.Workflows;

namespace TicketPortal.Domain.Tickets;

/// <summary>
/// A commit's effect on one ticket: an internal journal note, and for a closing or reopening verb on a closing branch,
/// the workflow's trigger (e.g. "commit"). Values the commit offers (tag, sha, branch) fill fields the automation names.
/// </summary>
public sealed record CommitNote(int Number, string AuthorId, string Text, string? Trigger, IReadOnlyDictionary<string, string> CommitValues);

/// <summary>What became of a commit note: whether the workflow took the step, and in words (kept in the ledger).</summary>
public sealed record CommitOutcome(bool Applied, string Text)
{
    public static readonly CommitOutcome Noted = new(false, "noted");
}

public sealed partial class TicketService
{
    /// <summary>
    /// Applies a scan's notes in one transaction together with what <paramref name="alsoSave"/> adds (the ledger and the
    /// repository's new tips), so a scan lands whole or not at all. A trigger the workflow cannot take is not forced:
    /// the note says why. Returns each note's outcome, in order.
    /// </summary>
    public async Task<IReadOnlyList<CommitOutcome>> ApplyCommitNotesAsync(
        IReadOnlyList<CommitNote> notes, Action<PortalDbContext, IReadOnlyList<CommitOutcome>> alsoSave, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(IsolationLevel.Serializable, ct);
        var tickets = (await notes.Select(n => n.Number).QueryInChunksAsync(numbers =>
            db.Tickets.Include(t => t.Project).Where(t => numbers.Contains(t.Number)).ToListAsync(ct))).ToDictionary(t => t.Number);
        var changed = new List<Ticket>();
        var outcomes = new List<CommitOutcome>();
        foreach (var note in notes)
        {
            var ticket = tickets.GetValueOrDefault(note.Number) ?? throw DomainException.NotFound($"Ticket #{note.Number}");
            if (!changed.Contains(ticket))
            {
                changed.Add(ticket);
            }
            outcomes.Add(await ApplyCommitNoteAsync(db, ticket, note, changed, ct));
        }
        alsoSave(db, outcomes);
        await SaveAsync(db, tx, ct, [.. changed]);
        return outcomes;
    }

    private async Task<CommitOutcome> ApplyCommitNoteAsync(PortalDbContext db, Ticket ticket, CommitNote note, List<Ticket> changed, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (note.Trigger is null)
        {
            ticket.Record(note.AuthorId, now, note.Text, isInternal: true);
            return CommitOutcome.Noted;
        }
        var workflow = catalog.For(ticket.Project!);
        var (outcome, accepted) = Decide(workflow, ticket, note);
        ticket.Record(note.AuthorId, now, accepted is null ? $"{note.Text}\n\nNot applied: {outcome.Text}" : note.Text, isInternal: true);
        if (accepted is not null)
        {
            await ApplyAsync(db, ticket, accepted, note.AuthorId, null, changed, ct);
            await RunFollowUpsAsync(db, ticket, note.AuthorId, changed, ct);
        }
        return outcome;
    }

    private (CommitOutcome Outcome, TransitionAccepted? Accepted) Decide(WorkflowDefinition workflow, Ticket ticket, CommitNote note)
    {
        // A ticket already done is left as it is, unless the workflow has a step for this trigger from there (a reopen).
        var automation = WorkflowEngine.Triggered(workflow, Snapshot(ticket), AutomationTrigger.External, clock.GetUtcNow(), note.Trigger);
        if (automation is null)
        {
            return (new CommitOutcome(false, workflow.FindStatus(ticket.Status)?.Category == StatusCategory.Done
                ? $"#{ticket.Number} is already {ticket.Status}."
                : $"the {workflow.Name} workflow has no {note.Trigger} step from {ticket.Status}."), null);
        }
        var fields = automation.FromCommit
            .Where(f => note.CommitValues.ContainsKey(f.Value))
            .ToDictionary(f => f.Key, f => note.CommitValues[f.Value]);
        return WorkflowEngine.Decide(workflow, Snapshot(ticket), Actor.System, new TransitionInput(automation.Transition, null, fields)) switch
        {
            TransitionAccepted accepted => (new CommitOutcome(true, $"moved to {accepted.ToStatus}"), accepted),
            TransitionRefused refused => (new CommitOutcome(false, refused.Message), null),
            _ => throw new InvalidOperationException("Unknown decision."),
        };
    }
}
