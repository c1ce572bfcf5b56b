using Microsoft.EntityFrameworkCore;
using TicketPortal.Domain.People;
using TicketPortal.Domain.Persistence;
using TicketPortal.Domain.Workflows;

namespace TicketPortal.Domain.Tickets;

/// <summary>Carries out workflow effects and opens tickets; effects that need other records look them up here.</summary>
/// <param name="access">The person acting, whose view limits which tickets an effect may reach; null for the system.</param>
internal sealed class EffectRunner(PortalDbContext db, WorkflowCatalog catalog, TimeProvider clock, Access? access = null)
{
    /// <summary>Opens a ticket with the next global number and applies the workflow's on-create effects.</summary>
    public async Task<Ticket> OpenAsync(
        Project project, string tracker, string title, string description, Priority priority, string reporterId, string authorId,
        List<Ticket> changed, CancellationToken ct)
    {
        var number = Math.Max(await TicketService.NextNumberAsync(db, ct), changed.Select(t => t.Number).DefaultIfEmpty().Max() + 1);
        var workflow = catalog.For(project);
        var ticket = Ticket.Open(number, project, tracker, title, description, priority, reporterId, workflow.StartStatus, clock.GetUtcNow(), authorId);
        db.Tickets.Add(ticket);
        changed.Add(ticket);
        foreach (var effect in workflow.OnCreate.Where(r => r.AppliesTo(ticket.Tracker)).SelectMany(r => r.Effects))
        {
            await RunAsync(ticket, ticket.Journal[0], effect, authorId, changed, ct);
        }
        return ticket;
    }

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
            case EffectKind.AddLabel:
                ticket.AddLabel(entry, effect.Value!);
                break;
            case EffectKind.AddLink:
                await LinkAsync(ticket, entry, effect, changed, ct);
                break;
            case EffectKind.CopyToProject:
                await CopyAsync(ticket, entry, effect, actorId, changed, ct);
                break;
            case EffectKind.ExtendSla:
                ticket.ExtendSla(entry, effect.Target!, double.Parse(ticket.FieldValues[effect.Field!], System.Globalization.CultureInfo.InvariantCulture));
                break;
        }
    }

    /// <summary>Sets the assignee after checking the person may own tickets of this tracker; null unassigns.</summary>
    public async Task SetAssigneeAsync(Ticket ticket, JournalEntry entry, string? userId, CancellationToken ct)
    {
        if (userId is not null)
        {
            await EnsureAssignableAsync(ticket, userId, ct);
        }
        ticket.Assign(entry, userId, await EmailAsync(userId, ct), await EmailAsync(ticket.AssigneeId, ct));
    }

    /// <summary>The user with this e-mail who holds one of the roles in the ticket's project (any staff role when none are given).</summary>
    public async Task<string> MemberAsync(Ticket ticket, string email, IReadOnlyList<string> roles, string what, CancellationToken ct)
    {
        var user = (await Users.ByEmailAsync(db, email.Trim(), ct))?.Id
            ?? throw new DomainException(DomainErrorKind.RequirementMissing, $"{what}: no user with e-mail '{email}'.");
        var held = await db.Memberships.Where(m => m.ProjectId == ticket.ProjectId && m.UserId == user).Select(m => m.Role).ToListAsync(ct);
        var customerRoles = catalog.For(ticket.Project!).CustomerRoles;
        var eligible = roles.Count == 0
            ? held.Any(r => !customerRoles.Contains(r, StringComparer.OrdinalIgnoreCase))
            : held.Any(r => roles.Contains(r, StringComparer.OrdinalIgnoreCase));
        if (!eligible)
        {
            var need = roles.Count == 0 ? "a staff member" : $"one of the roles {string.Join(", ", roles)}";
            throw new DomainException(DomainErrorKind.RequirementMissing, $"{what}: {email} is not {need} in {ticket.Project!.Key}.");
        }
        return user;
    }

    private async Task EnsureAssignableAsync(Ticket ticket, string userId, CancellationToken ct)
    {
        var email = await EmailAsync(userId, ct) ?? userId;
        await MemberAsync(ticket, email, catalog.For(ticket.Project!).AssignableRoles(ticket.Tracker) ?? [], "assignee", ct);
    }

    private async Task AssignAsync(Ticket ticket, JournalEntry entry, EffectDefinition effect, string actorId, CancellationToken ct)
    {
        switch (effect.Assign)
        {
            case AssignTarget.Group:
                var name = effect.Field is null ? effect.Target : ticket.FieldValues.GetValueOrDefault(effect.Field);
                var group = await db.Groups.SingleOrDefaultAsync(g => g.Name == name, ct)
                    ?? throw new DomainException(DomainErrorKind.RequirementMissing, $"group: there is no group '{name}' to assign to.");
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
            case AssignTarget.Field:
                // An optional field left empty assigns nobody new; a required one was checked by the engine.
                var field = catalog.For(ticket.Project!).FindField(effect.Field!)!;
                if (ticket.FieldValues.GetValueOrDefault(field.Name) is { Length: > 0 } email)
                {
                    await SetAssigneeAsync(ticket, entry, await MemberAsync(ticket, email, field.Roles, $"fields.{field.Name}", ct), ct);
                }
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
        if (access is not null && !access.CanSee(other, other.Project!))
        {
            throw DomainException.NotFound($"Ticket #{number}");
        }
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
        if (access is not null && !WorkflowEngine.CanCreate(catalog.For(target), access.ActorIn(target)))
        {
            throw new DomainException(DomainErrorKind.Forbidden, $"You may not create tickets in {target.Key}, so you cannot copy there.");
        }
        var tracker = effect.TrackerMap.GetValueOrDefault(ticket.Tracker) ?? target.FindTracker(ticket.Tracker) ?? target.Trackers[0];
        var author = actorId == Actor.SystemId ? ticket.ReporterId : actorId;
        var copy = await OpenAsync(target, tracker, ticket.Title, ticket.Description, ticket.Priority, author, author, changed, ct);
        var type = effect.LinkType is null ? LinkType.CopiedTo : LinkTypes.Parse(effect.LinkType);
        ticket.AddLink(entry, type, copy.Number);
        copy.AddLink(copy.Journal[0], type.Inverse(), ticket.Number);
    }
}
