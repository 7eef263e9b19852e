using LicenseConsole.Accounts;
using LicenseConsole.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace LicenseConsole.Licensing;

/// <summary>
/// Contexts for the ledger's own transactions (device connections, renewals), acting for the whole platform. On
/// PostgreSQL they use a data source of their own, <see cref="DatabaseServiceCollectionExtensions.CreateLedgerDataSource"/>.
/// </summary>
public sealed class LedgerContextFactory(DbContextOptions<LicenseConsoleDbContext> options, NpgsqlDataSource? dataSource)
{
    public LicenseConsoleDbContext Create()
    {
        var tenant = new TenantContext();
        tenant.ActForPlatform("ledger");
        return new LicenseConsoleDbContext(options, tenant);
    }

    /// <summary>After the server went away the idle connections are all dead: drop them rather than hand them out.</summary>
    public void ForgetConnections() => dataSource?.Clear();
}
