using Microsoft.EntityFrameworkCore;
using MimeKit;
using TicketPortal.Domain.Persistence;
using TicketPortal.Domain.Tickets;
using TicketPortal.Domain.Workflows;

namespace TicketPortal.Domain.People;

/// <summary>A customer record as staff see it.</summary>
public sealed record CustomerView(string Email, string Name, string? Organisation, int Tickets, DateTimeOffset CreatedAt);

/// <summary>The customer records (CRM): who wrote in, from which organisation, with how many tickets.</summary>
public sealed class CustomerService(IDbContextFactory<PortalDbContext> dbFactory, WorkflowCatalog catalog)
{
    /// <summary>Every customer record, newest first; for staff of any project and admins.</summary>
    public async Task<IReadOnlyList<CustomerView>> ListAsync(Viewer viewer, string? q, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var access = await Access.LoadAsync(db, viewer, catalog, ct);
        if (!(await db.Projects.AsNoTracking().ToListAsync(ct)).Any(access.IsStaffIn))
        {
            throw new DomainException(DomainErrorKind.Forbidden, "Only staff may see the customer records.");
        }
        var customers = db.Customers.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(q))
        {
            var text = q.Trim().ToUpperInvariant();
            customers = customers.Where(c => c.User!.NormalizedEmail!.Contains(text) || c.User.DisplayName.ToUpper().Contains(text)
                || (c.Organisation != null && c.Organisation.Name.ToUpper().Contains(text)));
        }
        return await customers.OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id)
            .Select(c => new CustomerView(c.User!.Email ?? "", c.User.DisplayName, c.Organisation == null ? null : c.Organisation.Name,
                db.Tickets.Count(t => t.ReporterId == c.UserId), c.CreatedAt))
            .ToListAsync(ct);
    }

    /// <summary>
    /// The person a mail comes from: a known user is matched by address; an unknown sender becomes a user without a
    /// password and a customer record, with their organisation by mail domain. A non-staff sender gets the project's
    /// customer role if they have no role there yet.
    /// </summary>
    internal async Task<PortalUser> ResolveAsync(PortalDbContext db, MailboxAddress from, Project project, DateTimeOffset now, CancellationToken ct)
    {
        var email = from.Address.Trim();
        var normalized = email.ToUpperInvariant();
        var customerRoles = catalog.For(project).CustomerRoles;
        // One query for a known sender: the mail intake files messages one after another, so every statement counts.
        var known = await KnownSenderQuery.For(db, customerRoles)(db, normalized, project.Id, ct);
        if (known is { IsStaff: true })
        {
            return known.User;
        }
        var user = known?.User;
        if (user is null)
        {
            user = new PortalUser
            {
                UserName = email, NormalizedUserName = normalized, Email = email, NormalizedEmail = normalized,
                DisplayName = string.IsNullOrWhiteSpace(from.Name) ? email[..email.IndexOf('@')] : from.Name.Trim(),
                SecurityStamp = Guid.NewGuid().ToString("N"),
            };
            db.Users.Add(user);
        }
        if (known is not { IsMember: true } && customerRoles.Count > 0)
        {
            db.Memberships.Add(new Membership(project.Id, user.Id, customerRoles[0]));
        }
        if (known is not { IsCustomer: true })
        {
            db.Customers.Add(new Customer(user, await OrganisationAsync(db, email, ct), now));
        }
        return user;
    }

    /// <summary>A user with the sender's address, and what they are in the project: one query, compiled per workflow's customer roles.</summary>
    private static readonly CompiledQuery<IReadOnlyList<string>, Func<PortalDbContext, string, int, CancellationToken, Task<KnownSender?>>> KnownSenderQuery =
        new(customerRoles =>
        {
            var staffRole = Access.StaffRole(customerRoles);
            return EF.CompileAsyncQuery((PortalDbContext db, string normalized, int projectId, CancellationToken ct) =>
                db.Users.Where(u => u.NormalizedEmail == normalized)
                    .Select(u => new KnownSender(
                        u,
                        db.Memberships.Where(staffRole).Any(m => m.UserId == u.Id && m.ProjectId == projectId),
                        db.Memberships.Any(m => m.UserId == u.Id && m.ProjectId == projectId),
                        db.Customers.Any(c => c.UserId == u.Id)))
                    .SingleOrDefault());
        });

    private sealed record KnownSender(PortalUser User, bool IsStaff, bool IsMember, bool IsCustomer);

    private static async Task<Organisation?> OrganisationAsync(PortalDbContext db, string email, CancellationToken ct)
    {
        if (Organisation.DomainOf(email) is not { } domain)
        {
            return null;
        }
        var organisation = await db.Organisations.SingleOrDefaultAsync(o => o.Domain == domain, ct);
        if (organisation is null)
        {
            organisation = new Organisation(domain);
            db.Organisations.Add(organisation);
        }
        return organisation;
    }
}
