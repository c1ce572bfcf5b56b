using TicketPortal.Domain.Workflows;

namespace TicketPortal.Tests.Domain;

public class WorkflowLoaderTests
{
    private const string Valid = """
        {
          "id": "mini", "name": "Mini", "roles": ["agent"], "trackers": ["Task"],
          "statuses": [ { "name": "Open", "category": "open" }, { "name": "Done", "category": "done" } ],
          "transitions": [ { "id": "finish", "name": "Finish", "from": ["Open"], "to": "Done", "roles": ["agent"] } ]
        }
        """;

    [Fact]
    public void LoadPresets_LoadsTheFivePresetsOfProcessesMd()
    {
        var presets = WorkflowLoader.LoadPresets();

        Assert.Equal(["change-board", "qa-verify", "support-gatekeeper", "timer-review", "triage-ownership"], presets.Keys.Order());
    }

    [Fact]
    public void Load_AValidDefinition_Works()
    {
        var definition = WorkflowLoader.Load("mini.json", Valid);

        Assert.Equal("Open", definition.StartStatus);
    }

    [Theory]
    [InlineData("\"to\": \"Done\"", "\"to\": \"Gone\"", "$.transitions[0].to", "unknown status 'Gone'")]
    [InlineData("\"roles\": [\"agent\"] }", "\"roles\": [\"boss\"] }", "$.transitions[0].roles[0]", "unknown role 'boss'")]
    [InlineData("\"from\": [\"Open\"]", "\"from\": []", "$.transitions[0].from", "at least one status")]
    [InlineData("{ \"name\": \"Done\", \"category\": \"done\" }", "{ \"name\": \"Open\", \"category\": \"done\" }", "$.statuses[1].name", "declared twice")]
    [InlineData("\"category\": \"done\"", "\"category\": \"finished\"", "$.statuses[1].category", "")]
    [InlineData("\"to\": \"Done\"", "\"to\": \"Done\", \"colour\": \"red\"", "$.transitions[0].colour", "")]
    [InlineData("\"id\": \"mini\", ", "", "$", "id")]
    [InlineData("\"roles\": [\"agent\"] }", "\"roles\": [\"agent\"], \"requires\": { \"fields\": [\"ticketNo\"] } }", "$.transitions[0].requires.fields[0]", "unknown field 'ticketNo'")]
    public void Load_AnInvalidDefinition_FailsWithFilePathAndReason(string replace, string with, string path, string reason)
    {
        var json = Valid.Replace(replace, with, StringComparison.Ordinal);
        Assert.NotEqual(Valid, json);

        var error = Assert.Throws<WorkflowDefinitionException>(() => WorkflowLoader.Load("Workflows/Presets/mini.json", json));

        Assert.Equal("Workflows/Presets/mini.json", error.File);
        Assert.Equal(path, error.JsonPath);
        Assert.Contains(reason, error.Reason);
        Assert.StartsWith("Workflows/Presets/mini.json: ", error.Message);
    }

    [Fact]
    public void Load_AnAutomationOfAnUnknownTransition_Fails()
    {
        var json = Valid.TrimEnd().TrimEnd('}') + ", \"automations\": [ { \"id\": \"a\", \"on\": \"checklistComplete\", \"transition\": \"nope\" } ] }";

        var error = Assert.Throws<WorkflowDefinitionException>(() => WorkflowLoader.Load("mini.json", json));

        Assert.Equal("$.automations[0].transition", error.JsonPath);
    }

    [Theory]
    [InlineData("checklistComplete", "\"transition\": \"finish\" }, { \"id\": \"b\", \"on\": \"checklistComplete\", \"transition\": \"reopen\"", "Open → Done → Open")]
    [InlineData("timeInStatus", "\"transition\": \"keep\", \"status\": \"Open\", \"days\": 1", "Open → Open")]
    public void Load_AnAutomationLoop_Fails(string trigger, string automation, string path)
    {
        var json = Valid.Replace(
            "\"roles\": [\"agent\"] } ]",
            "\"roles\": [\"agent\"] }, { \"id\": \"reopen\", \"name\": \"Reopen\", \"from\": [\"Done\"], \"to\": \"Open\", \"roles\": [], \"automatic\": true }," +
            " { \"id\": \"keep\", \"name\": \"Keep\", \"from\": [\"Open\"], \"roles\": [], \"automatic\": true } ]",
            StringComparison.Ordinal);
        json = json.TrimEnd().TrimEnd('}') + $", \"automations\": [ {{ \"id\": \"a\", \"on\": \"{trigger}\", {automation} }} ] }}";

        var error = Assert.Throws<WorkflowDefinitionException>(() => WorkflowLoader.Load("loop.json", json));

        Assert.StartsWith("$.automations[", error.JsonPath);
        Assert.Contains($"automation loop on trigger '{trigger.ToLowerInvariant()}': {path}", error.Reason);
    }

    [Theory]
    [InlineData("\"roles\": [\"agent\"] }", "\"roles\": [\"agent\"], \"effects\": [ { \"kind\": \"addLink\", \"linkType\": \"cousin\", \"field\": \"x\" } ] }", "$.transitions[0].effects[0]", "unknown link type 'cousin'")]
    [InlineData("\"roles\": [\"agent\"] }", "\"roles\": [\"agent\"], \"effects\": [ { \"kind\": \"assign\", \"assign\": \"field\", \"field\": \"who\" } ] }", "$.transitions[0].effects[0]", "type user")]
    [InlineData("\"trackers\": [\"Task\"],", "\"trackers\": [\"Task\"], \"onCreate\": [ { \"trackers\": [\"Epic\"], \"effects\": [] } ],", "$.onCreate[0].trackers[0]", "unknown tracker 'Epic'")]
    [InlineData("\"trackers\": [\"Task\"],", "\"trackers\": [\"Task\"], \"assignable\": [ { \"trackers\": [\"Task\"], \"roles\": [\"boss\"] } ],", "$.assignable[0].roles[0]", "unknown role 'boss'")]
    [InlineData("\"roles\": [\"agent\"] }", "\"roles\": [\"agent\"], \"requires\": { \"withinWipLimit\": true } }", "$.transitions[0].requires.withinWipLimit", "no wipLimit")]
    public void Load_InvalidEngineConstructs_FailWithPathAndReason(string replace, string with, string path, string reason)
    {
        var json = Valid.Replace(replace, with, StringComparison.Ordinal);
        Assert.NotEqual(Valid, json);

        var error = Assert.Throws<WorkflowDefinitionException>(() => WorkflowLoader.Load("mini.json", json));

        Assert.Equal(path, error.JsonPath);
        Assert.Contains(reason, error.Reason);
    }

    [Fact]
    public void Load_TimeInStatusPingPongAndDuplicateAutomationIds_Fail()
    {
        var withSteps = Valid.Replace(
            "\"roles\": [\"agent\"] } ]",
            "\"roles\": [\"agent\"] }, { \"id\": \"reopen\", \"name\": \"Reopen\", \"from\": [\"Done\"], \"to\": \"Open\", \"roles\": [], \"automatic\": true } ]",
            StringComparison.Ordinal).TrimEnd().TrimEnd('}');
        var pingPong = withSteps + ", \"automations\": [ { \"id\": \"a\", \"on\": \"timeInStatus\", \"status\": \"Open\", \"days\": 1, \"transition\": \"finish\" }," +
            " { \"id\": \"b\", \"on\": \"timeInStatus\", \"status\": \"Done\", \"days\": 1, \"transition\": \"reopen\" } ] }";
        var duplicate = withSteps + ", \"automations\": [ { \"id\": \"x\", \"on\": \"external\", \"trigger\": \"commit\", \"transition\": \"finish\" }," +
            " { \"id\": \"x\", \"on\": \"external\", \"trigger\": \"release\", \"transition\": \"finish\" } ] }";

        var loop = Assert.Throws<WorkflowDefinitionException>(() => WorkflowLoader.Load("loop.json", pingPong));
        var twice = Assert.Throws<WorkflowDefinitionException>(() => WorkflowLoader.Load("twice.json", duplicate));

        Assert.Contains("automation loop", loop.Reason);
        Assert.Equal("$.automations[1].id", twice.JsonPath);
    }

    [Fact]
    public void Load_MalformedJson_FailsWithThePosition()
    {
        var error = Assert.Throws<WorkflowDefinitionException>(() => WorkflowLoader.Load("broken.json", "{ \"id\": "));

        Assert.Equal("broken.json", error.File);
        Assert.False(string.IsNullOrWhiteSpace(error.Reason));
    }
}
