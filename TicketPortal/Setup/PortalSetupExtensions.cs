using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using TicketPortal.Domain;
using TicketPortal.Domain.Git;
using TicketPortal.Domain.Mail;
using TicketPortal.Domain.Persistence;
using TicketPortal.Domain.Releases;

namespace TicketPortal.Setup;

public static class PortalSetupExtensions
{
    public const string DefaultUrl = "http://localhost:5080";

    /// <summary>Options, data directory and the domain on a SQLite file in it.</summary>
    public static void AddPortalDomain(this WebApplicationBuilder builder)
    {
        // The contract's address unless ASPNETCORE_URLS, --urls or a launch profile names another.
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }
        var options = builder.Configuration.GetSection(PortalOptions.Section).Get<PortalOptions>() ?? new PortalOptions();
        var dataDirectory = Path.GetFullPath(string.IsNullOrWhiteSpace(options.DataDirectory)
            ? Path.Combine(builder.Environment.ContentRootPath, "data")
            : options.DataDirectory);
        Directory.CreateDirectory(dataDirectory);
        builder.Services.Configure<PortalOptions>(builder.Configuration.GetSection(PortalOptions.Section));
        builder.Services.PostConfigure<PortalOptions>(o => o.DataDirectory = dataDirectory);
        // Default Timeout doubles as SQLite's busy timeout: writers wait for each other instead of failing.
        var connectionString = $"Data Source={Path.Combine(dataDirectory, "portal.db")};Default Timeout=30;Pooling=True";
        builder.Services.AddPortalDomain(connectionString, dataDirectory, options.WorkflowDirectory);
        var git = builder.Configuration.GetSection(PortalOptions.Section + ":Git").Get<GitSettings>() ?? new GitSettings();
        git.Repositories = builder.Configuration.GetSection(PortalOptions.Section + ":Repositories").Get<List<ConfiguredRepository>>() ?? [];
        git.FetchDirectory = Path.Combine(dataDirectory, "git");
        git.PortalUrl = options.PublicUrl;
        builder.Services.AddPortalGit(git);
        var publicUrl = options.PublicUrl ?? builder.Configuration[WebHostDefaults.ServerUrlsKey]?.Split(';')[0] ?? DefaultUrl;
        var docs = builder.Configuration.GetSection(PortalOptions.Section + ":Docs").Get<DocsSettings>() ?? new DocsSettings();
        docs.Path = string.IsNullOrWhiteSpace(docs.Path) ? Path.Combine(dataDirectory, "docs") : Path.GetFullPath(docs.Path);
        docs.PortalUrl = publicUrl;
        builder.Services.AddPortalReleases(docs);
        var mail = builder.Configuration.GetSection(PortalOptions.Section + ":Mail").Get<MailSettings>() ?? new MailSettings();
        mail.PickupDirectory = string.IsNullOrWhiteSpace(mail.PickupDirectory) ? Path.Combine(dataDirectory, "mail", "pickup") : Path.GetFullPath(mail.PickupDirectory);
        mail.PortalUrl = publicUrl;
        builder.Services.AddPortalMail(mail);
        builder.Services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(dataDirectory, "keys")));
        builder.Services.AddScoped<DemoData>();
    }

    /// <summary>Applies migrations, switches SQLite to WAL and seeds demo data when asked.</summary>
    public static async Task InitializePortalAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var factory = scope.ServiceProvider.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        await using (var db = await factory.CreateDbContextAsync())
        {
            await db.Database.MigrateAsync();
            if (db.Database.IsSqlite())
            {
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
            }
        }
        await scope.ServiceProvider.GetRequiredService<DemoData>().EnsureAsync();
        await scope.ServiceProvider.GetRequiredService<GitService>().SeedAsync();
    }
}
