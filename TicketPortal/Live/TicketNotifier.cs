using TicketPortal.Domain.Tickets;

namespace TicketPortal.Live;

/// <summary>The in-process publish step: open pages subscribe and are told about every saved change.</summary>
public sealed class TicketNotifier : ITicketEvents
{
    private readonly Lock _gate = new();
    private readonly List<Func<TicketChanged, Task>> _subscribers = [];

    public IDisposable Subscribe(Func<TicketChanged, Task> onChange)
    {
        lock (_gate)
        {
            _subscribers.Add(onChange);
        }
        return new Subscription(this, onChange);
    }

    public void Publish(TicketChanged change)
    {
        Func<TicketChanged, Task>[] subscribers;
        lock (_gate)
        {
            subscribers = [.. _subscribers];
        }
        foreach (var subscriber in subscribers)
        {
            _ = subscriber(change);
        }
    }

    private void Unsubscribe(Func<TicketChanged, Task> onChange)
    {
        lock (_gate)
        {
            _subscribers.Remove(onChange);
        }
    }

    private sealed class Subscription(TicketNotifier owner, Func<TicketChanged, Task> onChange) : IDisposable
    {
        public void Dispose() => owner.Unsubscribe(onChange);
    }
}
