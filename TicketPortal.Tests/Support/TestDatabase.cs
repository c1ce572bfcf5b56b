using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using TicketPortal.Domain;
using TicketPortal.Domain.Mail;
using TicketPortal.Domain.People;
using TicketPortal.Domain.Persistence;
using TicketPortal.Domain.Tickets;
using TicketPortal.Domain.Workflows;

namespace TicketPortal.Tests.Support;

/// <summary>A real SQLite file with migrations applied, the shipped presets, and helpers to add projects and people.</summary>
public sealed class TestDatabase : IDbContextFactory<PortalDbContext>, IAsyncDisposable
{
    private readonly string _directory;
    private readonly DbContextOptions<PortalDbContext> _options;

    private TestDatabase(string directory)
    {
        _directory = directory;
        _options = new DbContextOptionsBuilder<PortalDbContext>()
            .UseSqlite($"Data Source={Path.Combine(directory, "portal.db")};Default Timeout=30;Pooling=False",
                PortalDbContext.Sqlite)
            .Options;
    }

    public static WorkflowCatalog Catalog { get; } = new(WorkflowLoader.LoadPresets());

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero));

    public RecordingEvents Events { get; } = new();

    public string AttachmentDirectory => Path.Combine(_directory, "attachments");

    public AttachmentStore Attachments => new(AttachmentDirectory);

    public MailSettings Mail { get; } = new();

    public TicketMail TicketMail => new(Mail, Catalog, new MarkdownRenderer());

    public TicketService Tickets => new(this, Catalog, Events, Attachments, TicketMail, Clock);

    public static async Task<TestDatabase> CreateAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "ticketportal-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var database = new TestDatabase(directory);
        await using var db = database.CreateDbContext();
        await db.Database.MigrateAsync();
        return database;
    }

    public PortalDbContext CreateDbContext() => new(_options);

    /// <summary>Contexts on the same file whose database calls pass through <paramref name="interceptor"/>, e.g. one that makes commits fail.</summary>
    public IDbContextFactory<PortalDbContext> Intercepted(IInterceptor interceptor) =>
        new InterceptedFactory(new DbContextOptionsBuilder<PortalDbContext>(_options).AddInterceptors(interceptor).Options);

    public async Task<Project> AddProjectAsync(string key, string preset, params string[] trackers)
    {
        await using var db = CreateDbContext();
        var project = new Project(key, $"{key} project", preset, trackers.Length > 0 ? trackers : Catalog.Presets[preset].Trackers);
        db.Projects.Add(project);
        await db.SaveChangesAsync();
        return project;
    }

    /// <summary>Adds a person with roles given as "KEY:role"; returns the viewer acting as them.</summary>
    public async Task<Viewer> AddUserAsync(string email, params string[] roles)
    {
        await using var db = CreateDbContext();
        var user = new PortalUser
        {
            UserName = email, NormalizedUserName = email.ToUpperInvariant(), Email = email, NormalizedEmail = email.ToUpperInvariant(),
            DisplayName = email.Split('@')[0],
        };
        db.Users.Add(user);
        foreach (var role in roles)
        {
            var (key, name) = (role.Split(':')[0], role.Split(':')[1]);
            var projectId = await db.Projects.Where(p => p.Key == key).Select(p => p.Id).SingleAsync();
            db.Memberships.Add(new Membership(projectId, user.Id, name));
        }
        await db.SaveChangesAsync();
        return new Viewer(user.Id, IsAdmin: false);
    }

    public async ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on some platform: the temp folder is cleaned by the OS.
        }
        await Task.CompletedTask;
    }
}

internal sealed class InterceptedFactory(DbContextOptions<PortalDbContext> options) : IDbContextFactory<PortalDbContext>
{
    public PortalDbContext CreateDbContext() => new(options);
}

public sealed class RecordingEvents : ITicketEvents
{
    private readonly List<TicketChanged> _changes = [];

    public IReadOnlyList<TicketChanged> Changes
    {
        get
        {
            lock (_changes)
            {
                return [.. _changes];
            }
        }
    }

    public void Publish(TicketChanged change)
    {
        lock (_changes)
        {
            _changes.Add(change);
        }
    }
}
