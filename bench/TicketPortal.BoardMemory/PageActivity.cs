namespace TicketPortal.BoardMemory;

/// <summary>What every open page must show after a move: an element that appears or goes.</summary>
public sealed record Expectation(string Selector, bool Visible, string Description);

/// <summary>The ticket moves that make the open pages refresh during the activity, and what each page then shows.</summary>
public interface IPageActivity
{
    /// <summary>Tickets created before the baseline so the page carries a realistic number of cards.</summary>
    Task PrepareAsync(int count, CancellationToken ct);

    /// <summary>The next move; <paramref name="step"/> counts from 0.</summary>
    Task<Expectation> MoveAsync(int step, CancellationToken ct);
}

/// <summary>A project board: Request tickets taken by the signed-in user, moved In progress ⇄ Waiting on others.</summary>
public sealed class BoardActivity(PortalApi user, string project) : IPageActivity
{
    private readonly List<int> _movers = [];
    private readonly HashSet<int> _waiting = [];

    public async Task PrepareAsync(int count, CancellationToken ct)
    {
        for (var i = 1; i <= count; i++)
        {
            var number = await user.CreateTicketAsync(project, "Request", $"Board memory card {i}", ct);
            if (i % 2 == 1)
            {
                await user.TransitionAsync(number, "assign-self", null, ct);
                _movers.Add(number);
            }
        }
    }

    /// <summary>Each taken ticket in turn, each time to the other status.</summary>
    public async Task<Expectation> MoveAsync(int step, CancellationToken ct)
    {
        var number = _movers[step % _movers.Count];
        var status = _waiting.Remove(number)
            ? await user.TransitionAsync(number, "resume", null, ct)
            : await user.TransitionAsync(number, "wait", "Waiting on the vendor (board memory bench).", ct);
        if (status == "Waiting on others")
        {
            _waiting.Add(number);
        }
        return new Expectation($"[data-column=\"{status}\"] [data-testid=card-{number}]", true, $"#{number} in {status}");
    }
}

/// <summary>
/// A group's queue (triage-ownership, TRI): incidents reported by a member and approved by the lead land unassigned in
/// the IT Digital queue; the signed-in engineer takes one (it leaves the queue) and hands it back (it returns).
/// </summary>
public sealed class QueueActivity(PortalApi engineer, PortalApi reporter, PortalApi lead) : IPageActivity
{
    private readonly List<int> _movers = [];

    public async Task PrepareAsync(int count, CancellationToken ct)
    {
        for (var i = 1; i <= count; i++)
        {
            var number = await reporter.CreateTicketAsync("TRI", "Incident", $"Queue memory incident {i}", ct);
            await lead.TransitionAsync(number, "approve", "Approved for the queue (queue memory bench).", ct);
            _movers.Add(number);
        }
    }

    /// <summary>One ticket at a time, so the engineer stays within the WIP limit: taken on an even step, handed back on the next.</summary>
    public async Task<Expectation> MoveAsync(int step, CancellationToken ct)
    {
        var number = _movers[step / 2 % _movers.Count];
        var card = $"[data-testid=unassigned] [data-testid=card-{number}]";
        if (step % 2 == 1)
        {
            await engineer.TransitionAsync(number, "hand-back", null, ct);
            return new Expectation(card, true, $"#{number} back in the queue");
        }
        await engineer.TransitionAsync(number, "take-ownership", null, ct);
        return new Expectation(card, false, $"#{number} taken from the queue");
    }
}
