namespace TicketPortal.Domain.Tickets;

/// <summary>Raised after a ticket change is saved.</summary>
public sealed record TicketChanged(int Number, string Project, int ProjectId, string ReporterId, string Status, int Version);

/// <summary>The seam through which saved changes leave the domain (live pages, hub, mail).</summary>
public interface ITicketEvents
{
    void Publish(TicketChanged change);
}
