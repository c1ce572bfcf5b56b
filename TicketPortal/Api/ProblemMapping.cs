using Microsoft.AspNetCore.Diagnostics;
using TicketPortal.Domain;

namespace TicketPortal.Api;

/// <summary>Turns refusals into RFC 9457 problem details: what is wrong, where, and why.</summary>
public sealed class ProblemMapping(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail, list) = exception switch
        {
            DomainException e => (StatusOf(e.Kind), TitleOf(e.Kind), e.Message, e.Problems),
            BadHttpRequestException e => (e.StatusCode, "Malformed request", Describe(e), (IReadOnlyList<string>)[Describe(e)]),
            _ => (0, "", "", []),
        };
        if (status == 0)
        {
            return false;
        }
        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = status, Title = title, Detail = detail, Extensions = { ["problems"] = list } },
        });
    }

    public static int StatusOf(DomainErrorKind kind) => kind switch
    {
        DomainErrorKind.Invalid => StatusCodes.Status400BadRequest,
        DomainErrorKind.NotFound => StatusCodes.Status404NotFound,
        DomainErrorKind.Forbidden => StatusCodes.Status403Forbidden,
        DomainErrorKind.Conflict => StatusCodes.Status409Conflict,
        DomainErrorKind.RequirementMissing => StatusCodes.Status422UnprocessableEntity,
    };

    private static string TitleOf(DomainErrorKind kind) => kind switch
    {
        DomainErrorKind.Invalid => "Invalid request",
        DomainErrorKind.NotFound => "Not found",
        DomainErrorKind.Forbidden => "Not allowed",
        DomainErrorKind.Conflict => "Conflict",
        DomainErrorKind.RequirementMissing => "Requirement missing",
    };

    private static string Describe(BadHttpRequestException e) =>
        e.InnerException is System.Text.Json.JsonException json ? $"{e.Message} {json.Message}" : e.Message;
}
