using Microsoft.EntityFrameworkCore;
using TicketPortal.Domain.People;
using TicketPortal.Domain.Persistence;
using TicketPortal.Domain.Workflows;

namespace TicketPortal.Domain.Tickets;

/// <summary>Carries out the effects of an accepted transition; effects that need other records look them up here.</summary>
internal sealed class EffectRunner(PortalDbContext db, WorkflowCatalog catalog, TimeProvider clock)
{
    public async Task RunAsync(Ticket ticket, JournalEntry entry, EffectDefinition effect, string actorId, List<Ticket> changed, CancellationToken ct)
    {
        switch (effect.Kind)
        {
            case EffectKind.Assign:
                await AssignAsync(ticket, entry, effect, actorId, ct);
                break;
            case EffectKind.AddChecklistItem:
                ticket.AddChecklistItem(entry, effect.Text!);
                break;
            case EffectKind.SetField:
                ticket.SetField(entry, effect.Field!, effect.Value!);
                break;
            case EffectKind.AddLink:
                await LinkAsync(ticket, entry, effect, changed, ct);
                break;
            case EffectKind.CopyToProject:
                await CopyAsync(ticket, entry, effect, actorId, changed, ct);
                break;
        }
    }

    private async Task AssignAsync(Ticket ticket, JournalEntry entry, EffectDefinition effect, string actorId, CancellationToken ct)
    {
        switch (effect.Assign)
        {
            case AssignTarget.Group:
                var group = await db.Groups.SingleOrDefaultAsync(g => g.Name == effect.Target, ct)
                    ?? throw new DomainException(DomainErrorKind.Conflict, $"There is no group '{effect.Target}' to assign to.");
                ticket.AssignGroup(entry, group.Id, group.Name, await GroupNameAsync(ticket.GroupId, ct));
                await SetAssigneeAsync(ticket, entry, null, ct);
                break;
            case AssignTarget.Role:
                var holder = await db.Memberships
                    .Where(m => m.ProjectId == ticket.ProjectId && m.Role == effect.Target)
                    .OrderBy(m => m.User!.Email).Select(m => m.UserId).FirstOrDefaultAsync(ct)
                    ?? throw new DomainException(DomainErrorKind.Conflict, $"No member of the project holds the role '{effect.Target}' to assign to.");
                await SetAssigneeAsync(ticket, entry, holder, ct);
                break;
            case AssignTarget.Self:
                await SetAssigneeAsync(ticket, entry, actorId == Actor.SystemId ? null : actorId, ct);
                break;
            case AssignTarget.Reporter:
                await SetAssigneeAsync(ticket, entry, ticket.ReporterId, ct);
                break;
            case AssignTarget.None:
            case null:
                await SetAssigneeAsync(ticket, entry, null, ct);
                break;
        }
    }

    private async Task SetAssigneeAsync(Ticket ticket, JournalEntry entry, string? userId, CancellationToken ct) =>
        ticket.Assign(entry, userId, await EmailAsync(userId, ct), await EmailAsync(ticket.AssigneeId, ct));

    private async Task<string?> EmailAsync(string? userId, CancellationToken ct) =>
        userId is null ? null : await db.Users.Where(u => u.Id == userId).Select(u => u.Email).SingleOrDefaultAsync(ct);

    private async Task<string?> GroupNameAsync(int? groupId, CancellationToken ct) =>
        groupId is null ? null : await db.Groups.Where(g => g.Id == groupId).Select(g => g.Name).SingleOrDefaultAsync(ct);

    private async Task LinkAsync(Ticket ticket, JournalEntry entry, EffectDefinition effect, List<Ticket> changed, CancellationToken ct)
    {
        var raw = ticket.FieldValues.GetValueOrDefault(effect.Field!)?.TrimStart('#');
        if (!int.TryParse(raw, out var number))
        {
            throw DomainException.Invalid($"fields.{effect.Field}: '{raw}' is not a ticket number.");
        }
        var other = changed.FirstOrDefault(t => t.Number == number) ?? await TicketService.LoadAsync(db, number, ct);
        var type = LinkTypes.Parse(effect.LinkType!);
        ticket.AddLink(entry, type, other.Number);
        other.AddLink(other.Record(entry.AuthorId, entry.At, null, isInternal: false), type.Inverse(), ticket.Number);
        if (!changed.Contains(other))
        {
            changed.Add(other);
        }
    }

    private async Task CopyAsync(Ticket ticket, JournalEntry entry, EffectDefinition effect, string actorId, List<Ticket> changed, CancellationToken ct)
    {
        var target = await TicketService.FindProjectAsync(db, effect.Project!, ct);
        var tracker = effect.TrackerMap.GetValueOrDefault(ticket.Tracker) ?? target.FindTracker(ticket.Tracker) ?? target.Trackers[0];
        var number = Math.Max(await TicketService.NextNumberAsync(db, ct), changed.Max(t => t.Number) + 1);
        var author = actorId == Actor.SystemId ? ticket.ReporterId : actorId;
        var copy = Ticket.Open(number, target, tracker, ticket.Title, ticket.Description, ticket.Priority, author,
            catalog.For(target).StartStatus, clock.GetUtcNow());
        db.Tickets.Add(copy);
        changed.Add(copy);
        var type = effect.LinkType is null ? LinkType.CopiedTo : LinkTypes.Parse(effect.LinkType);
        ticket.AddLink(entry, type, number);
        copy.AddLink(copy.Journal[0], type.Inverse(), ticket.Number);
    }
}
