using TicketPortal.Domain.Workflows;
using TicketPortal.Tests.Support;
using static TicketPortal.Tests.Support.TicketSnapshotBuilder;

namespace TicketPortal.Tests.Domain;

public class WorkflowEngineTests
{
    private static readonly WorkflowDefinition ChangeBoard = TestDatabase.Catalog.Presets["change-board"];
    private static readonly WorkflowDefinition TimerReview = TestDatabase.Catalog.Presets["timer-review"];
    private static readonly WorkflowDefinition QaVerify = TestDatabase.Catalog.Presets["qa-verify"];
    private static readonly WorkflowDefinition Gatekeeper = TestDatabase.Catalog.Presets["support-gatekeeper"];

    [Fact]
    public void Available_ListsOnlyTheTransitionsOfTheCurrentStatusThatTheRolesAllow()
    {
        var ticket = new TicketSnapshotBuilder().Build();

        var director = WorkflowEngine.Available(ChangeBoard, ticket, With("it-director")).Select(t => t.Id);
        var member = WorkflowEngine.Available(ChangeBoard, ticket, With("member"));

        Assert.Equal(["approve", "hold", "reject"], director);
        Assert.Empty(member);
    }

    [Fact]
    public void Available_NeverOffersAutomaticTransitions()
    {
        var ticket = new TicketSnapshotBuilder { Status = "Pre-release" }.Build();

        var available = WorkflowEngine.Available(ChangeBoard, ticket, new Actor("admin", new HashSet<string>(), IsAdmin: true));

        Assert.DoesNotContain(available, t => t.Automatic);
    }

    [Fact]
    public void Decide_UnknownTransition_IsRefusedAsUnknown()
    {
        var decision = WorkflowEngine.Decide(ChangeBoard, new TicketSnapshotBuilder().Build(), With("it-director"), Take("teleport"));

        var refused = Assert.IsType<TransitionRefused>(decision);
        Assert.Equal(RefusalKind.Unknown, refused.Kind);
        Assert.Contains("teleport", refused.Message);
    }

    [Fact]
    public void Decide_FromAnotherStatus_IsRefusedAsWrongStatus()
    {
        var ticket = new TicketSnapshotBuilder { Status = "Approved", Labels = ["bug"] }.Build();

        var decision = WorkflowEngine.Decide(ChangeBoard, ticket, With("it-director"), Take("approve"));

        Assert.Equal(RefusalKind.WrongStatus, Assert.IsType<TransitionRefused>(decision).Kind);
    }

    [Fact]
    public void Decide_WithoutTheRole_IsForbidden()
    {
        var decision = WorkflowEngine.Decide(ChangeBoard, new TicketSnapshotBuilder().Build(), With("member"), Take("approve", null, ("label", "bug")));

        Assert.Equal(RefusalKind.Forbidden, Assert.IsType<TransitionRefused>(decision).Kind);
    }

    [Fact]
    public void Decide_AdminMayTakeAnyTransitionPeopleTake()
    {
        var admin = new Actor("admin", new HashSet<string>(), IsAdmin: true);

        var decision = WorkflowEngine.Decide(ChangeBoard, new TicketSnapshotBuilder().Build(), admin, Take("approve", null, ("label", "bug")));

        Assert.IsType<TransitionAccepted>(decision);
    }

    [Fact]
    public void Decide_ReporterRole_AllowsOnlyTheReporter()
    {
        var verified = new TicketSnapshotBuilder { Status = "Verified", Tracker = "Defect" }.Build();

        var byReporter = WorkflowEngine.Decide(QaVerify, verified, User(Reporter, "customer"), Take("close"));
        var byOtherCustomer = WorkflowEngine.Decide(QaVerify, verified, User("other", "customer"), Take("close"));

        Assert.Equal("Closed", Assert.IsType<TransitionAccepted>(byReporter).ToStatus);
        Assert.Equal(RefusalKind.Forbidden, Assert.IsType<TransitionRefused>(byOtherCustomer).Kind);
    }

    [Fact]
    public void Decide_AssigneeRole_AllowsOnlyTheAssignee()
    {
        var ticket = new TicketSnapshotBuilder { Status = "In progress", Tracker = "Request", AssigneeId = Assignee }.Build();

        var byAssignee = WorkflowEngine.Decide(TimerReview, ticket, User(Assignee, "staff"), Take("wait", "Waiting for the faculty."));
        var byColleague = WorkflowEngine.Decide(TimerReview, ticket, User("colleague", "staff"), Take("wait", "Waiting for the faculty."));

        Assert.IsType<TransitionAccepted>(byAssignee);
        Assert.Equal(RefusalKind.Forbidden, Assert.IsType<TransitionRefused>(byColleague).Kind);
    }

    [Fact]
    public void Transition_WithoutRequiredReason_IsRefused()
    {
        var ticket = new TicketSnapshotBuilder { Labels = ["bug"] }.Build();

        var decision = WorkflowEngine.Decide(ChangeBoard, ticket, With("it-director"), Take("reject", "  "));

        var refused = Assert.IsType<TransitionRefused>(decision);
        Assert.Equal(RefusalKind.RequirementMissing, refused.Kind);
        Assert.Contains(refused.Problems, p => p.StartsWith("comment:", StringComparison.Ordinal));
    }

    [Fact]
    public void Decide_MissingRequiredFields_NamesEachOfThem()
    {
        var ticket = new TicketSnapshotBuilder { Status = "In progress" }.Build();

        var decision = WorkflowEngine.Decide(ChangeBoard, ticket, With("it-director"), Take("finish"));

        var refused = Assert.IsType<TransitionRefused>(decision);
        Assert.Contains(refused.Problems, p => p.StartsWith("fields.releaseNote:", StringComparison.Ordinal));
        Assert.Contains(refused.Problems, p => p.StartsWith("fields.uxChange:", StringComparison.Ordinal));
    }

    [Fact]
    public void Decide_RequiredFieldLeftFromAnEarlierStep_MustBeSubmittedAgain()
    {
        var ticket = new TicketSnapshotBuilder
        {
            Status = "In progress",
            Fields = new Dictionary<string, string> { ["releaseNote"] = "Adds PDF export.", ["uxChange"] = "false" },
        }.Build();

        var stale = WorkflowEngine.Decide(ChangeBoard, ticket, With("it-director"), Take("finish"));
        var fresh = WorkflowEngine.Decide(ChangeBoard, ticket, With("it-director"), Take("finish", null, ("releaseNote", "Adds PDF export."), ("uxChange", "false")));

        Assert.Contains("fields.releaseNote: a value is required.", Assert.IsType<TransitionRefused>(stale).Problems);
        Assert.Equal("Release ready", Assert.IsType<TransitionAccepted>(fresh).ToStatus);
    }

    [Fact]
    public void Decide_LabelFromSet_IsRequiredToLeaveTicket()
    {
        var ticket = new TicketSnapshotBuilder().Build();

        var without = WorkflowEngine.Decide(ChangeBoard, ticket, With("it-director"), Take("approve"));
        var outsideSet = WorkflowEngine.Decide(ChangeBoard, ticket, With("it-director"), Take("approve", null, ("label", "chore")));
        var withLabel = WorkflowEngine.Decide(ChangeBoard, ticket, With("it-director"), Take("approve", null, ("label", "idea")));
        var alreadyLabelled = WorkflowEngine.Decide(ChangeBoard, ticket with { Labels = ["bug"] }, With("it-director"), Take("approve"));

        Assert.Contains("bug, idea", Assert.IsType<TransitionRefused>(without).Message);
        Assert.IsType<TransitionRefused>(outsideSet);
        Assert.Equal("idea", Assert.IsType<TransitionAccepted>(withLabel).LabelToAdd);
        Assert.Null(Assert.IsType<TransitionAccepted>(alreadyLabelled).LabelToAdd);
    }

    [Fact]
    public void Decide_ChecklistComplete_IsRequiredWhenAsked()
    {
        var workflow = ChangeBoard with
        {
            Transitions = [.. ChangeBoard.Transitions, new TransitionDefinition
            {
                Id = "ship", Name = "Ship", From = ["Pre-release"], To = "Release ready", Roles = ["it-director"],
                Requires = new Requirements { ChecklistComplete = true },
            }],
        };
        var open = new TicketSnapshotBuilder { Status = "Pre-release", Checklist = [true, false] }.Build();

        var refused = WorkflowEngine.Decide(workflow, open, With("it-director"), Take("ship"));
        var accepted = WorkflowEngine.Decide(workflow, open with { ChecklistDone = [true, true] }, With("it-director"), Take("ship"));

        Assert.Contains("1 item(s)", Assert.IsType<TransitionRefused>(refused).Message);
        Assert.IsType<TransitionAccepted>(accepted);
    }

    [Fact]
    public void Decide_ReviewByTheAssignee_IsRefused()
    {
        var ticket = new TicketSnapshotBuilder { Status = "Peer review", Tracker = "Request", AssigneeId = Assignee }.Build();

        var byOwner = WorkflowEngine.Decide(TimerReview, ticket, User(Assignee, "staff"), Take("approve-review"));
        var byPeer = WorkflowEngine.Decide(TimerReview, ticket, User("peer", "staff"), Take("approve-review"));

        Assert.Contains(Assert.IsType<TransitionRefused>(byOwner).Problems, p => p.StartsWith("actor:", StringComparison.Ordinal));
        Assert.Equal("Resolved", Assert.IsType<TransitionAccepted>(byPeer).ToStatus);
    }

    [Fact]
    public void Decide_UxChange_BranchesToPreReleaseWithChecklistItemAndAssignment()
    {
        var ticket = new TicketSnapshotBuilder { Status = "In progress" }.Build();

        var ux = WorkflowEngine.Decide(ChangeBoard, ticket, With("it-director"), Take("finish", null, ("releaseNote", "New menu."), ("uxChange", "true")));
        var noUx = WorkflowEngine.Decide(ChangeBoard, ticket, With("it-director"), Take("finish", null, ("releaseNote", "Faster."), ("uxChange", "false")));

        var withUx = Assert.IsType<TransitionAccepted>(ux);
        Assert.Equal("Pre-release", withUx.ToStatus);
        Assert.Contains(withUx.Effects, e => e.Kind == EffectKind.AddChecklistItem && e.Text == "Update user guide");
        Assert.Contains(withUx.Effects, e => e.Kind == EffectKind.Assign && e.Assign == AssignTarget.Role && e.Target == "operations-director");
        Assert.Equal("New menu.", withUx.FieldChanges["releaseNote"]);
        var withoutUx = Assert.IsType<TransitionAccepted>(noUx);
        Assert.Equal("Release ready", withoutUx.ToStatus);
        Assert.Empty(withoutUx.Effects);
    }

    [Fact]
    public void Decide_BoolAndChoiceFields_RefuseValuesOutsideTheirType()
    {
        var inProgress = new TicketSnapshotBuilder { Status = "In progress" }.Build();
        var internalBug = new TicketSnapshotBuilder { Status = "New", Tracker = "Bug" }.Build();

        var badBool = WorkflowEngine.Decide(ChangeBoard, inProgress, With("it-director"), Take("finish", null, ("releaseNote", "x"), ("uxChange", "maybe")));
        var badChoice = WorkflowEngine.Decide(Gatekeeper, internalBug, With("gatekeeper"), Take("seen", null, ("milestone", "someday")));
        var goodChoice = WorkflowEngine.Decide(Gatekeeper, internalBug, With("gatekeeper"), Take("seen", null, ("milestone", "next patch")));

        Assert.Contains("fields.uxChange: must be true or false.", Assert.IsType<TransitionRefused>(badBool).Problems);
        Assert.Contains("next patch, next major, to-do list", Assert.IsType<TransitionRefused>(badChoice).Message);
        Assert.Equal("Seen", Assert.IsType<TransitionAccepted>(goodChoice).ToStatus);
    }

    [Fact]
    public void Decide_ActionWithoutTarget_KeepsTheStatus()
    {
        var ticket = new TicketSnapshotBuilder { Status = "Accepted", Tracker = "Support" }.Build();

        var decision = WorkflowEngine.Decide(Gatekeeper, ticket, With("support"), Take("copy-to-internal"));

        var accepted = Assert.IsType<TransitionAccepted>(decision);
        Assert.Equal("Accepted", accepted.ToStatus);
        Assert.Equal(EffectKind.CopyToProject, Assert.Single(accepted.Effects).Kind);
    }

    [Fact]
    public void Decide_TransitionOfOtherTrackers_IsNotOfferedAndRefused()
    {
        var bug = new TicketSnapshotBuilder { Status = "New", Tracker = "Bug" }.Build();

        var offered = WorkflowEngine.Available(Gatekeeper, bug, With("support")).Select(t => t.Id);
        var decision = WorkflowEngine.Decide(Gatekeeper, bug, With("support"), Take("accept"));

        Assert.DoesNotContain("accept", offered);
        Assert.Equal(RefusalKind.Forbidden, Assert.IsType<TransitionRefused>(decision).Kind);
    }

    [Fact]
    public void Decide_AutomaticTransition_IsForTheSystemOnly()
    {
        var ticket = new TicketSnapshotBuilder { Status = "Pre-release" }.Build();

        var byPerson = WorkflowEngine.Decide(ChangeBoard, ticket, With("it-director"), Take("guide-updated"));
        var bySystem = WorkflowEngine.Decide(ChangeBoard, ticket, Actor.System, Take("guide-updated"));

        Assert.Equal(RefusalKind.Forbidden, Assert.IsType<TransitionRefused>(byPerson).Kind);
        Assert.Equal("Release ready", Assert.IsType<TransitionAccepted>(bySystem).ToStatus);
    }

    [Fact]
    public void Triggered_ChecklistComplete_FiresOnlyWhenEveryItemIsDone()
    {
        var now = DateTimeOffset.UnixEpoch;
        var ticket = new TicketSnapshotBuilder { Status = "Pre-release", Checklist = [true, false] }.Build();

        var open = WorkflowEngine.Triggered(ChangeBoard, ticket, AutomationTrigger.ChecklistComplete, now);
        var done = WorkflowEngine.Triggered(ChangeBoard, ticket with { ChecklistDone = [true, true] }, AutomationTrigger.ChecklistComplete, now);
        var empty = WorkflowEngine.Triggered(ChangeBoard, ticket with { ChecklistDone = [] }, AutomationTrigger.ChecklistComplete, now);

        Assert.Null(open);
        Assert.Equal("guide-updated", done?.Transition);
        Assert.Null(empty);
    }

    [Fact]
    public void Triggered_TimeInStatus_FiresOnceTheDaysHavePassed()
    {
        var since = new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
        var ticket = new TicketSnapshotBuilder { Status = "Verified", Tracker = "Defect", StatusSince = since }.Build();

        var early = WorkflowEngine.Triggered(QaVerify, ticket, AutomationTrigger.TimeInStatus, since.AddDays(30).AddSeconds(-1));
        var due = WorkflowEngine.Triggered(QaVerify, ticket, AutomationTrigger.TimeInStatus, since.AddDays(30));
        var otherStatus = WorkflowEngine.Triggered(QaVerify, ticket with { Status = "Assigned" }, AutomationTrigger.TimeInStatus, since.AddDays(90));

        Assert.Null(early);
        Assert.Equal("auto-close", due?.Transition);
        Assert.Null(otherStatus);
    }

    [Fact]
    public void Triggered_NamedTriggers_MatchByName()
    {
        var now = DateTimeOffset.UnixEpoch;
        var bug = new TicketSnapshotBuilder { Status = "Accepted", Tracker = "Bug" }.Build();
        var support = new TicketSnapshotBuilder { Status = "Accepted", Tracker = "Support" }.Build();

        var commit = WorkflowEngine.Triggered(Gatekeeper, bug, AutomationTrigger.External, now, "commit");
        var release = WorkflowEngine.Triggered(Gatekeeper, bug, AutomationTrigger.External, now, "release");
        var linked = WorkflowEngine.Triggered(Gatekeeper, support, AutomationTrigger.LinkedTicketDone, now, "related");
        var otherLink = WorkflowEngine.Triggered(Gatekeeper, support, AutomationTrigger.LinkedTicketDone, now, "blocks");

        Assert.Equal("fixed-by-commit", commit?.Transition);
        Assert.Null(release);
        Assert.Equal("internal-done", linked?.Transition);
        Assert.Null(otherLink);
    }

    [Fact]
    public void CanCreate_FollowsCreateRolesOrMembership()
    {
        Assert.True(WorkflowEngine.CanCreate(ChangeBoard, With("member")));
        Assert.False(WorkflowEngine.CanCreate(ChangeBoard, With()));
        Assert.True(WorkflowEngine.CanCreate(QaVerify, With("customer")));
        Assert.False(WorkflowEngine.CanCreate(QaVerify, With("developer")));
    }

    [Fact]
    public void Decide_RolesAreCheckedBeforeTheStatus_SoAStepNeverAllowedIsForbidden()
    {
        var closed = new TicketSnapshotBuilder { Status = "Closed", Tracker = "Defect" }.Build();

        var decision = WorkflowEngine.Decide(QaVerify, closed, User(Reporter, "customer"), Take("verify"));

        Assert.Equal(RefusalKind.Forbidden, Assert.IsType<TransitionRefused>(decision).Kind);
    }

    [Fact]
    public void Decide_FieldsTheStepDoesNotTake_AreRefused()
    {
        var verified = new TicketSnapshotBuilder { Status = "Verified", Tracker = "Defect" }.Build();

        var decision = WorkflowEngine.Decide(QaVerify, verified, User(Reporter, "customer"), Take("close", null, ("buildNumber", "HACKED"), ("label", "x")));

        var refused = Assert.IsType<TransitionRefused>(decision);
        Assert.Equal(RefusalKind.RequirementMissing, refused.Kind);
        Assert.Contains("fields.buildNumber: 'close' does not take this field.", refused.Problems);
        Assert.Contains("fields.label: 'close' does not take this field.", refused.Problems);
    }

    [Fact]
    public void Decide_OfferedFields_AreTakenButNotRequired()
    {
        var ticket = new TicketSnapshotBuilder { Status = "In progress", Tracker = "Request", AssigneeId = Assignee }.Build();

        var without = WorkflowEngine.Decide(TimerReview, ticket, User(Assignee, "staff"), Take("request-review", null, ("solution", "Rebooted.")));
        var with = WorkflowEngine.Decide(TimerReview, ticket, User(Assignee, "staff"),
            Take("request-review", null, ("solution", "Rebooted."), ("kbArticle", "https://kb/1")));

        Assert.IsType<TransitionAccepted>(without);
        Assert.Equal("https://kb/1", Assert.IsType<TransitionAccepted>(with).FieldChanges["kbArticle"]);
    }

    [Theory]
    [InlineData(2, null, true)]
    [InlineData(3, null, false)]
    [InlineData(3, "Emma is away.", true)]
    public void Decide_WipLimit_AskesForAReasonOnceTheLimitIsReached(int owned, string? comment, bool accepted)
    {
        var triage = TestDatabase.Catalog.Presets["triage-ownership"];
        var ticket = new TicketSnapshotBuilder { Status = "Approved", Tracker = "Request" }.Build();
        var engineer = User("eng", "engineer") with { OpenAssignments = owned };

        var decision = WorkflowEngine.Decide(triage, ticket, engineer, Take("take-ownership", comment));

        Assert.Equal(accepted, decision is TransitionAccepted);
        if (!accepted)
        {
            Assert.Contains("WIP limit 3", Assert.IsType<TransitionRefused>(decision).Message);
        }
    }

    [Fact]
    public void Decide_Unassigned_RefusesATicketThatAlreadyHasAnOwner()
    {
        var triage = TestDatabase.Catalog.Presets["triage-ownership"];
        var owned = new TicketSnapshotBuilder { Status = "Approved", Tracker = "Request", AssigneeId = Assignee }.Build();

        var decision = WorkflowEngine.Decide(triage, owned, User("eng", "engineer"), Take("take-ownership"));

        Assert.Contains("assignee: the ticket already has an owner.", Assert.IsType<TransitionRefused>(decision).Problems);
    }

    [Fact]
    public void CanReassign_FollowsTheWorkflowsReassignRule()
    {
        var review = new TicketSnapshotBuilder { Status = "Peer review", Tracker = "Request", AssigneeId = Assignee }.Build();

        Assert.True(WorkflowEngine.CanReassign(TimerReview, review with { Status = "In progress" }, With("staff")));
        Assert.False(WorkflowEngine.CanReassign(TimerReview, review, With("staff")));
        Assert.False(WorkflowEngine.CanReassign(TimerReview, review with { Status = "In progress" }, With("member")));
    }
}
