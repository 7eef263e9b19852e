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
    }
}
