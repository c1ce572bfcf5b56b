using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TicketPortal.Domain.Mail;

namespace TicketPortal.Domain.Persistence.Configurations;

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> builder)
    {
        builder.ToTable("Outbox");
        builder.HasIndex(m => m.MessageId).IsUnique();
        builder.HasIndex(m => new { m.SentAt, m.NextAttemptAt });
        builder.Property(m => m.ToAddress).HasMaxLength(320);
        builder.Property(m => m.ToName).HasMaxLength(200);
        builder.Property(m => m.Subject).HasMaxLength(500);
        builder.Property(m => m.MessageId).HasMaxLength(200);
        builder.Property(m => m.ReplyTo).HasMaxLength(320);
        builder.Property(m => m.InReplyTo).HasMaxLength(1000);
        builder.Property(m => m.LastError).HasMaxLength(2000);
        builder.HasOne(m => m.Body).WithMany().HasForeignKey(m => m.BodyId);
    }
}
