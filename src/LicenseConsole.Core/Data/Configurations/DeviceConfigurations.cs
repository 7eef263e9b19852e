using LicenseConsole.Devices;
using LicenseConsole.Products;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LicenseConsole.Data.Configurations;

internal sealed class DeviceConfiguration : IEntityTypeConfiguration<Device>
{
    public void Configure(EntityTypeBuilder<Device> builder)
    {
        builder.ToTable("devices");
        builder.Property(e => e.DeviceKey).HasMaxLength(64);
        builder.HasIndex(e => new { e.ProductId, e.DeviceKey }).IsUnique();
        builder.Property(e => e.LastDataCenter).HasMaxLength(32);
        builder.Property(e => e.LapseReason).HasConversion<string>().HasMaxLength(16);
        builder.HasOne(e => e.Product).WithMany().HasForeignKey(e => e.ProductId).OnDelete(DeleteBehavior.Restrict);

        // The product-detail page's expiry-date and activation-date filters. Partial, so that no lookup by product and
        // key can take them for the unique index above: a plan made while the table is empty (every index looks alike
        // then) would otherwise scan a whole product for one device once the product is large.
        builder.HasIndex(e => new { e.ProductId, e.ExpiresAt }).HasFilter("expires_at IS NOT NULL");
        builder.HasIndex(e => new { e.ProductId, e.ActivatedAt }).HasFilter("activated_at IS NOT NULL");

        // The expiring-devices page's device-key search across the account's products.
        builder.HasIndex(e => new { e.AccountId, e.DeviceKey });

        // The account's live devices by expiry: the expiring-devices page, the summary's count and the renewal
        // forecast read only this index (on PostgreSQL the included columns make those index-only scans).
        builder.HasIndex(e => new { e.AccountId, e.ExpiresAt })
            .HasDatabaseName("ix_devices_live_by_expiry")
            .HasFilter("deleted_at IS NULL")
            .IncludeProperties(e => new { e.ProductId, e.AutoRenew, e.LapsedAt });

        // Lapsed devices are few: their own small index answers "how many lapsed" and "which".
        builder.HasIndex(e => new { e.AccountId, e.LapsedAt })
            .HasDatabaseName("ix_devices_lapsed")
            .HasFilter("lapsed_at IS NOT NULL AND deleted_at IS NULL")
            .IncludeProperties(e => new { e.ProductId });

        // A product's blacklist (auto-renew off) is short even when the product holds a million devices.
        builder.HasIndex(e => new { e.ProductId, e.DeviceKey }, "ix_devices_blacklist").HasDatabaseName("ix_devices_blacklist").HasFilter("NOT auto_renew");

        // The renewal worker's queue: licenses that expired and are neither renewed, lapsed nor deleted.
        builder.HasIndex(e => e.ExpiresAt).HasDatabaseName("ix_devices_renewal_queue").HasFilter("lapsed_at IS NULL AND deleted_at IS NULL");
    }
}

internal sealed class ActivationConfiguration : IEntityTypeConfiguration<Activation>
{
    public void Configure(EntityTypeBuilder<Activation> builder)
    {
        builder.ToTable("activations", t => t.HasCheckConstraint("ck_activations_period", "expires_at > activated_at"));
        builder.Property(e => e.SpecCode).HasMaxLength(32);
        builder.Property(e => e.DataCenter).HasMaxLength(32);
        builder.Property(e => e.Kind).HasConversion<string>().HasMaxLength(16);

        // One period per device start: a retried or concurrent renewal of the same period cannot be recorded twice.
        builder.HasIndex(e => new { e.DeviceId, e.ActivatedAt }).IsUnique();
        builder.HasIndex(e => new { e.ProductId, e.ActivatedAt });

        // Renewals recorded lately, per account (the dashboard's worker status); first activations stay out of it.
        builder.HasIndex(e => new { e.AccountId, e.RecordedAt }).HasDatabaseName("ix_activations_renewals").HasFilter("kind = 'Renewal'");
        builder.HasOne<Device>().WithMany().HasForeignKey(e => e.DeviceId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Product>().WithMany().HasForeignKey(e => e.ProductId).OnDelete(DeleteBehavior.Restrict);
    }
}
