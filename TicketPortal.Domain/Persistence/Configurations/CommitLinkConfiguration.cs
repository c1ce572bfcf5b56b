using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TicketPortal.Domain.Git;

namespace TicketPortal.Domain.Persistence.Configurations;

internal sealed class CommitLinkConfiguration : IEntityTypeConfiguration<CommitLink>
{
    public void Configure(EntityTypeBuilder<CommitLink> builder)
    {
        // The ledger's promise: one row per logical change, ticket and kind, whatever scans, branches or repositories saw it.
        builder.HasIndex(l => new { l.Sha, l.TicketNumber, l.Kind }).IsUnique();
        builder.HasIndex(l => l.TicketNumber);
        builder.Property(l => l.Kind).HasConversion<string>().HasMaxLength(20);
        builder.Property(l => l.Sha).HasMaxLength(64);
        builder.Property(l => l.SeenSha).HasMaxLength(64);
        builder.HasOne<WatchedRepository>().WithMany().HasForeignKey(l => l.RepositoryId);
    }
}
