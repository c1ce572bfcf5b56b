using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TicketPortal.Domain.People;
using TicketPortal.Domain.Persistence;
using TicketPortal.Domain.Tickets;
using TicketPortal.Domain.Workflows;

namespace TicketPortal.Setup;

/// <summary>The bootstrap admin, and on a fresh database the demo projects, users and tickets listed in the README.</summary>
public sealed class DemoData(
    IDbContextFactory<PortalDbContext> dbFactory,
    UserManager<PortalUser> users,
    WorkflowCatalog catalog,
    TicketService tickets,
    IOptions<PortalOptions> options)
{
    public const string AdminEmail = "admin@ticketportal.local";

    private static readonly (string Key, string Name, string Preset)[] Projects =
    [
        ("CHG", "Change board", "change-board"),
        ("TRI", "IT Digital support", "triage-ownership"),
        ("PRJ", "Project backlog", "triage-ownership"),
        ("QAV", "Product QA", "qa-verify"),
        ("SUP", "Support", "support-gatekeeper"),
        ("INT", "Internal", "support-gatekeeper"),
        ("TMR", "Faculty IT", "timer-review"),
    ];

    private static readonly string[] SupportTrackers = ["Support", "Feature request"];
    private static readonly string[] InternalTrackers = ["Bug", "Task", "Feature"];

    /// <summary>Demo people: e-mail, name, and roles per project key.</summary>
    private static readonly (string Email, string Name, (string Project, string Role)[] Roles)[] People =
    [
        ("itdirector@demo.local", "Ines IT-Director", [("CHG", "it-director")]),
        ("opsdirector@demo.local", "Omar Ops-Director", [("CHG", "operations-director")]),
        ("member@demo.local", "Mia Member", [("CHG", "member"), ("TRI", "member"), ("PRJ", "member"), ("TMR", "member")]),
        ("lead@demo.local", "Lena Lead", [("TRI", "operations-lead"), ("PRJ", "operations-lead")]),
        ("engineer1@demo.local", "Eric Engineer", [("TRI", "engineer"), ("PRJ", "engineer")]),
        ("engineer2@demo.local", "Emma Engineer", [("TRI", "engineer"), ("PRJ", "engineer")]),
        ("support@demo.local", "Sam Support", [("QAV", "support"), ("SUP", "support"), ("INT", "support")]),
        ("developer1@demo.local", "Dana Developer", [("QAV", "developer"), ("INT", "developer")]),
        ("developer2@demo.local", "Dev Developer", [("QAV", "developer"), ("INT", "developer")]),
        ("customer@demo.local", "Carla Customer", [("QAV", "customer"), ("SUP", "customer")]),
        ("gatekeeper@demo.local", "Gus Gatekeeper", [("INT", "gatekeeper")]),
        ("staff1@demo.local", "Stella Staff", [("TMR", "staff")]),
        ("staff2@demo.local", "Stan Staff", [("TMR", "staff")]),
    ];

    public async Task EnsureAsync(CancellationToken ct = default)
    {
        var portal = options.Value;
        if (!string.IsNullOrEmpty(portal.BootstrapAdminToken) || portal.SeedDemoData)
        {
            await EnsureUserAsync(AdminEmail, "Portal Admin", isAdmin: true);
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!portal.SeedDemoData || await db.Projects.AnyAsync(ct))
        {
            return;
        }
        foreach (var (key, name, preset) in Projects)
        {
            var trackers = key switch
            {
                "SUP" => SupportTrackers,
                "INT" => InternalTrackers,
                _ => catalog.Presets[preset].Trackers,
            };
            db.Projects.Add(new Project(key, name, preset, trackers));
        }
        await db.SaveChangesAsync(ct);
        var projectIds = await db.Projects.ToDictionaryAsync(p => p.Key, p => p.Id, ct);
        var ids = new Dictionary<string, string>();
        foreach (var (email, name, roles) in People)
        {
            var user = await EnsureUserAsync(email, name, isAdmin: false);
            ids[email] = user.Id;
            db.Memberships.AddRange(roles.Select(r => new Membership(projectIds[r.Project], user.Id, r.Role)));
        }
        db.Groups.Add(new Group("IT Digital", [ids["engineer1@demo.local"], ids["engineer2@demo.local"]]));
        await db.SaveChangesAsync(ct);
        await SeedTicketsAsync(ids, ct);
    }

    private async Task SeedTicketsAsync(Dictionary<string, string> ids, CancellationToken ct)
    {
        Viewer As(string email) => new(ids[email], IsAdmin: false);
        async Task<int> Create(string email, string project, string tracker, string title, string description) =>
            (await tickets.CreateAsync(new CreateTicket(project, tracker, title, description, null, null), As(email), ct)).Number;
        async Task Move(string email, int number, string transition, string? comment = null, Dictionary<string, string>? fields = null) =>
            await tickets.TransitionAsync(number, new TakeTransition(transition, comment, fields, null), As(email), ct);

        await Create("member@demo.local", "CHG", "Change", "Export the monthly report as PDF", "Finance asks for a **PDF** export next to Excel.");
        var approved = await Create("member@demo.local", "CHG", "Change", "Login page shows the wrong logo", "Since the rebrand the old logo is still shown.");
        await Move("itdirector@demo.local", approved, "approve", null, new() { ["label"] = "bug" });
        var started = await Create("opsdirector@demo.local", "CHG", "Change", "New approval step for purchases", "Purchases above 5,000 need a second approver.");
        await Move("itdirector@demo.local", started, "approve", null, new() { ["label"] = "idea" });
        await Move("itdirector@demo.local", started, "start");

        await Create("member@demo.local", "TRI", "Incident", "VPN drops every hour", "Since Monday the VPN disconnects hourly.");
        var triaged = await Create("member@demo.local", "TRI", "Request", "New laptop for the intern", "Starts on the 1st.");
        await Move("lead@demo.local", triaged, "approve", "Standard hardware request.");

        var defect = await Create("customer@demo.local", "QAV", "Defect", "Totals are off by one cent", "Invoice 2024-118 shows 10.01 instead of 10.00.");
        await Move("support@demo.local", defect, "assign");
        await Create("customer@demo.local", "QAV", "Defect", "Search ignores accents", "Searching for 'cafe' does not find 'café'.");

        await Create("customer@demo.local", "SUP", "Support", "Cannot upload workflow file", "The upload button spins forever.");
        await Create("gatekeeper@demo.local", "INT", "Bug", "Crash when saving an empty workflow", "Steps: open the editor, save without nodes.");

        var request = await Create("member@demo.local", "TMR", "Request", "Course page missing for BIO-101", "Students cannot see the page.");
        await Move("staff1@demo.local", request, "assign-self");
        await Create("member@demo.local", "TMR", "Request", "Printer quota reset", "My quota did not reset this month.");
    }

    private async Task<PortalUser> EnsureUserAsync(string email, string name, bool isAdmin)
    {
        var user = await users.FindByEmailAsync(email);
        if (user is not null)
        {
            return user;
        }
        user = new PortalUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = name, IsAdmin = isAdmin };
        var result = await users.CreateAsync(user, options.Value.DemoPassword);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Could not create demo user {email}: {string.Join(" ", result.Errors.Select(e => e.Description))}");
        }
        return user;
    }
}
