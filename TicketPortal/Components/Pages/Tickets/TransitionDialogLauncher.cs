using MudBlazor;
using TicketPortal.Domain.People;
using TicketPortal.Domain.Tickets;
using TicketPortal.Domain.Workflows;

namespace TicketPortal.Components.Pages.Tickets;

/// <summary>Opens the transition dialog with exactly the fields a step asks for; shared by the ticket page and bulk actions.</summary>
public sealed class TransitionDialogLauncher(IDialogService dialogs, ProjectService projects)
{
    public async Task ShowAsync(
        Viewer viewer, string projectKey, WorkflowDefinition workflow, TransitionView transition, string currentStatus,
        IReadOnlyDictionary<string, string> currentFields, IReadOnlyList<string> currentLabels, Func<TransitionSubmission, Task<string?>> onSubmit)
    {
        var wanted = transition.Requires.Fields.Select(f => (Name: f, Required: true)).Concat(transition.Offers.Select(f => (Name: f, Required: false)));
        var fields = new List<DialogField>();
        IReadOnlyList<MemberView>? members = null;
        foreach (var (name, required) in wanted)
        {
            var definition = workflow.FindField(name)!;
            IReadOnlyList<MemberView> people = [];
            if (definition.Type == Domain.Workflows.FieldType.User)
            {
                members ??= await projects.MembersAsync(projectKey, viewer);
                people = members.Where(m => definition.Roles.Count == 0 || m.Roles.Any(definition.Roles.Contains)).ToList();
            }
            fields.Add(new DialogField(definition, required, people));
        }
        var parameters = new DialogParameters<TransitionDialog>
        {
            { d => d.Transition, transition },
            { d => d.CurrentStatus, currentStatus },
            { d => d.CurrentFields, currentFields },
            { d => d.CurrentLabels, currentLabels },
            { d => d.Fields, fields },
            { d => d.OnSubmit, onSubmit },
        };
        await dialogs.ShowAsync<TransitionDialog>(transition.Name, parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
    }
}
