using LicenseConsole.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LicenseConsole.Data.Configurations;

internal sealed class DataCenterConfiguration : IEntityTypeConfiguration<DataCenter>
{
    public void Configure(EntityTypeBuilder<DataCenter> builder)
    {
        builder.ToTable("data_centers");
        builder.HasKey(e => e.Code);
        builder.Property(e => e.Code).HasMaxLength(32);
        builder.Property(e => e.Name).HasMaxLength(100);
        builder.Property(e => e.TimeZoneId).HasMaxLength(64);
        builder.HasData(DataCenter.Catalog.Select(d => new DataCenter { Code = d.Code, Name = d.Name, TimeZoneId = d.TimeZoneId }));
    }
}

internal sealed class AccountConfiguration : IEntityTypeConfiguration<Account>
{
    public void Configure(EntityTypeBuilder<Account> builder)
    {
        builder.ToTable("accounts");
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.Property(e => e.OwnerEmail).HasMaxLength(256);
        builder.HasIndex(e => e.OwnerEmail).IsUnique();
        builder.Property(e => e.DataCenterCode).HasMaxLength(32);
        builder.HasOne(e => e.DataCenter).WithMany().HasForeignKey(e => e.DataCenterCode).OnDelete(DeleteBehavior.Restrict);
        builder.Property(e => e.TimeZoneId).HasMaxLength(64);
        builder.Property(e => e.Culture).HasMaxLength(16);
    }
}

internal sealed class ConsoleUserConfiguration : IEntityTypeConfiguration<ConsoleUser>
{
    public void Configure(EntityTypeBuilder<ConsoleUser> builder)
    {
        builder.HasOne(e => e.Account).WithMany().HasForeignKey(e => e.AccountId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(e => e.AccountId);
        builder.Property(e => e.Role).HasConversion<string>().HasMaxLength(16);
    }
}

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> builder)
    {
        builder.ToTable("api_keys");
        builder.Property(e => e.Name).HasMaxLength(100);
        builder.Property(e => e.Prefix).HasMaxLength(16);
        builder.Property(e => e.Hash).HasMaxLength(64);
        builder.HasIndex(e => e.Hash).IsUnique();
        builder.Property(e => e.CreatedBy).HasMaxLength(256);
        builder.HasIndex(e => e.AccountId);
        builder.HasOne<Account>().WithMany().HasForeignKey(e => e.AccountId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(e => e.Role).HasConversion<string>().HasMaxLength(16);
    }
}

internal sealed class ProductGrantConfiguration : IEntityTypeConfiguration<ProductGrant>
{
    public void Configure(EntityTypeBuilder<ProductGrant> builder)
    {
        builder.ToTable("product_grants");
        builder.HasOne<Account>().WithMany().HasForeignKey(e => e.AccountId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Products.Product>().WithMany().HasForeignKey(e => e.ProductId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<ConsoleUser>().WithMany().HasForeignKey(e => e.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<ApiKey>().WithMany().HasForeignKey(e => e.ApiKeyId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(e => new { e.UserId, e.ProductId }).IsUnique();
        builder.HasIndex(e => new { e.ApiKeyId, e.ProductId }).IsUnique();
        builder.HasIndex(e => e.ProductId);
    }
}

internal sealed class SignInSessionConfiguration : IEntityTypeConfiguration<SignInSession>
{
    public void Configure(EntityTypeBuilder<SignInSession> builder)
    {
        builder.ToTable("sign_in_sessions");
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.HasOne<ConsoleUser>().WithMany().HasForeignKey(e => e.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(e => new { e.UserId, e.CreatedAt });
    }
}
