using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using TicketPortal.Domain.People;

namespace TicketPortal.Auth;

public static class AccountEndpoints
{
    public static void MapAccountEndpoints(this IEndpointRouteBuilder app) =>
        app.MapPost("/account/logout", async (SignInManager<PortalUser> signIn, HttpContext http) =>
        {
            await signIn.SignOutAsync();
            await http.SignOutAsync(CustomerLinks.Scheme);
            return TypedResults.LocalRedirect("~/account/login");
        });
}
