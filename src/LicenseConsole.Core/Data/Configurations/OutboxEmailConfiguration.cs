using LicenseConsole.Email;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LicenseConsole.Data.Configurations;

internal sealed class OutboxEmailConfiguration : IEntityTypeConfiguration<OutboxEmail>
{
    public void Configure(EntityTypeBuilder<OutboxEmail> builder)
    {
        builder.ToTable("outbox_emails");
        builder.Property(e => e.ToAddress).HasMaxLength(256);
        builder.Property(e => e.ToName).HasMaxLength(100);
        builder.Property(e => e.Subject).HasMaxLength(300);
        builder.Property(e => e.LastError).HasMaxLength(2000);
        builder.HasIndex(e => new { e.SentAt, e.NextAttemptAt });
        builder.HasIndex(e => e.AccountId).HasDatabaseName("ix_outbox_emails_unsent").HasFilter("sent_at IS NULL");
    }
}
