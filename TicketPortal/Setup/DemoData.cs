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

    /// <summary>Every step checks what is there first, so a start killed half-way is completed by the next one.</summary>
    public async Task EnsureAsync(CancellationToken ct = default)
    {
        var portal = options.Value;
        if (!string.IsNullOrEmpty(portal.BootstrapAdminToken) || portal.SeedDemoData)
        {
            // Without demo data the admin has no password: only the bootstrap token acts as them.
            await EnsureUserAsync(AdminEmail, "Portal Admin", isAdmin: true, portal.SeedDemoData ? portal.DemoPassword : null);
        }
        if (!portal.SeedDemoData)
        {
            return;
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var existing = await db.Projects.Select(p => p.Key).ToListAsync(ct);
        foreach (var (key, name, preset) in Projects.Where(p => !existing.Contains(p.Key)))
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
            var user = await EnsureUserAsync(email, name, isAdmin: false, portal.DemoPassword);
            ids[email] = user.Id;
            var held = await db.Memberships.Where(m => m.UserId == user.Id).Select(m => new { m.ProjectId, m.Role }).ToListAsync(ct);
            db.Memberships.AddRange(roles
                .Where(r => !held.Any(h => h.ProjectId == projectIds[r.Project] && h.Role == r.Role))
                .Select(r => new Membership(projectIds[r.Project], user.Id, r.Role)));
        }
        if (!await db.Groups.AnyAsync(g => g.Name == "IT Digital", ct))
        {
            db.Groups.Add(new Group("IT Digital", [ids["engineer1@demo.local"], ids["engineer2@demo.local"]]));
        }
        await db.SaveChangesAsync(ct);
        var withTickets = await db.Tickets.Select(t => t.Project!.Key).Distinct().ToListAsync(ct);
        await SeedTicketsAsync(ids, withTickets, ct);
    }

    /// <summary>Demo tickets per project, for the projects that have none yet.</summary>
    private async Task SeedTicketsAsync(Dictionary<string, string> ids, List<string> withTickets, CancellationToken ct)
    {
        Viewer As(string email) => new(ids[email], IsAdmin: false);
        async Task<int> Create(string email, string project, string tracker, string title, string description) =>
            (await tickets.CreateAsync(new CreateTicket(project, tracker, title, description, null, null), As(email), ct)).Number;
        async Task Move(string email, int number, string transition, string? comment = null, Dictionary<string, string>? fields = null) =>
            await tickets.TransitionAsync(number, new TakeTransition(transition, comment, fields, null), As(email), ct);
        bool Needs(string project) => !withTickets.Contains(project);

        // A change finished and ready for the next release; a UX change goes through the user guide update first.
        async Task ReleaseReady(string title, string label, string note, bool ux)
        {
            var number = await Create("member@demo.local", "CHG", "Change", title, "Requested at the change board.");
            await Move("itdirector@demo.local", number, "approve", null, new() { ["label"] = label });
            await Move("itdirector@demo.local", number, "start");
            var finished = await tickets.TransitionAsync(number, new TakeTransition("finish", null,
                new Dictionary<string, string> { ["releaseNote"] = note, ["uxChange"] = ux ? "true" : "false" }, null), As("itdirector@demo.local"), ct);
            foreach (var item in finished.Checklist)
            {
                await tickets.TickChecklistAsync(number, item.Id, true, null, As("opsdirector@demo.local"), ct);
            }
        }

        if (Needs("CHG"))
        {
            await Create("member@demo.local", "CHG", "Change", "Export the monthly report as PDF", "Finance asks for a **PDF** export next to Excel.");
            var approved = await Create("member@demo.local", "CHG", "Change", "Login page shows the wrong logo", "Since the rebrand the old logo is still shown.");
            await Move("itdirector@demo.local", approved, "approve", null, new() { ["label"] = "bug" });
            var started = await Create("opsdirector@demo.local", "CHG", "Change", "New approval step for purchases", "Purchases above 5,000 need a second approver.");
            await Move("itdirector@demo.local", started, "approve", null, new() { ["label"] = "idea" });
            await Move("itdirector@demo.local", started, "start");
            await ReleaseReady("Show the cost centre on every invoice line", "idea", "Invoice lines show their cost centre.", ux: false);
            await ReleaseReady("VAT total off by a cent on long invoices", "bug", "The VAT total is rounded per line, as the auditors ask.", ux: false);
            await ReleaseReady("Simpler purchase request form", "idea", "The purchase request form asks for the supplier first and fills in the rest.", ux: true);
        }
        if (Needs("TRI"))
        {
            await Create("member@demo.local", "TRI", "Incident", "VPN drops every hour", "Since Monday the VPN disconnects hourly.");
            var triaged = await Create("member@demo.local", "TRI", "Request", "New laptop for the intern", "Starts on the 1st.");
            await Move("lead@demo.local", triaged, "approve", "Standard hardware request.");
        }
        if (Needs("QAV"))
        {
            var defect = await Create("customer@demo.local", "QAV", "Defect", "Totals are off by one cent", "Invoice 2024-118 shows 10.01 instead of 10.00.");
            await Move("support@demo.local", defect, "assign");
            await Create("customer@demo.local", "QAV", "Defect", "Search ignores accents", "Searching for 'cafe' does not find 'café'.");
        }
        if (Needs("SUP"))
        {
            await Create("customer@demo.local", "SUP", "Support", "Cannot upload workflow file", "The upload button spins forever.");
        }
        if (Needs("INT"))
        {
            await Create("gatekeeper@demo.local", "INT", "Bug", "Crash when saving an empty workflow", "Steps: open the editor, save without nodes.");
        }
        if (Needs("TMR"))
        {
            var request = await Create("member@demo.local", "TMR", "Request", "Course page missing for BIO-101", "Students cannot see the page.");
            await Move("staff1@demo.local", request, "assign-self");
            await Create("member@demo.local", "TMR", "Request", "Printer quota reset", "My quota did not reset this month.");
        }
    }

    private async Task<PortalUser> EnsureUserAsync(string email, string name, bool isAdmin, string? password)
    {
        var user = await users.FindByEmailAsync(email);
        if (user is not null)
        {
            return user;
        }
        user = new PortalUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = name, IsAdmin = isAdmin };
        var result = password is null ? await users.CreateAsync(user) : await users.CreateAsync(user, password);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Could not create demo user {email}: {string.Join(" ", result.Errors.Select(e => e.Description))}");
        }
        return user;
    }
}
