using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using TicketPortal.Components.Pages.Tickets;
using TicketPortal.Domain.Workflows;
using TicketPortal.Tests.Support;

namespace TicketPortal.Tests.Components;

public sealed class TransitionDialogTests : PortalComponentContext
{
    private static readonly WorkflowDefinition TimerReview = TestDatabase.Catalog.Presets["timer-review"];
    private readonly List<TransitionSubmission> _submitted = [];

    private async Task<IRenderedComponent<MudDialogProvider>> OpenAsync(string transitionId, string? refusal = null)
    {
        var definition = TimerReview.FindTransition(transitionId)!;
        var transition = new TicketPortal.Domain.Tickets.TransitionView(definition.Id, definition.Name, definition.To!, definition.Requires, definition.Offers);
        var provider = Render<MudDialogProvider>();
        var dialogs = Services.GetRequiredService<IDialogService>();
        var parameters = new DialogParameters<TransitionDialog>
        {
            { d => d.Transition, transition },
            { d => d.CurrentStatus, "In progress" },
            {
                d => d.Fields, definition.Requires.Fields.Select(f => new DialogField(TimerReview.FindField(f)!, true, []))
                    .Concat(definition.Offers.Select(f => new DialogField(TimerReview.FindField(f)!, false, []))).ToList()
            },
            {
                d => d.OnSubmit, submission =>
                {
                    _submitted.Add(submission);
                    return Task.FromResult(refusal);
                }
            },
        };
        await provider.InvokeAsync(() => dialogs.ShowAsync<TransitionDialog>(definition.Name, parameters));
        return provider;
    }

    [Fact]
    public async Task AsksForExactlyTheRequiredFields()
    {
        var dialog = await OpenAsync("request-review");

        Assert.NotNull(dialog.Find("textarea[data-testid=field-solution], [data-testid=field-solution] textarea"));
        Assert.Contains("Knowledge-base article link (optional)", dialog.Markup);
        Assert.Contains("Comment (optional)", dialog.Markup);
        Assert.Contains("Moves the ticket from", dialog.Markup);
    }

    [Fact]
    public async Task MissingRequiredComment_IsShownAndNothingIsSubmitted()
    {
        var dialog = await OpenAsync("wait");

        dialog.Find("[data-testid=transition-submit]").Click();

        dialog.WaitForAssertion(() => Assert.Contains("Fill in the required fields.", dialog.Find("[data-testid=transition-error]").TextContent));
        Assert.Empty(_submitted);
    }

    [Fact]
    public async Task SubmitsTheCommentAndFields_AndClosesWhenTaken()
    {
        var dialog = await OpenAsync("request-review");

        dialog.Find("textarea[data-testid=field-solution], [data-testid=field-solution] textarea").Change("Restarted the print spooler.");
        dialog.Find("textarea[data-testid=transition-comment], [data-testid=transition-comment] textarea").Change("Please review.");
        dialog.Find("[data-testid=transition-submit]").Click();

        dialog.WaitForAssertion(() => Assert.Single(_submitted));
        Assert.Equal("request-review", _submitted[0].Transition);
        Assert.Equal("Please review.", _submitted[0].Comment);
        Assert.Equal("Restarted the print spooler.", _submitted[0].Fields["solution"]);
        dialog.WaitForAssertion(() => Assert.Empty(dialog.FindAll("[data-testid=transition-submit]")));
    }

    [Fact]
    public async Task ARefusalFromTheServer_KeepsTheDialogOpenWithTheReason()
    {
        var dialog = await OpenAsync("wait", refusal: "Ticket #1 was changed by someone else.");

        dialog.Find("textarea[data-testid=transition-comment], [data-testid=transition-comment] textarea").Change("Waiting for the faculty.");
        dialog.Find("[data-testid=transition-submit]").Click();

        dialog.WaitForAssertion(() => Assert.Contains("changed by someone else", dialog.Find("[data-testid=transition-error]").TextContent));
        Assert.Single(_submitted);
    }
}
