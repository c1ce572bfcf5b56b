using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TicketPortal.Domain.Tickets;

namespace TicketPortal.Domain.Persistence.Configurations;

internal sealed class JournalEntryConfiguration : IEntityTypeConfiguration<JournalEntry>
{
    public void Configure(EntityTypeBuilder<JournalEntry> builder)
    {
        builder.HasIndex(j => new { j.TicketId, j.At });
        builder.OwnsMany(j => j.Changes, c =>
        {
            c.ToTable("JournalChanges");
            c.WithOwner().HasForeignKey("JournalEntryId");
            c.Property<int>("Id");
            c.HasKey("Id");
            c.Property(x => x.Field).HasMaxLength(200);
        });
    }
}
