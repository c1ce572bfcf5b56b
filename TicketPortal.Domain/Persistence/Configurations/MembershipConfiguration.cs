using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TicketPortal.Domain.People;
using TicketPortal.Domain.Tickets;

namespace TicketPortal.Domain.Persistence.Configurations;

internal sealed class MembershipConfiguration : IEntityTypeConfiguration<Membership>
{
    public void Configure(EntityTypeBuilder<Membership> builder)
    {
        builder.HasIndex(m => new { m.ProjectId, m.UserId, m.Role }).IsUnique();
        builder.HasIndex(m => m.UserId);
        builder.Property(m => m.Role).HasMaxLength(100);
        builder.HasOne<Project>().WithMany().HasForeignKey(m => m.ProjectId);
        builder.HasOne(m => m.User).WithMany().HasForeignKey(m => m.UserId);
    }
}
