using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using TicketPortal.BenchShared;
using TicketPortal.Domain.People;
using TicketPortal.Domain.Persistence;
using TicketPortal.Domain.Tickets;
using TicketPortal.Domain.Workflows;

namespace TicketPortal.Bench;

/// <summary>
/// A SQLite file holding one change-board project of 100,000 tickets, built through the domain's migrations, and the
/// context factory and workflow catalog the portal registers for it.
/// </summary>
public sealed class BenchDatabase : IDisposable
{
    public const int TicketCount = 100_000;
    public const string ProjectKey = "CHG";
    public const string ViewerId = "bench-it-director";
    private const int BatchSize = 5_000;
    private const int ReporterCount = 200;

    private static readonly (string Status, int Weight)[] StatusMix =
    [
        ("Ticket", 10), ("Approved", 8), ("In progress", 12), ("Pre-release", 4),
        ("Release ready", 6), ("Complete", 42), ("On hold", 10), ("Rejected", 8),
    ];

    private static readonly string[] Subjects =
    [
        "Upgrade the mail relay", "Rotate the VPN certificates", "Add SSO to the wiki", "Move backups to the new NAS",
        "Patch the ERP database", "Replace the core switch", "Enable MFA for contractors", "Retire the old file server",
    ];

    private static readonly DateTimeOffset Epoch = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly ServiceProvider _services;

    private BenchDatabase(string directory, IReadOnlyDictionary<string, int> countByStatus, TimeSpan seedTime)
    {
        DataDirectory = directory;
        CountByStatus = countByStatus;
        SeedTime = seedTime;
        _services = PortalDatabase.Services(directory).BuildServiceProvider();
        Contexts = _services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        Catalog = _services.GetRequiredService<WorkflowCatalog>();
    }

    public string DataDirectory { get; }
    public IReadOnlyDictionary<string, int> CountByStatus { get; }
    public TimeSpan SeedTime { get; }
    public IDbContextFactory<PortalDbContext> Contexts { get; }
    public WorkflowCatalog Catalog { get; }
    public Viewer Viewer { get; } = new(ViewerId, IsAdmin: false);

    /// <summary>The domain exactly as the host registers it for this data directory, optionally with interceptors to watch the SQL.</summary>
    public ServiceProvider Services(params IInterceptor[] interceptors) => PortalDatabase.Services(DataDirectory, interceptors).BuildServiceProvider();

    public async Task<Access> LoadViewerAccessAsync(CancellationToken ct = default)
    {
        await using var db = await Contexts.CreateDbContextAsync(ct);
        return await Access.LoadAsync(db, Viewer, Catalog, ct);
    }

    public static async Task<BenchDatabase> CreateAsync(CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        var directory = Path.Combine(Path.GetTempPath(), "ticketportal-bench-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        await PortalDatabase.MigrateAsync(directory, ct);
        var seeding = PortalDatabase.Unpooled(directory);
        var (staff, reporters) = await SeedPeopleAsync(seeding, ct);
        var countByStatus = await SeedTicketsAsync(seeding, staff, reporters, ct);
        return new BenchDatabase(directory, countByStatus, clock.Elapsed);
    }

    public void Dispose()
    {
        _services.Dispose();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static async Task<(IReadOnlyList<PortalUser> Staff, IReadOnlyList<string> Reporters)> SeedPeopleAsync(
        DbContextOptions<PortalDbContext> options, CancellationToken ct)
    {
        await using var db = new PortalDbContext(options);
        var project = new Project(ProjectKey, "Change board", "change-board", ["Change"]);
        db.Projects.Add(project);
        var staff = new List<PortalUser>
        {
            User(ViewerId, "director@example.test", "IT Director"),
            User("bench-ops-director", "ops@example.test", "Operations Director"),
        };
        staff.AddRange(Enumerable.Range(1, 6).Select(i => User($"bench-dev-{i}", $"dev{i}@example.test", $"Developer {i}")));
        var reporters = Enumerable.Range(1, ReporterCount).Select(i => User($"bench-user-{i}", $"user{i}@example.test", $"User {i}")).ToList();
        db.Users.AddRange(staff);
        db.Users.AddRange(reporters);
        await db.SaveChangesAsync(ct);

        db.Memberships.Add(new Membership(project.Id, ViewerId, "it-director"));
        db.Memberships.Add(new Membership(project.Id, "bench-ops-director", "operations-director"));
        db.Memberships.AddRange(staff.Skip(2).Concat(reporters).Select(u => new Membership(project.Id, u.Id, "member")));
        await db.SaveChangesAsync(ct);
        return (staff, reporters.Select(r => r.Id).ToList());
    }

    private static async Task<IReadOnlyDictionary<string, int>> SeedTicketsAsync(
        DbContextOptions<PortalDbContext> options, IReadOnlyList<PortalUser> staff, IReadOnlyList<string> reporters, CancellationToken ct)
    {
        await using var db = new PortalDbContext(options);
        await db.Database.OpenConnectionAsync(ct);
        // temp_store=MEMORY keeps SQLite's per-statement journals off disk; without it seeding spends most of its time in pwrite.
        await db.Database.ExecuteSqlRawAsync("PRAGMA cache_size=-262144; PRAGMA synchronous=OFF; PRAGMA temp_store=MEMORY;", ct);
        var project = await db.Projects.AsNoTracking().SingleAsync(p => p.Key == ProjectKey, ct);
        var ticketType = db.Model.FindEntityType(typeof(Ticket))!;
        var entryType = db.Model.FindEntityType(typeof(JournalEntry))!;
        var changeType = entryType.FindNavigation(nameof(JournalEntry.Changes))!.TargetEntityType;
        var ticketKey = ticketType.FindNavigation(nameof(Ticket.Journal))!.ForeignKey.Properties.Single().Name;
        var entryKey = changeType.FindOwnership()!.Properties.Single().Name;

        var connection = (SqliteConnection)db.Database.GetDbConnection();
        using var tickets = new RowWriter(connection, ticketType);
        using var entries = new RowWriter(connection, entryType);
        using var changes = new RowWriter(connection, changeType);

        var random = new Random(20_261_123);
        var totalWeight = StatusMix.Sum(s => s.Weight);
        var countByStatus = StatusMix.ToDictionary(s => s.Status, _ => 0);
        var priorities = Enum.GetValues<Priority>();
        for (var first = 1; first <= TicketCount; first += BatchSize)
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(ct);
            tickets.Transaction = entries.Transaction = changes.Transaction = transaction;
            for (var number = first; number < first + BatchSize && number <= TicketCount; number++)
            {
                var openedAt = Epoch.AddMinutes(random.Next(0, 730 * 24 * 60));
                var ticket = Ticket.Open(number, project, "Change", $"{Subjects[random.Next(Subjects.Length)]} ({number})",
                    "What changes, why, and how to roll it back.", priorities[random.Next(priorities.Length)],
                    reporters[random.Next(reporters.Count)], "Ticket", openedAt);
                var status = PickStatus(random.Next(totalWeight));
                if (status != "Ticket")
                {
                    var assignee = staff[random.Next(2, staff.Count)];
                    var entry = ticket.Record(ViewerId, openedAt.AddMinutes(random.Next(1, 60 * 24 * 60)), null, isInternal: false);
                    ticket.Assign(entry, assignee.Id, assignee.Email, null);
                    ticket.ChangeStatus(entry, status);
                }
                countByStatus[status]++;

                var ticketId = tickets.Insert(ticket);
                foreach (var entry in ticket.Journal)
                {
                    var entryId = entries.Insert(entry, (ticketKey, ticketId));
                    foreach (var change in entry.Changes)
                    {
                        changes.Insert(change, (entryKey, entryId));
                    }
                }
            }
            await transaction.CommitAsync(ct);
        }
        return countByStatus;

        string PickStatus(int roll)
        {
            foreach (var (status, weight) in StatusMix)
            {
                if (roll < weight)
                {
                    return status;
                }
                roll -= weight;
            }
            throw new InvalidOperationException("The status weights do not add up.");
        }
    }

    private static PortalUser User(string id, string email, string name) => new()
    {
        Id = id,
        UserName = email,
        NormalizedUserName = email.ToUpperInvariant(),
        Email = email,
        NormalizedEmail = email.ToUpperInvariant(),
        DisplayName = name,
    };
}
