using Microsoft.EntityFrameworkCore;
using TicketPortal.Domain.People;
using TicketPortal.Domain.Tickets;
using TicketPortal.Tests.Support;

namespace TicketPortal.Tests.Domain;

/// <summary>Later changes to a loaded ticket tell its customer by mail: public ones do, internal ones and their own do not.</summary>
public sealed class TicketUpdateMailTests : IAsyncLifetime
{
    private TestDatabase _database = default!;
    private Viewer _staff = default!;
    private Viewer _customer = default!;
    private int _number;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        await _database.AddProjectAsync("SUP", "support-gatekeeper");
        _staff = await _database.AddUserAsync("staff@test.local", "SUP:support");
        _customer = await _database.AddUserAsync("customer@test.local", "SUP:customer");
        _number = (await _database.Tickets.CreateAsync(new CreateTicket("SUP", "Support", "Cannot log in", null, null, null), _customer)).Number;
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private async Task<List<string>> MailTextsAsync()
    {
        await using var db = _database.CreateDbContext();
        return await db.Outbox.OrderBy(m => m.Id).Select(m => m.Body!.Text).ToListAsync();
    }

    [Fact]
    public async Task APublicAnswerAndAStep_EachQueueAMailToTheCustomer()
    {
        await _database.Tickets.AddNoteAsync(_number, "Please clear your cookies.", isInternal: false, null, _staff);
        await _database.Tickets.TransitionAsync(_number, new TakeTransition("accept", null, new Dictionary<string, string>(), null), _staff);

        var texts = await MailTextsAsync();

        Assert.Equal(3, texts.Count);
        Assert.Contains("Please clear your cookies.", texts[1]);
        Assert.Contains("Status: New → Accepted", texts[2]);
    }

    [Fact]
    public async Task AnInternalNote_AndTheCustomersOwnNote_QueueNoMail()
    {
        await _database.Tickets.AddNoteAsync(_number, "Their account is locked.", isInternal: true, null, _staff);
        await _database.Tickets.AddNoteAsync(_number, "Any news?", isInternal: false, null, _customer);

        var texts = await MailTextsAsync();

        Assert.Single(texts);
    }
}
