using LicenseConsole.Accounts;
using LicenseConsole.Licensing;
using LicenseConsole.Products;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LicenseConsole.Data.Configurations;

internal sealed class ProductConfiguration : IEntityTypeConfiguration<Product>
{
    public void Configure(EntityTypeBuilder<Product> builder)
    {
        builder.ToTable("products");
        builder.Property(e => e.ProductKey).HasMaxLength(64);
        builder.HasIndex(e => e.ProductKey).IsUnique();
        builder.Property(e => e.Name).HasMaxLength(200);
        builder.HasIndex(e => new { e.AccountId, e.Name });
        builder.Property(e => e.SpecCode).HasMaxLength(32);
        builder.HasOne<Account>().WithMany().HasForeignKey(e => e.AccountId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<LicenseSpec>().WithMany().HasForeignKey(e => e.SpecCode).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(e => e.Pool).WithOne().HasForeignKey<ProductPool>(e => e.ProductId).OnDelete(DeleteBehavior.Cascade);
    }
}
