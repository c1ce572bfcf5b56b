using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using TicketPortal.Domain.Persistence;
using TicketPortal.Domain.Tickets;
using TicketPortal.Domain.Workflows;

namespace TicketPortal.Live;

/// <summary>
/// The one publish step, run after every saved change whatever made it (UI, API, jobs, git, mail):
/// open Blazor pages through the in-process notifier, every other client through the hub,
/// and on the hub only the people who may see the ticket (its project's staff, its reporter, admins) and are connected.
/// </summary>
public sealed class TicketPublisher(
    TicketNotifier notifier,
    IHubContext<TicketHub> hub,
    HubPresence presence,
    IDbContextFactory<PortalDbContext> dbFactory,
    WorkflowCatalog catalog,
    ILogger<TicketPublisher> log) : ITicketEvents
{
    public void Publish(TicketChanged change)
    {
        notifier.Publish(change);
        _ = BroadcastAsync(change);
    }

    private async Task BroadcastAsync(TicketChanged change)
    {
        try
        {
            var recipients = await RecipientsAsync(change);
            var message = new TicketChangedMessage(change.Number, change.Project, change.Status, change.Version);
            await hub.Clients.Users(recipients).SendAsync(TicketHub.TicketChangedMethod, message);
            await hub.Clients.Group(TicketHub.TicketGroup(change.Number)).SendAsync(TicketHub.TicketChangedMethod, message);
        }
        catch (Exception e)
        {
            log.LogError(e, "Could not broadcast the change of ticket #{Number}.", change.Number);
        }
    }

    private async Task<List<string>> RecipientsAsync(TicketChanged change)
    {
        var online = presence.Users();
        if (online.Count == 0)
        {
            return [];
        }
        await using var db = await dbFactory.CreateDbContextAsync();
        var project = await db.Projects.AsNoTracking().SingleAsync(p => p.Id == change.ProjectId);
        var customerRoles = catalog.For(project).CustomerRoles;
        var staff = await db.Memberships
            .Where(m => m.ProjectId == change.ProjectId && !customerRoles.Contains(m.Role) && online.Contains(m.UserId))
            .Select(m => m.UserId)
            .Union(db.Users.Where(u => u.IsAdmin && online.Contains(u.Id)).Select(u => u.Id))
            .ToListAsync();
        if (online.Contains(change.ReporterId) && !staff.Contains(change.ReporterId))
        {
            staff.Add(change.ReporterId);
        }
        return staff;
    }
}
