using TicketPortal.Domain.Sla;

namespace TicketPortal.Tests.Domain;

public class SlaClockTests
{
    private static readonly BusinessCalendar Utc = BusinessCalendar.Default;

    private static readonly BusinessCalendar Berlin = Utc with
    {
        TimeZone = "Europe/Berlin",
        Holidays = [new DateOnly(2026, 12, 25), new DateOnly(2026, 12, 26)],
    };

    private static DateTimeOffset At(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.Zero);

    private static readonly SlaPolicy ThreeDays = new() { Name = "resolution", Kind = SlaKind.Resolution, Days = 3 };

    [Theory]
    [InlineData(11, 23, 10, 2, 11, 23, 12)]
    [InlineData(11, 23, 16, 2, 11, 24, 10)]
    [InlineData(11, 27, 16, 2, 11, 30, 10)]
    [InlineData(11, 28, 12, 1, 11, 30, 10)]
    [InlineData(11, 23, 7, 1, 11, 23, 10)]
    [InlineData(11, 23, 18, 2, 11, 24, 11)]
    public void Add_CountsOnlyWorkingHours_SkippingNightsAndWeekends(int month, int day, int hour, int hours, int dueMonth, int dueDay, int dueHour)
    {
        var due = Utc.Add(At(month, day, hour), TimeSpan.FromHours(hours));

        Assert.Equal(At(dueMonth, dueDay, dueHour), due);
    }

    [Fact]
    public void Add_SkipsHolidays()
    {
        var due = Berlin.Add(new DateTimeOffset(2026, 12, 24, 16, 0, 0, TimeSpan.FromHours(1)), TimeSpan.FromHours(2));

        Assert.Equal(new DateTimeOffset(2026, 12, 28, 10, 0, 0, TimeSpan.FromHours(1)), due);
    }

    [Fact]
    public void Add_FollowsTheLocalWorkingDayAcrossTheDstChange()
    {
        var fridayBeforeSpring = new DateTimeOffset(2026, 3, 27, 16, 0, 0, TimeSpan.FromHours(1));
        var fridayBeforeAutumn = new DateTimeOffset(2026, 10, 23, 16, 0, 0, TimeSpan.FromHours(2));

        var afterSpring = Berlin.Add(fridayBeforeSpring, TimeSpan.FromHours(2));
        var afterAutumn = Berlin.Add(fridayBeforeAutumn, TimeSpan.FromHours(2));

        Assert.Equal(new DateTimeOffset(2026, 3, 30, 10, 0, 0, TimeSpan.FromHours(2)), afterSpring);
        Assert.Equal(new DateTimeOffset(2026, 10, 26, 10, 0, 0, TimeSpan.FromHours(1)), afterAutumn);
    }

    [Fact]
    public void Between_IsTheInverseOfAdd()
    {
        var start = At(11, 20, 15, 30);

        foreach (var hours in new[] { 0.5, 1, 7.5, 8, 9, 40, 41 })
        {
            var due = Berlin.Add(start, TimeSpan.FromHours(hours));
            Assert.Equal(TimeSpan.FromHours(hours), Berlin.Between(start, due));
            Assert.Equal(-TimeSpan.FromHours(hours), Berlin.Between(due, start));
        }
    }

    [Fact]
    public void Compute_ThreeBusinessDays_CountsDownAndBreachesAfterTheDueTime()
    {
        var input = new SlaInput(At(11, 20, 9), null, [], TimeSpan.Zero);

        var monday = SlaClock.Compute(ThreeDays, Utc, input, At(11, 23, 9));
        var late = SlaClock.Compute(ThreeDays, Utc, input, At(11, 25, 10));

        Assert.Equal(At(11, 24, 17), monday.DueAt);
        Assert.Equal(TimeSpan.FromHours(16), monday.Remaining);
        Assert.False(monday.Breached);
        Assert.True(late.Breached);
        Assert.Equal(TimeSpan.FromHours(-1), late.Remaining);
    }

    [Fact]
    public void Compute_WaitingPausesTheClock_AndTheDueTimeMovesByThePause()
    {
        var ongoing = new SlaInput(At(11, 23, 9), null, [new Interval(At(11, 23, 13), null)], TimeSpan.Zero);
        var finished = ongoing with { Pauses = [new Interval(At(11, 23, 13), At(11, 24, 13))] };

        var pausedMonday = SlaClock.Compute(ThreeDays, Utc, ongoing, At(11, 23, 15));
        var pausedTuesday = SlaClock.Compute(ThreeDays, Utc, ongoing, At(11, 24, 15));
        var resumed = SlaClock.Compute(ThreeDays, Utc, finished, At(11, 24, 15));

        Assert.True(pausedMonday.Paused);
        Assert.Equal(pausedMonday.Remaining, pausedTuesday.Remaining);
        Assert.False(resumed.Paused);
        Assert.Equal(At(11, 26, 17), resumed.DueAt);
    }

    [Fact]
    public void Compute_AnExtensionMovesTheDueTime()
    {
        var input = new SlaInput(At(11, 23, 9), null, [], TimeSpan.FromHours(8));

        var state = SlaClock.Compute(ThreeDays, Utc, input, At(11, 23, 9));

        Assert.Equal(At(11, 26, 17), state.DueAt);
    }

    [Fact]
    public void Compute_AMetClockStopsAndKeepsWhetherItWasInTime()
    {
        var policy = new SlaPolicy { Name = "first-response", Kind = SlaKind.FirstResponse, Hours = 4 };

        var inTime = SlaClock.Compute(policy, Utc, new SlaInput(At(11, 23, 9), At(11, 23, 11), [], TimeSpan.Zero), At(11, 30, 9));
        var late = SlaClock.Compute(policy, Utc, new SlaInput(At(11, 23, 9), At(11, 23, 15), [], TimeSpan.Zero), At(11, 30, 9));

        Assert.True(inTime.Met);
        Assert.False(inTime.Breached);
        Assert.Equal(TimeSpan.FromHours(2), inTime.Remaining);
        Assert.True(late.Breached);
        Assert.Equal(TimeSpan.FromHours(-2), late.Remaining);
    }

    [Theory]
    [InlineData("Request", "High", true)]
    [InlineData("Incident", "High", false)]
    [InlineData("Request", "Low", false)]
    public void Policy_AppliesToItsTrackersAndPriorities(string tracker, string priority, bool applies)
    {
        var policy = new SlaPolicy { Name = "x", Kind = SlaKind.Resolution, Trackers = ["Request"], Priorities = ["High", "Urgent"] };

        Assert.Equal(applies, policy.AppliesTo(tracker, priority));
    }
}
