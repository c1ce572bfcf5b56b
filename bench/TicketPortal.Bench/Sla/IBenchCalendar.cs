namespace TicketPortal.Bench.Sla;

/// <summary>What <see cref="BenchSlaClock"/> needs of a calendar, so the bench copies of BusinessCalendar run the domain's clock unchanged.</summary>
public interface IBenchCalendar
{
    TimeSpan WorkingDay { get; }

    DateTimeOffset Add(DateTimeOffset start, TimeSpan duration);

    TimeSpan Between(DateTimeOffset from, DateTimeOffset to);
}
