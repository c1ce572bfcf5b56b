using TicketPortal.Domain.Sla;
using TicketPortal.Domain.Workflows;

namespace TicketPortal.Domain.Tickets;

/// <summary>Reads a ticket's SLA clocks off its journal: status history for starts, pauses and resolution, public staff notes for responses.</summary>
public static class TicketSla
{
    public static IReadOnlyList<SlaState> For(Ticket ticket, IReadOnlyList<JournalEntry> journal, WorkflowDefinition workflow, DateTimeOffset now)
    {
        if (workflow.Sla is not { } sla)
        {
            return [];
        }
        var statuses = StatusHistory(ticket, journal, workflow);
        StatusCategory Category(string status) => workflow.FindStatus(status)?.Category ?? StatusCategory.Open;
        var pauses = Intervals(statuses, s => Category(s) == StatusCategory.Waiting);
        var done = Category(ticket.Status) == StatusCategory.Done ? ticket.StatusChangedAt : (DateTimeOffset?)null;
        var answers = journal
            .Where(j => !j.IsInternal && j.Note is not null && j.AuthorId != ticket.ReporterId)
            .Select(j => j.At).Order().ToList();

        var states = new List<SlaState>();
        foreach (var policy in sla.Policies.Where(p => p.AppliesTo(ticket.Tracker, ticket.Priority.ToString())))
        {
            var start = policy.StartsIn is { } category
                ? statuses.Where(s => Category(s.Status) == category).Select(s => (DateTimeOffset?)s.From).FirstOrDefault()
                : ticket.CreatedAt;
            if (start is null)
            {
                continue;
            }
            var since = answers.Where(a => a >= start).Select(a => (DateTimeOffset?)a).ToList();
            var extension = TimeSpan.FromHours(journal.SelectMany(j => j.Changes)
                .Where(c => c.Field == Ticket.SlaExtensionPrefix + policy.Name)
                .Sum(c => double.Parse(c.New!, System.Globalization.CultureInfo.InvariantCulture)));
            var input = policy.Kind switch
            {
                SlaKind.FirstResponse => new SlaInput(start.Value, since.FirstOrDefault() ?? done, pauses, extension),
                SlaKind.UpdateCadence => new SlaInput(since.LastOrDefault() ?? start.Value, done, pauses, extension),
                SlaKind.Resolution => new SlaInput(start.Value, done, pauses, extension),
            };
            states.Add(SlaClock.Compute(policy, sla.Calendar, input, now));
        }
        return states;
    }

    /// <summary>Each status the ticket was in, from when.</summary>
    private static List<(string Status, DateTimeOffset From)> StatusHistory(Ticket ticket, IReadOnlyList<JournalEntry> journal, WorkflowDefinition workflow)
    {
        var changes = journal.OrderBy(j => j.At).ThenBy(j => j.Id)
            .SelectMany(j => j.Changes.Where(c => c.Field == "status").Select(c => (Old: c.Old, New: c.New!, j.At)))
            .ToList();
        var history = new List<(string, DateTimeOffset)> { (changes.FirstOrDefault().Old ?? (changes.Count == 0 ? ticket.Status : workflow.StartStatus), ticket.CreatedAt) };
        history.AddRange(changes.Select(c => (c.New, c.At)));
        return history;
    }

    private static List<Interval> Intervals(List<(string Status, DateTimeOffset From)> history, Func<string, bool> inside)
    {
        var intervals = new List<Interval>();
        for (var i = 0; i < history.Count; i++)
        {
            if (inside(history[i].Status))
            {
                intervals.Add(new Interval(history[i].From, i + 1 < history.Count ? history[i + 1].From : null));
            }
        }
        return intervals;
    }
}
