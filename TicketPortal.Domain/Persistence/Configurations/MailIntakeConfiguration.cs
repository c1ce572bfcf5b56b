using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TicketPortal.Domain.Mail;
using TicketPortal.Domain.People;

namespace TicketPortal.Domain.Persistence.Configurations;

internal sealed class InboundMessageConfiguration : IEntityTypeConfiguration<InboundMessage>
{
    public void Configure(EntityTypeBuilder<InboundMessage> builder)
    {
        builder.HasIndex(m => m.MessageId).IsUnique();
        builder.HasIndex(m => new { m.Outcome, m.Id });
        builder.HasIndex(m => m.TicketNumber);
        builder.Property(m => m.MessageId).HasMaxLength(1000);
        builder.Property(m => m.Project).HasMaxLength(20);
        builder.Property(m => m.From).HasMaxLength(320);
        builder.Property(m => m.Subject).HasMaxLength(500);
        builder.Property(m => m.Reason).HasMaxLength(2000);
    }
}

internal sealed class CustomerConfiguration : IEntityTypeConfiguration<Customer>
{
    public void Configure(EntityTypeBuilder<Customer> builder)
    {
        builder.HasIndex(c => c.UserId).IsUnique();
        builder.HasOne(c => c.User).WithMany().HasForeignKey(c => c.UserId);
        builder.HasOne(c => c.Organisation).WithMany().HasForeignKey(c => c.OrganisationId);
    }
}

internal sealed class OrganisationConfiguration : IEntityTypeConfiguration<Organisation>
{
    public void Configure(EntityTypeBuilder<Organisation> builder)
    {
        builder.HasIndex(o => o.Domain).IsUnique();
        builder.Property(o => o.Domain).HasMaxLength(255);
        builder.Property(o => o.Name).HasMaxLength(200);
    }
}

internal sealed class CustomerLinkConfiguration : IEntityTypeConfiguration<CustomerLink>
{
    public void Configure(EntityTypeBuilder<CustomerLink> builder)
    {
        builder.HasIndex(l => l.Hash).IsUnique();
        builder.HasIndex(l => l.TicketNumber);
        builder.Property(l => l.Hash).HasMaxLength(64);
        builder.HasOne<PortalUser>().WithMany().HasForeignKey(l => l.UserId);
    }
}
