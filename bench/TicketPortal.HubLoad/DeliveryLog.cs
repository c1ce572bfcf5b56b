using System.Collections.Concurrent;
using System.Diagnostics;

namespace TicketPortal.HubLoad;

/// <summary>The hub message as the contract defines it.</summary>
public sealed record TicketChangedMessage(int Number, string Project, string Status, int Version);

/// <summary>
/// When each client received each change, keyed by (number, version) as the message carries them: a message can arrive
/// before the HTTP response that tells which version the change produced, so receipts are kept until it is claimed.
/// </summary>
public sealed class DeliveryLog(int clients)
{
    private readonly ConcurrentDictionary<(int Number, int Version), Receipts> _receipts = new();
    private int _duplicates;

    public int Duplicates => Volatile.Read(ref _duplicates);

    public int Clients { get; } = clients;

    /// <summary>Called from the hub handler; the timestamp is taken first so bookkeeping does not count as latency.</summary>
    public void Receive(int client, TicketChangedMessage message)
    {
        var at = Stopwatch.GetTimestamp();
        var receipts = _receipts.GetOrAdd((message.Number, message.Version), _ => new Receipts(Clients));
        if (!receipts.Record(client, at))
        {
            Interlocked.Increment(ref _duplicates);
        }
    }

    public Receipts For(int number, int version) => _receipts.GetOrAdd((number, version), _ => new Receipts(Clients));

    /// <summary>Messages for changes this run did not make (a job, or a version the tool never saw).</summary>
    public int Unclaimed(IEnumerable<(int Number, int Version)> claimed)
    {
        var known = claimed.ToHashSet();
        return _receipts.Where(r => !known.Contains(r.Key)).Sum(r => r.Value.Count);
    }

    public sealed class Receipts(int clients)
    {
        private readonly long[] _at = new long[clients];
        private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public Task All => _all.Task;

        /// <summary>Receipt timestamps (Stopwatch ticks) per client; 0 = not received.</summary>
        public IReadOnlyList<long> At => _at;

        public bool Record(int client, long at)
        {
            if (Interlocked.CompareExchange(ref _at[client], at, 0) != 0)
            {
                return false;
            }
            if (Interlocked.Increment(ref _count) == _at.Length)
            {
                _all.TrySetResult();
            }
            return true;
        }
    }
}
