using TicketPortal.Domain;
using TicketPortal.Domain.People;
using TicketPortal.Domain.Mail;
using TicketPortal.Domain.Tickets;
using TicketPortal.Domain.Workflows;
using TicketPortal.Tests.Support;

namespace TicketPortal.Tests.Domain;

/// <summary>Effects no shipped preset uses yet, run through a small workflow of their own.</summary>
public sealed class EffectTests : IAsyncLifetime
{
    private const string Definition = """
        {
          "id": "effects", "name": "Effects", "roles": ["agent"], "trackers": ["Task"],
          "statuses": [ { "name": "Open", "category": "open" }, { "name": "Queued", "category": "open" }, { "name": "Done", "category": "done" } ],
          "fields": [ { "name": "duplicateOf", "label": "Duplicate of" } ],
          "transitions": [
            { "id": "queue", "name": "To the queue", "from": ["Open"], "to": "Queued", "roles": ["agent"],
              "effects": [ { "kind": "assign", "assign": "group", "target": "IT Digital" }, { "kind": "setField", "field": "queued", "value": "yes" } ] },
            { "id": "duplicate", "name": "Duplicate", "from": ["Open"], "to": "Done", "roles": ["agent"], "requires": { "fields": ["duplicateOf"] },
              "effects": [ { "kind": "addLink", "linkType": "duplicates", "field": "duplicateOf" } ] },
            { "id": "to-reporter", "name": "Back to reporter", "from": ["*"], "roles": ["agent"], "effects": [ { "kind": "assign", "assign": "reporter" } ] },
            { "id": "to-nobody", "name": "Unassign", "from": ["*"], "roles": ["agent"], "effects": [ { "kind": "assign", "assign": "none" } ] }
          ]
        }
        """;

    private TestDatabase _db = default!;
    private TicketService _tickets = default!;
    private Viewer _agent = default!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        var catalog = new WorkflowCatalog(new Dictionary<string, WorkflowDefinition> { ["effects"] = WorkflowLoader.Load("effects.json", Definition) });
        _tickets = new TicketService(_db, catalog, _db.Events, _db.Attachments, new TicketMail(_db.Mail, catalog, new MarkdownRenderer()), _db.Clock);
        await _db.AddProjectAsync("EFF", "effects", "Task");
        _agent = await _db.AddUserAsync("agent@test.local", "EFF:agent");
        await using var context = _db.CreateDbContext();
        context.Groups.Add(new Group("IT Digital", [_agent.UserId]));
        await context.SaveChangesAsync();
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private Task<TicketView> CreateAsync(string title) => _tickets.CreateAsync(new CreateTicket("EFF", "Task", title, null, null, null), _agent);

    private Task<TicketView> MoveAsync(int number, string transition, params (string, string)[] fields) =>
        _tickets.TransitionAsync(number, new TakeTransition(transition, null, fields.ToDictionary(f => f.Item1, f => f.Item2), null), _agent);

    [Fact]
    public async Task AssignToGroup_SetsTheGroupAndClearsTheAssignee_AndSetFieldIsJournalled()
    {
        var ticket = await CreateAsync("Printer");
        await MoveAsync(ticket.Number, "to-reporter");

        var queued = await MoveAsync(ticket.Number, "queue");

        Assert.Equal(("IT Digital", null, "yes"), (queued.Group, queued.Assignee, queued.Fields["queued"]));
        Assert.Contains(queued.Journal[^1].Changes, c => c is { Field: "assignee", Old: "agent@test.local", New: null });
    }

    [Fact]
    public async Task AddLink_LinksBothTicketsWithInverseTypes()
    {
        var original = await CreateAsync("Original");
        var copy = await CreateAsync("Same again");

        var done = await MoveAsync(copy.Number, "duplicate", ("duplicateOf", $"#{original.Number}"));

        Assert.Equal(new LinkView("duplicates", original.Number), Assert.Single(done.Links));
        Assert.Equal(new LinkView("duplicated-by", copy.Number), Assert.Single((await _tickets.GetAsync(original.Number, _agent)).Links));
    }

    [Fact]
    public async Task AddLink_ToAMissingTicket_ChangesNothing()
    {
        var ticket = await CreateAsync("Lonely");

        var error = await Assert.ThrowsAsync<DomainException>(() => MoveAsync(ticket.Number, "duplicate", ("duplicateOf", "4242")));

        Assert.Equal(DomainErrorKind.NotFound, error.Kind);
        var after = await _tickets.GetAsync(ticket.Number, _agent);
        Assert.Equal(("Open", 1), (after.Status, after.Version));
    }

    [Fact]
    public async Task AssignReporterThenNone_SetsAndClearsTheAssignee()
    {
        var ticket = await CreateAsync("Round trip");

        var assigned = await MoveAsync(ticket.Number, "to-reporter");
        var cleared = await MoveAsync(ticket.Number, "to-nobody");

        Assert.Equal("agent@test.local", assigned.Assignee?.Email);
        Assert.Null(cleared.Assignee);
    }
}
