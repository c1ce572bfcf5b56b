using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TicketPortal.Domain.People;
using TicketPortal.Domain.Tickets;

namespace TicketPortal.Domain.Persistence.Configurations;

internal sealed class TicketConfiguration : IEntityTypeConfiguration<Ticket>
{
    public void Configure(EntityTypeBuilder<Ticket> builder)
    {
        builder.HasIndex(t => t.Number).IsUnique();
        // The list query: one project, one status, newest first.
        builder.HasIndex(t => new { t.ProjectId, t.Status, t.UpdatedAt });
        builder.HasIndex(t => new { t.ProjectId, t.UpdatedAt });
        builder.HasIndex(t => t.AssigneeId);
        builder.Property(t => t.Title).HasMaxLength(Ticket.MaxTitleLength);
        builder.Property(t => t.Status).HasMaxLength(100);
        builder.Property(t => t.Tracker).HasMaxLength(100);
        builder.Property(t => t.Priority).HasConversion<string>().HasMaxLength(20);
        builder.Property(t => t.Version).IsConcurrencyToken();
        builder.HasOne(t => t.Project).WithMany().HasForeignKey(t => t.ProjectId);
        builder.HasOne(t => t.Reporter).WithMany().HasForeignKey(t => t.ReporterId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(t => t.Assignee).WithMany().HasForeignKey(t => t.AssigneeId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Group>().WithMany().HasForeignKey(t => t.GroupId).OnDelete(DeleteBehavior.Restrict);

        builder.OwnsMany(t => t.Fields, f =>
        {
            f.ToTable("TicketFields");
            f.WithOwner().HasForeignKey("TicketId");
            f.Property<int>("Id");
            f.HasKey("Id");
            f.Property(x => x.Name).HasMaxLength(100);
        });
        builder.OwnsMany(t => t.Checklist, c =>
        {
            c.ToTable("ChecklistItems");
            c.WithOwner().HasForeignKey("TicketId");
            c.Property(x => x.Id).ValueGeneratedNever();
            c.HasKey("TicketId", nameof(ChecklistItem.Id));
        });
        builder.OwnsMany(t => t.Links, l =>
        {
            l.ToTable("TicketLinks");
            l.WithOwner().HasForeignKey("TicketId");
            l.Property<int>("Id");
            l.HasKey("Id");
            l.Property(x => x.Type).HasConversion<string>().HasMaxLength(20);
            l.HasIndex(x => x.Number);
        });
        builder.OwnsMany(t => t.Attachments, a =>
        {
            a.ToTable("Attachments");
            a.WithOwner().HasForeignKey("TicketId");
            a.HasKey(x => x.Id);
        });
        builder.HasMany(t => t.Journal).WithOne().HasForeignKey(j => j.TicketId);
        builder.Navigation(t => t.Journal).AutoInclude(false);
    }
}
