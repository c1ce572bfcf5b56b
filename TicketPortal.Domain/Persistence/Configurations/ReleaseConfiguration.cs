using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TicketPortal.Domain.Releases;
using TicketPortal.Domain.Tickets;

namespace TicketPortal.Domain.Persistence.Configurations;

internal sealed class ReleaseConfiguration : IEntityTypeConfiguration<Release>
{
    public void Configure(EntityTypeBuilder<Release> builder)
    {
        // One docs space holds one page and one tag per version, so a version is unique across projects.
        builder.HasIndex(r => r.Version).IsUnique();
        builder.HasIndex(r => new { r.ProjectId, r.State });
        builder.HasOne<Project>().WithMany().HasForeignKey(r => r.ProjectId);
        builder.Property(r => r.Version).HasMaxLength(100);
        builder.Property(r => r.Name).HasMaxLength(Release.MaxNameLength);
        builder.Property(r => r.State).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.CommitSha).HasMaxLength(40);
        builder.Property(r => r.Revision).IsConcurrencyToken();
        builder.OwnsMany(r => r.Items, item =>
        {
            item.WithOwner().HasForeignKey("ReleaseId");
            item.HasKey(i => i.Id);
            item.HasIndex("ReleaseId", nameof(ReleaseItem.TicketNumber)).IsUnique();
            item.HasIndex(i => i.TicketNumber);
            item.ToTable("ReleaseItems");
        });
        builder.Navigation(r => r.Items).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}
