using LicenseConsole.Accounts;
using LicenseConsole.Licensing;
using LicenseConsole.Products;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LicenseConsole.Data.Configurations;

internal sealed class LicenseSpecConfiguration : IEntityTypeConfiguration<LicenseSpec>
{
    public void Configure(EntityTypeBuilder<LicenseSpec> builder)
    {
        builder.ToTable("license_specs");
        builder.HasKey(e => e.Code);
        builder.Property(e => e.Code).HasMaxLength(32);
        builder.Property(e => e.Name).HasMaxLength(100);
        builder.Property(e => e.ChineseName).HasMaxLength(100);
        builder.Ignore(e => e.Names);
        builder.HasData(LicenseSpec.DefaultCatalog.Select(s => new LicenseSpec { Code = s.Code, Name = s.Name, ChineseName = s.ChineseName, ValidityMonths = s.ValidityMonths }));
    }
}

internal sealed class UnallocatedPoolConfiguration : IEntityTypeConfiguration<UnallocatedPool>
{
    public void Configure(EntityTypeBuilder<UnallocatedPool> builder)
    {
        builder.ToTable("unallocated_pools", t => t.HasCheckConstraint("ck_unallocated_pools_quantity", "quantity >= 0"));
        builder.HasKey(e => new { e.AccountId, e.SpecCode });
        builder.Property(e => e.SpecCode).HasMaxLength(32);
        builder.HasOne<Account>().WithMany().HasForeignKey(e => e.AccountId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<LicenseSpec>().WithMany().HasForeignKey(e => e.SpecCode).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ProductPoolConfiguration : IEntityTypeConfiguration<ProductPool>
{
    public void Configure(EntityTypeBuilder<ProductPool> builder)
    {
        builder.ToTable("product_pools", t =>
        {
            t.HasCheckConstraint("ck_product_pools_used", "used >= 0 AND used <= total");
        });
        builder.HasKey(e => e.ProductId);
        builder.Property(e => e.ProductId).ValueGeneratedNever();
        builder.Ignore(e => e.Remaining);
        builder.HasIndex(e => e.AccountId);
    }
}

internal sealed class PurchaseConfiguration : IEntityTypeConfiguration<Purchase>
{
    public void Configure(EntityTypeBuilder<Purchase> builder)
    {
        builder.ToTable("purchases", t => t.HasCheckConstraint("ck_purchases_quantity", "quantity > 0"));
        builder.Property(e => e.OrderId).HasMaxLength(128);
        builder.HasIndex(e => e.OrderId).IsUnique();
        builder.Property(e => e.SpecCode).HasMaxLength(32);
        builder.HasIndex(e => new { e.AccountId, e.CreatedAt });
        builder.HasIndex(e => e.ProductId);
        builder.HasOne<Account>().WithMany().HasForeignKey(e => e.AccountId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<LicenseSpec>().WithMany().HasForeignKey(e => e.SpecCode).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Product>().WithMany().HasForeignKey(e => e.ProductId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class AllocationConfiguration : IEntityTypeConfiguration<Allocation>
{
    public void Configure(EntityTypeBuilder<Allocation> builder)
    {
        builder.ToTable("allocations", t => t.HasCheckConstraint("ck_allocations_quantity", "quantity > 0"));
        builder.Property(e => e.SpecCode).HasMaxLength(32);
        builder.Property(e => e.CreatedBy).HasMaxLength(256);
        builder.Property(e => e.RequestId).HasMaxLength(64);
        builder.HasIndex(e => new { e.AccountId, e.RequestId }).IsUnique();
        builder.HasIndex(e => new { e.AccountId, e.CreatedAt });
        builder.HasIndex(e => new { e.ProductId, e.CreatedAt });
        builder.HasOne<Account>().WithMany().HasForeignKey(e => e.AccountId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<LicenseSpec>().WithMany().HasForeignKey(e => e.SpecCode).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Product>().WithMany().HasForeignKey(e => e.ProductId).OnDelete(DeleteBehavior.Restrict);
    }
}
