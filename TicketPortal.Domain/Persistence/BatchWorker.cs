using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace TicketPortal.Domain.Persistence;

/// <summary>
/// One worker for items that many callers hand in at once: it takes whatever is waiting, up to a limit, and handles it in
/// one call, batch after batch while items wait; then it stops until the next item arrives. There is never more than
/// one batch in hand, so the handler needs no lock of its own.
/// </summary>
internal sealed class BatchWorker<T>(Func<List<T>, Task> handle, int limit, ILogger log)
{
    private readonly ConcurrentQueue<T> _waiting = new();

    /// <summary>1 while the worker runs; there is at most one.</summary>
    private int _running;

    /// <summary>Queues the item, starting the worker if it is not running.</summary>
    public void Add(T item)
    {
        _waiting.Enqueue(item);
        if (Interlocked.CompareExchange(ref _running, 1, 0) == 0)
        {
            _ = Task.Run(RunAsync);
        }
    }

    private async Task RunAsync()
    {
        do
        {
            while (!_waiting.IsEmpty)
            {
                var batch = new List<T>();
                while (batch.Count < limit && _waiting.TryDequeue(out var next))
                {
                    batch.Add(next);
                }
                try
                {
                    await handle(batch);
                }
                catch (Exception e)
                {
                    // The handler answers its callers itself; the worker must outlive whatever went wrong after that.
                    log.LogError(e, "A batch of {Count} failed after its callers were answered.", batch.Count);
                }
            }
            Volatile.Write(ref _running, 0);
        }
        // An item queued between the last look and clearing the flag found the worker running: it is this worker's.
        while (!_waiting.IsEmpty && Interlocked.CompareExchange(ref _running, 1, 0) == 0);
    }
}
