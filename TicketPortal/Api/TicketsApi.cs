using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using TicketPortal.Auth;
using TicketPortal.Domain;
using TicketPortal.Domain.Tickets;

namespace TicketPortal.Api;

public sealed record CreateTicketRequest(
    string? Project, string? Tracker, string? Title, string? Description, string? Priority, string? ReporterEmail, string? AssigneeEmail);

public sealed record NoteRequest(string? Text, bool Internal, int? Version);

/// <summary>Internal makes the comment staff-only; the step itself stays in the public history.</summary>
public sealed record TransitionRequest(string? Transition, string? Comment, Dictionary<string, JsonElement>? Fields, int? Version, bool Internal = false);

/// <summary>Ticks or unticks an item, and/or gives it to someone (an empty assignee takes it back).</summary>
public sealed record ChecklistItemRequest(bool? Done, string? Assignee, int? Version);

public sealed record AssigneeRequest(string? Email, int? Version);

public sealed record BulkTransitionRequest(
    string? Transition, string? Comment, Dictionary<string, JsonElement>? Fields, List<int>? Numbers, string? Project, string? Assignee,
    bool Internal = false);

public static class TicketsApi
{
    public static void MapTicketsApi(this IEndpointRouteBuilder api)
    {
        var tickets = api.MapGroup("/tickets").WithTags("Tickets");
        tickets.MapGet("/", ListAsync);
        tickets.MapPost("/", CreateAsync);
        tickets.MapGet("/{reference}", async Task<Ok<TicketView>> (string reference, TicketService service, HttpContext http, CancellationToken ct) =>
        {
            var parsed = TicketReference.Parse(reference);
            return TypedResults.Ok(parsed.Check(await service.GetAsync(parsed.Number, http.User.ToViewer(), ct)));
        });
        tickets.MapPost("/{number:int}/notes", AddNoteAsync);
        tickets.MapGet("/{number:int}/transitions", async Task<Ok<IReadOnlyList<TransitionView>>> (int number, TicketService service, HttpContext http, CancellationToken ct) =>
            TypedResults.Ok(await service.AvailableTransitionsAsync(number, http.User.ToViewer(), ct)));
        tickets.MapPost("/{number:int}/transitions", TransitionAsync);
        tickets.MapPost("/{number:int}/attachments", AttachAsync);
        tickets.MapGet("/{number:int}/attachments/{id:int}", async Task<FileStreamHttpResult> (int number, int id, TicketService service, HttpContext http, CancellationToken ct) =>
        {
            var (attachment, content) = await service.OpenAttachmentAsync(number, id, http.User.ToViewer(), ct);
            http.Response.Headers.XContentTypeOptions = "nosniff";
            return TypedResults.File(content, attachment.ContentType, attachment.FileName);
        });
        tickets.MapPatch("/{number:int}/checklist/{itemId:int}", ChecklistItemAsync);
        tickets.MapPut("/{number:int}/assignee", async Task<Ok<TicketView>> (
            int number, AssigneeRequest request, TicketService service, HttpContext http, CancellationToken ct) =>
            TypedResults.Ok(await service.AssignAsync(number, request.Email, request.Version, http.User.ToViewer(), ct)));
        tickets.MapPost("/transitions/bulk", BulkTransitionAsync);
    }

    private static async Task<Ok<TicketListResult>> ListAsync(
        TicketService service, HttpContext http, CancellationToken ct,
        string? project = null, string? status = null, string? assignee = null, string? q = null, bool includeHidden = false,
        string? view = null, string? label = null, string? sort = null, int page = 1, int pageSize = 50) =>
        TypedResults.Ok(await service.ListAsync(new TicketQuery(project, status, assignee, q, includeHidden, view, label, sort, page, pageSize),
            http.User.ToViewer(), ct));

    private static async Task<Created<TicketView>> CreateAsync(CreateTicketRequest request, TicketService service, HttpContext http, CancellationToken ct)
    {
        var command = new CreateTicket(
            Required(request.Project, "project"), Required(request.Tracker, "tracker"), Required(request.Title, "title"),
            request.Description, request.Priority, request.ReporterEmail, request.AssigneeEmail);
        var ticket = await service.CreateAsync(command, http.User.ToViewer(), ct);
        return TypedResults.Created($"/api/tickets/{ticket.Number}", ticket);
    }

    private static async Task<Ok<TicketView>> AddNoteAsync(int number, NoteRequest request, TicketService service, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await service.AddNoteAsync(number, Required(request.Text, "text"), request.Internal, request.Version, http.User.ToViewer(), ct));

    private static async Task<Ok<TicketView>> ChecklistItemAsync(
        int number, int itemId, ChecklistItemRequest request, TicketService service, HttpContext http, CancellationToken ct)
    {
        if (request.Done is null && request.Assignee is null)
        {
            throw DomainException.Invalid("done: send done (true or false), assignee (an e-mail, or \"\" to clear), or both.");
        }
        var viewer = http.User.ToViewer();
        var version = request.Version;
        TicketView? ticket = null;
        if (request.Assignee is not null)
        {
            ticket = await service.AssignChecklistItemAsync(number, itemId, request.Assignee, version, viewer, ct);
            version = version is null ? null : ticket.Version;
        }
        if (request.Done is { } done)
        {
            ticket = await service.TickChecklistAsync(number, itemId, done, version, viewer, ct);
        }
        return TypedResults.Ok(ticket!);
    }

    private static async Task<Ok<BulkResult>> BulkTransitionAsync(BulkTransitionRequest request, TicketService service, HttpContext http, CancellationToken ct)
    {
        var command = new BulkTransition(Required(request.Transition, "transition"), request.Comment, Fields(request.Fields),
            request.Numbers, request.Project, request.Assignee, request.Internal);
        return TypedResults.Ok(await service.TransitionManyAsync(command, http.User.ToViewer(), ct));
    }

    private static async Task<Created<TicketView>> AttachAsync(
        int number, IFormFile? file, [Microsoft.AspNetCore.Mvc.FromQuery] int? version, [Microsoft.AspNetCore.Mvc.FromQuery(Name = "internal")] bool? isInternal,
        TicketService service, HttpContext http, CancellationToken ct)
    {
        if (file is null)
        {
            throw DomainException.Invalid("file: send the file as multipart/form-data in a part named 'file'.");
        }
        await using var content = file.OpenReadStream();
        var ticket = await service.AttachAsync(number, file.FileName, file.ContentType, content, version, http.User.ToViewer(), isInternal ?? false, ct);
        return TypedResults.Created($"/api/tickets/{number}/attachments/{ticket.Attachments[^1].Id}", ticket);
    }

    private static async Task<Ok<TicketView>> TransitionAsync(int number, TransitionRequest request, TicketService service, HttpContext http, CancellationToken ct)
    {
        var command = new TakeTransition(Required(request.Transition, "transition"), request.Comment, Fields(request.Fields), request.Version, request.Internal);
        return TypedResults.Ok(await service.TransitionAsync(number, command, http.User.ToViewer(), ct));
    }

    private static Dictionary<string, string> Fields(Dictionary<string, JsonElement>? fields) =>
        (fields ?? []).ToDictionary(f => f.Key, f => FieldValue(f.Key, f.Value), StringComparer.OrdinalIgnoreCase);

    /// <summary>Field values arrive as JSON strings, numbers or booleans and are kept as text.</summary>
    private static string FieldValue(string name, JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Number => value.GetRawText(),
        _ => throw DomainException.Invalid($"fields.{name}: must be a string, number or boolean."),
    };

    private static string Required(string? value, string name) =>
        string.IsNullOrWhiteSpace(value) ? throw DomainException.Invalid($"{name}: a value is required.") : value;
}
