using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TicketPortal.Domain.Mail;

namespace TicketPortal.Domain.Persistence.Configurations;

internal sealed class MailBodyConfiguration : IEntityTypeConfiguration<MailBody>
{
    public void Configure(EntityTypeBuilder<MailBody> builder) => builder.ToTable("MailBodies");
}
