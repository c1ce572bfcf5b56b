using TicketPortal;
using TicketPortal.Api;
using TicketPortal.Auth;
using TicketPortal.Components;
using TicketPortal.Jobs;
using TicketPortal.Live;
using TicketPortal.Setup;

if (args is ["mailgate", ..])
{
    return await Mailgate.RunAsync(args[1..], Console.OpenStandardInput(), Console.Error);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddPortalDomain();
builder.AddPortalAuth();
builder.AddPortalApi();
builder.AddPortalLive();
builder.AddPortalJobs();
builder.AddPortalWeb();

var app = builder.Build();
await app.InitializePortalAsync();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();
app.MapPortalApi();
app.MapAccountEndpoints();
app.MapPortalLive();
app.MapPortalWeb();

await app.RunAsync();
return 0;

public partial class Program;
