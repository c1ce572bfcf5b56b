using System.Security.Claims;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using TicketPortal.Auth;
using TicketPortal.Domain;
using TicketPortal.Domain.People;
using TicketPortal.Domain.Tickets;
using TicketPortal.Live;
using TicketPortal.Tests.Support;

namespace TicketPortal.Tests.Components;

/// <summary>The one bUnit base: MudBlazor services, the portal's services over a real SQLite file, and a signed-in user.</summary>
public abstract class PortalComponentContext : BunitContext, IAsyncLifetime
{
    protected TestDatabase Database { get; private set; } = default!;
    protected TicketNotifier Notifier { get; } = new();

    protected TicketService Tickets => new(Database, TestDatabase.Catalog, Notifier, Database.Attachments, Database.TicketMail, Database.Clock);

    public virtual async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync();
        // MudBlazor calls into its own JavaScript for focus, popovers and scrolling; none of it is what these tests check.
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddSingleton(Notifier);
        Services.AddSingleton<TimeProvider>(Database.Clock);
        Services.AddSingleton(_ => Tickets);
        Services.AddSingleton(new ProjectService(Database, TestDatabase.Catalog));
        Services.AddSingleton(new QueueService(Database, TestDatabase.Catalog, Database.Clock));
        Services.AddSingleton(new TicketPortal.Domain.Git.GitService(
            Database, Tickets, new TicketPortal.Domain.Git.GitScanner(), new TicketPortal.Domain.Git.GitSettings(), Database.Clock));
        Services.AddSingleton<MarkdownRenderer>();
        Services.AddSingleton(Database.Mail);
        Services.AddSingleton(new TicketPortal.Domain.People.CustomerLinkService(Database, TestDatabase.Catalog, Database.TicketMail, Database.Clock));
        Services.AddScoped<TicketPortal.Components.Pages.Tickets.TransitionDialogLauncher>();
    }

    protected void SignIn(Viewer viewer, string email) =>
        AddAuthorization().SetAuthorized(email).SetClaims(
            new Claim(ClaimTypes.NameIdentifier, viewer.UserId),
            new Claim(PortalClaims.Admin, viewer.IsAdmin ? "true" : "false"));

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await Database.DisposeAsync();
    }
}
