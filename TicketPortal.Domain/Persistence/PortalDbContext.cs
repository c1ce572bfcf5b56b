using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using TicketPortal.Domain.Git;
using TicketPortal.Domain.People;
using TicketPortal.Domain.Tickets;

namespace TicketPortal.Domain.Persistence;

public sealed class PortalDbContext(DbContextOptions<PortalDbContext> options) : IdentityDbContext<PortalUser>(options)
{
    public DbSet<Project> Projects => Set<Project>();
    public DbSet<Membership> Memberships => Set<Membership>();
    public DbSet<Group> Groups => Set<Group>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<Ticket> Tickets => Set<Ticket>();
    public DbSet<JournalEntry> JournalEntries => Set<JournalEntry>();
    public DbSet<Notification> Notifications => Set<Notification>();
    public DbSet<WatchedRepository> Repositories => Set<WatchedRepository>();
    public DbSet<CommitLink> CommitLinks => Set<CommitLink>();
    public DbSet<Releases.Release> Releases => Set<Releases.Release>();
    public DbSet<Mail.OutboxMessage> Outbox => Set<Mail.OutboxMessage>();
    public DbSet<Mail.InboundMessage> Inbound => Set<Mail.InboundMessage>();
    public DbSet<Customer> Customers => Set<Customer>();
    public DbSet<Organisation> Organisations => Set<Organisation>();
    public DbSet<CustomerLink> CustomerLinks => Set<CustomerLink>();

    /// <summary>
    /// How every context talks to SQLite: split queries for owned collections, and a list in <c>Contains</c> sent as one
    /// JSON parameter (json_each) rather than one parameter per element, whose SQL EF Core rebuilds on every execution.
    /// </summary>
    public static void Sqlite(Microsoft.EntityFrameworkCore.Infrastructure.SqliteDbContextOptionsBuilder sqlite) =>
        sqlite.UseQuerySplittingBehavior(QuerySplittingBehavior.SplitQuery).UseParameterizedCollectionMode(ParameterTranslationMode.Parameter);

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(PortalDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite cannot order or compare DateTimeOffset; ticks keep it sortable on every provider.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetTicksConverter>();
    }
}
