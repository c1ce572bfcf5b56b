using TicketPortal.Domain.Tickets;

namespace TicketPortal.BenchShared;

/// <summary>Saved changes go nowhere: a benchmark has no live pages or hub to tell.</summary>
internal sealed class NoEvents : ITicketEvents
{
    public void Publish(TicketChanged change)
    {
    }
}
