using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TicketPortal.Domain.People;

namespace TicketPortal.Domain.Persistence.Configurations;

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> builder)
    {
        builder.HasIndex(n => new { n.UserId, n.CreatedAt });
        builder.Property(n => n.Text).HasMaxLength(1000);
        builder.HasOne<PortalUser>().WithMany().HasForeignKey(n => n.UserId);
    }
}
