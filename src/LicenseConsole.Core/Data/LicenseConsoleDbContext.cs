using LicenseConsole.Accounts;
using LicenseConsole.Alerts;
using LicenseConsole.Auditing;
using LicenseConsole.Devices;
using LicenseConsole.Email;
using LicenseConsole.Licensing;
using LicenseConsole.Products;
using LicenseConsole.Renewal;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace LicenseConsole.Data;

/// <summary>
/// The one DbContext of the system. Provider-neutral: the provider (PostgreSQL or SQLite) and the
/// migrations assembly are chosen in <see cref="DatabaseServiceCollectionExtensions"/>.
/// </summary>
public sealed class LicenseConsoleDbContext(DbContextOptions<LicenseConsoleDbContext> options, TenantContext tenant)
    : IdentityUserContext<ConsoleUser, Guid>(options), IDataProtectionKeyContext
{
    private readonly TenantContext _tenant = tenant;

    public DbSet<DataCenter> DataCenters => Set<DataCenter>();
    public DbSet<Account> Accounts => Set<Account>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<ProductGrant> ProductGrants => Set<ProductGrant>();
    public DbSet<SignInSession> SignInSessions => Set<SignInSession>();
    public DbSet<LicenseSpec> LicenseSpecs => Set<LicenseSpec>();
    public DbSet<UnallocatedPool> UnallocatedPools => Set<UnallocatedPool>();
    public DbSet<Product> Products => Set<Product>();
    public DbSet<ProductPool> ProductPools => Set<ProductPool>();
    public DbSet<Purchase> Purchases => Set<Purchase>();
    public DbSet<Allocation> Allocations => Set<Allocation>();
    public DbSet<Device> Devices => Set<Device>();
    public DbSet<Activation> Activations => Set<Activation>();
    public DbSet<AlertRecipient> AlertRecipients => Set<AlertRecipient>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<OutboxEmail> OutboxEmails => Set<OutboxEmail>();
    public DbSet<Alert> Alerts => Set<Alert>();
    public DbSet<WorkerRun> WorkerRuns => Set<WorkerRun>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>The tenant this context is scoped to; read by the global query filters at query time.</summary>
    public TenantContext Tenant => _tenant;

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite keeps DateTime as text and hands it back with Kind=Unspecified; everything stored is UTC.
        if (Database.IsSqlite())
        {
            configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
            configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
        }
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(LicenseConsoleDbContext).Assembly);

        builder.Entity<ConsoleUser>().ToTable("users");
        builder.Entity<Microsoft.AspNetCore.Identity.IdentityUserClaim<Guid>>().ToTable("user_claims");
        builder.Entity<Microsoft.AspNetCore.Identity.IdentityUserLogin<Guid>>().ToTable("user_logins");
        builder.Entity<Microsoft.AspNetCore.Identity.IdentityUserToken<Guid>>().ToTable("user_tokens");
        builder.Entity<DataProtectionKey>().ToTable("data_protection_keys");

        // Tenant isolation lives here and only here. A context that acts for no account and not for
        // the platform matches no row, so a forgotten scope shows nothing rather than everything.
        // Accounts and users are not filtered: sign-in must find a user before any tenant is known, and
        // a filtered principal (account) with unfiltered dependents (users) would hide required rows.
        // A caller limited to chosen products sees only them, and what hangs off them, the same way.
        builder.Entity<ApiKey>().HasQueryFilter(e => _tenant.IsPlatform || e.AccountId == _tenant.AccountId);
        builder.Entity<ProductGrant>().HasQueryFilter(e => _tenant.IsPlatform || e.AccountId == _tenant.AccountId);
        builder.Entity<UnallocatedPool>().HasQueryFilter(e => _tenant.IsPlatform || e.AccountId == _tenant.AccountId);
        builder.Entity<Product>().HasQueryFilter(e => _tenant.IsPlatform
            || (e.AccountId == _tenant.AccountId && (_tenant.AllProducts || _tenant.ProductIds.Contains(e.Id))));
        builder.Entity<ProductPool>().HasQueryFilter(e => _tenant.IsPlatform
            || (e.AccountId == _tenant.AccountId && (_tenant.AllProducts || _tenant.ProductIds.Contains(e.ProductId))));
        builder.Entity<Purchase>().HasQueryFilter(e => _tenant.IsPlatform || e.AccountId == _tenant.AccountId);
        builder.Entity<Allocation>().HasQueryFilter(e => _tenant.IsPlatform
            || (e.AccountId == _tenant.AccountId && (_tenant.AllProducts || _tenant.ProductIds.Contains(e.ProductId))));
        builder.Entity<Device>().HasQueryFilter(e => _tenant.IsPlatform
            || (e.AccountId == _tenant.AccountId && (_tenant.AllProducts || _tenant.ProductIds.Contains(e.ProductId))));
        builder.Entity<Activation>().HasQueryFilter(e => _tenant.IsPlatform
            || (e.AccountId == _tenant.AccountId && (_tenant.AllProducts || _tenant.ProductIds.Contains(e.ProductId))));
        builder.Entity<AlertRecipient>().HasQueryFilter(e => _tenant.IsPlatform || e.AccountId == _tenant.AccountId);
        builder.Entity<AuditEntry>().HasQueryFilter(e => _tenant.IsPlatform
            || (e.AccountId == _tenant.AccountId && (_tenant.AllProducts || (e.ProductId != null && _tenant.ProductIds.Contains(e.ProductId.Value)))));
        builder.Entity<OutboxEmail>().HasQueryFilter(e => _tenant.IsPlatform || e.AccountId == _tenant.AccountId);
        builder.Entity<Alert>().HasQueryFilter(e => _tenant.IsPlatform
            || (e.AccountId == _tenant.AccountId && (_tenant.AllProducts || _tenant.ProductIds.Contains(e.ProductId))));
    }
}
