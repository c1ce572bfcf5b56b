using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using TicketPortal.BenchShared;
using TicketPortal.Domain.Git;
using TicketPortal.Domain.People;
using TicketPortal.Domain.Persistence;
using TicketPortal.Domain.Tickets;
using TicketPortal.Domain.Workflows;

// Git scan against `git log` on the same repository, in the same run:
// a first scan of a long history (half the commits reference tickets) and incremental scans of 100 new commits.
var commits = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
const int Tickets = 1_000;
const int Runs = 5;
var root = Directory.CreateTempSubdirectory("tp-gitbench-").FullName;
try
{
    var repo = Path.Combine(root, "repo");
    Git(root, $"init -q -b main {repo}");
    var mark = Append(repo, 0, commits, parent: null);
    Console.WriteLine($"Repository: {commits:N0} commits on main ({commits / 2:N0} mention one of {Tickets:N0} tickets).");

    var template = Path.Combine(root, "template.db");
    await SeedAsync(template);

    var gitLog = Measure(Runs, () => Git(repo, "log --format=%H%x00%an%x00%ae%x00%at%x00%B main").Length);
    Console.WriteLine($"git log (full messages): median {Median(gitLog):F0} ms of {Runs} ({string.Join(", ", gitLog.Select(t => t.ToString("F0", CultureInfo.InvariantCulture)))})");

    var grammar = new CommitReferenceGrammar(ReferenceKeywords.Default, null, ["QAV"]);
    var walkOnly = Measure(Runs, () => new GitScanner().Scan(WatchedFor(repo), grammar, null).Walked);
    Console.WriteLine($"Walk and parse only (no database): median {Median(walkOnly):F0} ms = {Median(walkOnly) / Median(gitLog):F2}x git log");

    var first = new List<double>();
    GitService? service = null;
    for (var run = 0; run < Runs; run++)
    {
        var db = Path.Combine(root, $"run{run}.db");
        File.Copy(template, db);
        service = await ServiceAsync(db, repo);
        var watch = Stopwatch.StartNew();
        var result = await service.ScanAsync("app");
        first.Add(watch.Elapsed.TotalMilliseconds);
        Console.WriteLine($"  first scan {run + 1}: {watch.Elapsed.TotalMilliseconds:F0} ms, {result.Commits:N0} commits, {result.References:N0} references linked{(result.Error is null ? "" : ", error " + result.Error)}");
    }
    Console.WriteLine($"First scan: median {Median(first):F0} ms = {Median(first) / Median(gitLog):F2}x git log (target: within 3x)");

    var incremental = new List<double>();
    for (var run = 0; run < 10; run++)
    {
        mark = Append(repo, commits + run * 100, 100, parent: "main");
        var watch = Stopwatch.StartNew();
        var result = await service!.ScanAsync("app");
        incremental.Add(watch.Elapsed.TotalMilliseconds);
        Console.WriteLine($"  incremental {run + 1}: {watch.Elapsed.TotalMilliseconds:F1} ms, {result.Commits} commits, {result.References} references noted, {result.Applied} applied{(result.Error is null ? "" : ", error " + result.Error)}");
    }
    var logOfHundred = Measure(Runs, () => Git(repo, "log --format=%H%x00%an%x00%ae%x00%at%x00%B -n 100 main").Length);
    Console.WriteLine($"Incremental scan of 100 new commits: median {Median(incremental):F1} ms, max {incremental.Max():F1} ms (target: under 50 ms); git log -n 100: median {Median(logOfHundred):F1} ms");
    _ = mark;
}
finally
{
    SqliteConnection.ClearAllPools();
    Directory.Delete(root, recursive: true);
}

static WatchedRepository WatchedFor(string repo) => new(new RepositorySettings("app", repo, "main"));

static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

static List<double> Measure(int runs, Func<int> action)
{
    var times = new List<double>();
    for (var i = 0; i < runs; i++)
    {
        var watch = Stopwatch.StartNew();
        action();
        times.Add(watch.Elapsed.TotalMilliseconds);
    }
    return times;
}

static string Git(string directory, string arguments)
{
    using var git = Process.Start(new ProcessStartInfo("git", arguments) { WorkingDirectory = directory, RedirectStandardOutput = true, UseShellExecute = false })!;
    var output = git.StandardOutput.ReadToEnd();
    git.WaitForExit();
    return git.ExitCode == 0 ? output : throw new InvalidOperationException($"git {arguments} failed ({git.ExitCode}).");
}

// Commits written with git fast-import: every other one mentions a ticket, a fifth of those with a closing verb.
static int Append(string repo, int start, int count, string? parent)
{
    var stream = new StringBuilder();
    for (var i = start; i < start + count; i++)
    {
        var message = i % 2 == 1 ? $"Tidy up module {i}\n" : i % 10 == 0 ? $"Fix edge case {i}\n\nFixes #{1 + i / 2 % Tickets}\n" : $"Work on feature {i}\n\nRefs #{1 + i / 2 % Tickets} @1h\n";
        var bytes = Encoding.UTF8.GetByteCount(message);
        stream.Append(CultureInfo.InvariantCulture, $"commit refs/heads/main\ncommitter Dana Developer <dana@example.test> {1_700_000_000 + i} +0000\ndata {bytes}\n{message}");
        if (i == start && parent is not null)
        {
            stream.Append(CultureInfo.InvariantCulture, $"from {parent}^0\n");
        }
        stream.Append('\n');
    }
    using var git = Process.Start(new ProcessStartInfo("git", "fast-import --quiet") { WorkingDirectory = repo, RedirectStandardInput = true, UseShellExecute = false })!;
    git.StandardInput.Write(stream.ToString());
    git.StandardInput.Close();
    git.WaitForExit();
    return git.ExitCode == 0 ? start + count : throw new InvalidOperationException("git fast-import failed.");
}

static async Task SeedAsync(string file)
{
    var factory = new Factory(file);
    await using (var db = factory.CreateDbContext())
    {
        await db.Database.MigrateAsync();
        db.Projects.Add(new Project("QAV", "QA", "qa-verify", ["Defect"]));
        db.Users.Add(new PortalUser { Id = "carla", UserName = "carla@example.test", NormalizedUserName = "CARLA@EXAMPLE.TEST", Email = "carla@example.test", NormalizedEmail = "CARLA@EXAMPLE.TEST" });
        await db.SaveChangesAsync();
        db.Memberships.Add(new Membership(db.Projects.Single().Id, "carla", "customer"));
        await db.SaveChangesAsync();
    }
    var tickets = new TicketService(factory, Catalog, new NoEvents(), new AttachmentStore(Path.GetTempPath()), new TicketPortal.Domain.Mail.TicketMail(new(), Catalog, new TicketPortal.Domain.MarkdownRenderer()), TimeProvider.System);
    for (var i = 0; i < Tickets; i++)
    {
        await tickets.CreateAsync(new CreateTicket("QAV", "Defect", $"Defect {i}", null, null, null), new Viewer("carla", false));
    }
    SqliteConnection.ClearAllPools();
}

static async Task<GitService> ServiceAsync(string file, string repo)
{
    var factory = new Factory(file);
    var settings = new GitSettings();
    var tickets = new TicketService(factory, Catalog, new NoEvents(), new AttachmentStore(Path.GetTempPath()), new TicketPortal.Domain.Mail.TicketMail(new(), Catalog, new TicketPortal.Domain.MarkdownRenderer()), TimeProvider.System);
    var service = new GitService(factory, tickets, new GitScanner(), settings, TimeProvider.System);
    await service.SaveAsync(null, new RepositorySettings("app", repo, "main"), new Viewer("admin", IsAdmin: true));
    return service;
}

internal sealed class Factory(string file) : IDbContextFactory<PortalDbContext>
{
    private readonly DbContextOptions<PortalDbContext> _options = new DbContextOptionsBuilder<PortalDbContext>()
        .UseSqlite($"Data Source={file};Default Timeout=30;Pooling=True", PortalDbContext.Sqlite).Options;

    public PortalDbContext CreateDbContext() => new(_options);
}

internal partial class Program
{
    private static readonly WorkflowCatalog Catalog = new(WorkflowLoader.LoadPresets());
}
