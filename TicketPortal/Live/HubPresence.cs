namespace TicketPortal.Live;

/// <summary>
/// Who listens on the hub as themselves, with how many connections: a change is addressed only to people who are
/// there, so with nobody connected publishing costs no query.
/// </summary>
public sealed class HubPresence
{
    private readonly Dictionary<string, int> _connections = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public void Joined(string userId)
    {
        lock (_gate)
        {
            _connections[userId] = _connections.GetValueOrDefault(userId) + 1;
        }
    }

    public void Left(string userId)
    {
        lock (_gate)
        {
            if (_connections.GetValueOrDefault(userId) <= 1)
            {
                _connections.Remove(userId);
            }
            else
            {
                _connections[userId]--;
            }
        }
    }

    /// <summary>The users with at least one open connection, as of now.</summary>
    public IReadOnlyList<string> Users()
    {
        lock (_gate)
        {
            return [.. _connections.Keys];
        }
    }
}
