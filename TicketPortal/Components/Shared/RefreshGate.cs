namespace TicketPortal.Components.Shared;

/// <summary>
/// Collapses a burst of change events (a release publishing 1,000 tickets, a bulk step) into at most one more reload:
/// while a reload runs, further requests only ask for one more after it. Requests come through the component's
/// dispatcher (<c>InvokeAsync</c>), so one at a time touches the flags.
/// </summary>
public sealed class RefreshGate(Func<Task> reload)
{
    private bool _running;
    private bool _again;

    public async Task RequestAsync()
    {
        if (_running)
        {
            _again = true;
            return;
        }
        _running = true;
        try
        {
            do
            {
                _again = false;
                await reload();
            }
            while (_again);
        }
        finally
        {
            _running = false;
        }
    }
}
