using Microsoft.AspNetCore.Http.HttpResults;
using TicketPortal.Auth;
using TicketPortal.Domain;
using TicketPortal.Domain.Mail;
using TicketPortal.Domain.People;

namespace TicketPortal.Api;

/// <summary>Mail in (for an MTA, the mailgate, scripts), the quarantine, the customer records and customer links.</summary>
public static class MailApi
{
    public static void MapMailApi(this IEndpointRouteBuilder api)
    {
        var mail = api.MapGroup("/mail").WithTags("Mail").RequireAuthorization(AuthExtensions.AdminPolicy);
        mail.MapPost("/inbound", ReceiveAsync);
        mail.MapGet("/quarantine", async Task<Ok<IReadOnlyList<QuarantinedView>>> (MailIntake intake, HttpContext http, CancellationToken ct) =>
            TypedResults.Ok(await intake.QuarantineAsync(http.User.ToViewer(), ct)));
        mail.MapGet("/quarantine/{id:int}/raw", async Task<FileContentHttpResult> (int id, MailIntake intake, HttpContext http, CancellationToken ct) =>
            TypedResults.File(await intake.RawAsync(id, http.User.ToViewer(), ct), "message/rfc822", $"message-{id}.eml"));
        mail.MapPost("/quarantine/{id:int}/reprocess", async Task<Ok<InboundReceipt>> (int id, string? project, MailIntake intake, HttpContext http, CancellationToken ct) =>
            TypedResults.Ok(await intake.ReprocessAsync(id, project, http.User.ToViewer(), ct)));

        api.MapGet("/customers", async Task<Ok<IReadOnlyList<CustomerView>>> (string? q, CustomerService customers, HttpContext http, CancellationToken ct) =>
            TypedResults.Ok(await customers.ListAsync(http.User.ToViewer(), q, ct))).WithTags("Customers");
        api.MapPost("/tickets/{number:int}/customer-link", async Task<Ok<CustomerLinkRenewal>> (
            int number, CustomerLinkService links, HttpContext http, CancellationToken ct) =>
            TypedResults.Ok(new CustomerLinkRenewal(await links.RenewAsync(number, http.User.ToViewer(), ct)))).WithTags("Tickets");
    }

    /// <summary>The raw RFC 822 message is the request body, whatever its content type.</summary>
    private static async Task<Accepted<InboundReceipt>> ReceiveAsync(string? project, IInboundMail intake, HttpRequest request, CancellationToken ct)
    {
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, ct);
        if (body.Length == 0)
        {
            throw DomainException.Invalid("body: send the raw RFC 822 message as the request body.");
        }
        var receipt = await intake.ReceiveAsync(body.ToArray(), project, ct);
        return TypedResults.Accepted(receipt.TicketNumber is { } n ? $"/api/tickets/{n}" : $"/api/mail/quarantine/{receipt.Id}/raw", receipt);
    }
}

/// <summary>How many links a renewal revoked; the new one is on its way to the customer.</summary>
public sealed record CustomerLinkRenewal(int Revoked);
