using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TicketPortal.Domain.Git;

namespace TicketPortal.Domain.Persistence.Configurations;

internal sealed class WatchedRepositoryConfiguration : IEntityTypeConfiguration<WatchedRepository>
{
    public void Configure(EntityTypeBuilder<WatchedRepository> builder)
    {
        builder.HasIndex(r => r.Name).IsUnique();
        builder.Property(r => r.Name).HasMaxLength(64);
        builder.Property(r => r.LastError).HasMaxLength(2000);
        builder.Property(r => r.Tips)
            .HasConversion(
                tips => JsonSerializer.Serialize(tips, JsonSerializerOptions.Default),
                json => JsonSerializer.Deserialize<Dictionary<string, string>>(json, JsonSerializerOptions.Default) ?? new Dictionary<string, string>(),
                new ValueComparer<Dictionary<string, string>>(
                    (a, b) => a!.Count == b!.Count && !a.Except(b).Any(),
                    tips => tips.Aggregate(0, (hash, tip) => HashCode.Combine(hash, tip.Key, tip.Value)),
                    tips => new Dictionary<string, string>(tips)));
    }
}
