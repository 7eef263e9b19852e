using LicenseConsole.Accounts;
using LicenseConsole.Alerts;
using LicenseConsole.Products;
using LicenseConsole.Renewal;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LicenseConsole.Data.Configurations;

internal sealed class AlertConfiguration : IEntityTypeConfiguration<Alert>
{
    public void Configure(EntityTypeBuilder<Alert> builder)
    {
        builder.ToTable("alerts");
        builder.Property(e => e.Kind).HasConversion<string>().HasMaxLength(16);

        // One alert per product, kind and day: the database refuses a second, whichever instance raises it.
        builder.HasIndex(e => new { e.ProductId, e.Kind, e.Day }).IsUnique();
        builder.HasIndex(e => new { e.AccountId, e.CreatedAt });
        builder.Property(e => e.Subject).HasMaxLength(300);
        builder.HasOne<Account>().WithMany().HasForeignKey(e => e.AccountId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Product>().WithMany().HasForeignKey(e => e.ProductId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class WorkerRunConfiguration : IEntityTypeConfiguration<WorkerRun>
{
    public void Configure(EntityTypeBuilder<WorkerRun> builder)
    {
        builder.ToTable("worker_runs");
        builder.Property(e => e.Instance).HasMaxLength(200);
        builder.Property(e => e.Error).HasMaxLength(2000);
        builder.HasIndex(e => e.StartedAt);
    }
}
