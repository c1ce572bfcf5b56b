using Bunit;
using TicketPortal.Components.Pages.Admin;
using TicketPortal.Domain.Workflows;
using TicketPortal.Tests.Support;

namespace TicketPortal.Tests.Components;

public sealed class WorkflowDiagramTests : BunitContext
{
    [Theory]
    [InlineData("change-board")]
    [InlineData("triage-ownership")]
    [InlineData("qa-verify")]
    [InlineData("support-gatekeeper")]
    [InlineData("timer-review")]
    public void DrawsEveryStatusAsANodeAndEveryStepAsAnArrow(string preset)
    {
        var workflow = TestDatabase.Catalog.Presets[preset];

        var svg = Render<WorkflowDiagramView>(p => p.Add(x => x.Workflow, workflow));

        var nodes = svg.FindAll("g.node").Select(n => n.GetAttribute("data-status")).ToList();
        Assert.Equal(workflow.Statuses.Select(s => s.Name).Order(), nodes.Order());
        var drawn = svg.FindAll("g.edge").Select(e => e.GetAttribute("data-transition")).Distinct().Order();
        Assert.Equal(workflow.Transitions.Select(t => t.Id).Order(), drawn);
    }

    [Fact]
    public void ShowsRolesRequirementsAndEffectsOnHover_AndDashesAutomations()
    {
        var workflow = TestDatabase.Catalog.Presets["change-board"];

        var svg = Render<WorkflowDiagramView>(p => p.Add(x => x.Workflow, workflow));

        var finish = svg.FindAll("g.edge[data-transition=finish]");
        Assert.Equal(2, finish.Count);
        var title = finish[0].QuerySelector("title")!.TextContent;
        Assert.Contains("Roles: it-director, assignee", title);
        Assert.Contains("Requires: field releaseNote, field uxChange", title);
        Assert.Contains("add checklist item \"Update user guide\"", title);
        Assert.Contains("When uxChange = true: to Pre-release", title);
        Assert.Contains("automatic", svg.Find("g.edge[data-transition=guide-updated]").ClassList);
        Assert.Contains("hidden", svg.Find("g.node[data-status=Rejected]").ClassList);
    }

    [Fact]
    public void Layout_PutsTheStartFirstAndLaterStatusesFurtherRight()
    {
        var diagram = new WorkflowDiagram(TestDatabase.Catalog.Presets["timer-review"]);

        var x = diagram.Nodes.ToDictionary(n => n.Status.Name, n => n.X);

        Assert.Equal(x.Values.Min(), x["New"]);
        Assert.True(x["New"] < x["In progress"] && x["In progress"] < x["Peer review"] && x["Peer review"] < x["Resolved"]);
        Assert.All(diagram.Nodes, n => Assert.True(n.X + WorkflowDiagram.NodeWidth <= diagram.Width && n.Y + WorkflowDiagram.NodeHeight <= diagram.Height));
    }
}
