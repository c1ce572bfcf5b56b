using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace TicketPortal.Domain.Persistence;

/// <summary>Stores instants as UTC ticks so they sort and compare in SQL.</summary>
public sealed class DateTimeOffsetTicksConverter() : ValueConverter<DateTimeOffset, long>(
    v => v.UtcTicks,
    v => new DateTimeOffset(v, TimeSpan.Zero));
