using LicenseConsole.Accounts;
using LicenseConsole.Auditing;
using LicenseConsole.Common;
using LicenseConsole.Data;
using LicenseConsole.Licensing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LicenseConsole.Devices;

/// <summary>Filters of a product's device list; dates are days in the account's time zone.</summary>
public sealed record DeviceFilter(string? DeviceKey = null, DateOnly? ActivatedFrom = null, DateOnly? ActivatedTo = null, DateOnly? ExpiresFrom = null, DateOnly? ExpiresTo = null);

/// <summary>A device as the product detail page lists it.</summary>
public sealed record DeviceRecord(string DeviceKey, DeviceStatus Status, DateTime? ActivatedAt, DateTime? ExpiresAt, bool AutoRenew, int ActivationCount, string? LastDataCenter);

/// <summary>
/// A window of a product's devices in device-key order, read by key rather than by offset so that the
/// millionth device is as quick to reach as the first. <see cref="Count"/> stops at <see cref="DeviceService.CountCap"/>.
/// </summary>
public sealed record DeviceWindow(IReadOnlyList<DeviceRecord> Items, string? NextAfter, string? PreviousBefore, long Count, bool CountCapped);

/// <summary>One license consumed by a device.</summary>
public sealed record ActivationRecord(long Id, ActivationKind Kind, DateTime ActivatedAt, DateTime ExpiresAt, string SpecCode, string DataCenter);

/// <summary>Which of the account's devices the expiring-devices page shows.</summary>
public enum ExpiringStatus
{
    /// <summary>Licensed, with the threshold or fewer days left.</summary>
    Expiring,

    /// <summary>Expired without renewal.</summary>
    Lapsed,
}

/// <summary>Filters of the expiring-devices page.</summary>
public sealed record ExpiringFilter(
    ExpiringStatus Status = ExpiringStatus.Expiring,
    string? ProductName = null,
    string? ProductKey = null,
    string? DeviceKey = null,
    DateOnly? ActivatedFrom = null,
    DateOnly? ActivatedTo = null,
    DateOnly? ExpiresFrom = null,
    DateOnly? ExpiresTo = null);

/// <summary>A device on the expiring-devices page, with what decides its auto-renew switch.</summary>
public sealed record ExpiringDevice(
    string ProductKey, string ProductName, string DeviceKey, DeviceStatus Status, DateTime? ActivatedAt, DateTime? ExpiresAt,
    bool AutoRenew, bool ProductAutoRenew, string? LastDataCenter);

/// <summary>Reads and maintains devices: lists, activation records, the per-device auto-renew switch, deletion.</summary>
public sealed class DeviceService(
    LicenseConsoleDbContext db,
    AccountCalendar calendar,
    AuditTrail audit,
    TimeProvider clock,
    IOptions<LicensingOptions> options)
{
    /// <summary>The devices of a live product of the account, in device-key order.</summary>
    public async Task<Paged<DeviceRecord>> ListAsync(string? productKey, DeviceFilter filter, PageRequest page, CancellationToken cancellationToken = default)
    {
        var product = await RequireProductAsync(productKey, cancellationToken);
        var zone = await calendar.TimeZoneAsync(cancellationToken);
        var activated = AccountCalendar.Range(filter.ActivatedFrom, filter.ActivatedTo, zone, "activatedTo");
        var expires = AccountCalendar.Range(filter.ExpiresFrom, filter.ExpiresTo, zone, "expiresTo");

        var query = db.Devices.Where(d => d.ProductId == product.Id);
        query = WhereDeviceKey(query, Text.RequireFilter(filter.DeviceKey, Keys.MaxKeyLength, "deviceKey"));
        query = WhereActivated(query, activated);
        query = WhereExpires(query, expires);

        var (now, horizon) = Now();
        var total = await query.LongCountAsync(cancellationToken);
        var rows = await query.OrderBy(d => d.DeviceKey)
            .Skip(page.Skip).Take(page.PageSize)
            .Select(d => new { d.DeviceKey, d.ActivatedAt, d.ExpiresAt, d.LapsedAt, d.DeletedAt, d.AutoRenew, d.ActivationCount, d.LastDataCenter })
            .ToListAsync(cancellationToken);
        var items = rows.Select(d => new DeviceRecord(
            d.DeviceKey, DeviceStatuses.Of(d.ExpiresAt, d.LapsedAt, d.DeletedAt, now, horizon),
            d.ActivatedAt, d.ExpiresAt, d.AutoRenew, d.ActivationCount, d.LastDataCenter)).ToList();
        return new Paged<DeviceRecord>(items, page.Page, page.PageSize, total);
    }

    /// <summary>How far the console counts a filtered device list before it says "more than".</summary>
    public const int CountCap = 10_000;

    /// <summary>
    /// The devices after <paramref name="after"/> (or before <paramref name="before"/>) in device-key order:
    /// keyset paging, so a deep page costs what the first does.
    /// </summary>
    public async Task<DeviceWindow> BrowseAsync(string? productKey, DeviceFilter filter, string? after, string? before, int size, CancellationToken cancellationToken = default)
    {
        var product = await RequireProductAsync(productKey, cancellationToken);
        var zone = await calendar.TimeZoneAsync(cancellationToken);
        var activated = AccountCalendar.Range(filter.ActivatedFrom, filter.ActivatedTo, zone, "activatedTo");
        var expires = AccountCalendar.Range(filter.ExpiresFrom, filter.ExpiresTo, zone, "expiresTo");
        var deviceKey = Text.RequireFilter(filter.DeviceKey, Keys.MaxKeyLength, "deviceKey");
        after = Text.RequireFilter(after, Keys.MaxKeyLength, "after");
        before = Text.RequireFilter(before, Keys.MaxKeyLength, "before");
        var query = WhereExpires(WhereActivated(WhereDeviceKey(db.Devices.Where(d => d.ProductId == product.Id), deviceKey), activated), expires);

        var backwards = after is null && before is not null;
        var window = query;
        if (after is not null)
        {
            window = window.Where(d => string.Compare(d.DeviceKey, after) > 0);
        }
        else if (before is not null)
        {
            window = window.Where(d => string.Compare(d.DeviceKey, before) < 0);
        }

        window = backwards ? window.OrderByDescending(d => d.DeviceKey) : window.OrderBy(d => d.DeviceKey);
        var rows = await window.Take(size + 1)
            .Select(d => new { d.DeviceKey, d.ActivatedAt, d.ExpiresAt, d.LapsedAt, d.DeletedAt, d.AutoRenew, d.ActivationCount, d.LastDataCenter })
            .ToListAsync(cancellationToken);
        var more = rows.Count > size;
        rows = [.. rows.Take(size)];
        if (backwards)
        {
            rows.Reverse();
        }

        var (now, horizon) = Now();
        var items = rows.Select(d => new DeviceRecord(
            d.DeviceKey, DeviceStatuses.Of(d.ExpiresAt, d.LapsedAt, d.DeletedAt, now, horizon),
            d.ActivatedAt, d.ExpiresAt, d.AutoRenew, d.ActivationCount, d.LastDataCenter)).ToList();
        // In the list's own order, so the count walks the same index the window does and stops at the cap.
        var count = await query.OrderBy(d => d.DeviceKey).Take(CountCap + 1).LongCountAsync(cancellationToken);

        // Going forward there is a previous window whenever we started after a key; going back, a next one.
        var hasNext = backwards ? items.Count > 0 : more;
        var hasPrevious = backwards ? more : after is not null && items.Count > 0;
        return new DeviceWindow(
            items,
            hasNext && items.Count > 0 ? items[^1].DeviceKey : null,
            hasPrevious ? items[0].DeviceKey : null,
            Math.Min(count, CountCap),
            count > CountCap);
    }

    /// <summary>The product's blacklist: its devices with auto-renew off.</summary>
    public async Task<IReadOnlyList<DeviceRecord>> BlacklistAsync(string? productKey, CancellationToken cancellationToken = default)
    {
        var product = await RequireProductAsync(productKey, cancellationToken);
        var (now, horizon) = Now();
        var rows = await db.Devices.Where(d => d.ProductId == product.Id && !d.AutoRenew).OrderBy(d => d.DeviceKey).Take(1000)
            .Select(d => new { d.DeviceKey, d.ActivatedAt, d.ExpiresAt, d.LapsedAt, d.DeletedAt, d.AutoRenew, d.ActivationCount, d.LastDataCenter })
            .ToListAsync(cancellationToken);
        return [.. rows.Select(d => new DeviceRecord(d.DeviceKey, DeviceStatuses.Of(d.ExpiresAt, d.LapsedAt, d.DeletedAt, now, horizon),
            d.ActivatedAt, d.ExpiresAt, d.AutoRenew, d.ActivationCount, d.LastDataCenter))];
    }

    /// <summary>One device of a live product of the account.</summary>
    public async Task<DeviceRecord> RequireAsync(string? productKey, string? deviceKey, CancellationToken cancellationToken = default)
    {
        var product = await RequireProductAsync(productKey, cancellationToken);
        var key = Keys.NormalizeLookup(deviceKey) ?? throw Refusals.DeviceNotFound.Error();
        var (now, horizon) = Now();
        var d = await db.Devices.Where(d => d.ProductId == product.Id && d.DeviceKey == key)
            .Select(d => new { d.DeviceKey, d.ActivatedAt, d.ExpiresAt, d.LapsedAt, d.DeletedAt, d.AutoRenew, d.ActivationCount, d.LastDataCenter })
            .SingleOrDefaultAsync(cancellationToken)
            ?? throw Refusals.DeviceNotFound.Error();
        return new DeviceRecord(d.DeviceKey, DeviceStatuses.Of(d.ExpiresAt, d.LapsedAt, d.DeletedAt, now, horizon),
            d.ActivatedAt, d.ExpiresAt, d.AutoRenew, d.ActivationCount, d.LastDataCenter);
    }

    /// <summary>A device's activation records, newest first.</summary>
    public async Task<Paged<ActivationRecord>> ActivationsAsync(string? productKey, string? deviceKey, PageRequest page, CancellationToken cancellationToken = default)
    {
        var deviceId = await RequireDeviceIdAsync(productKey, deviceKey, cancellationToken);
        var query = db.Activations.Where(a => a.DeviceId == deviceId);
        var total = await query.LongCountAsync(cancellationToken);
        var items = await query.OrderByDescending(a => a.ActivatedAt)
            .Skip(page.Skip).Take(page.PageSize)
            .Select(a => new ActivationRecord(a.Id, a.Kind, a.ActivatedAt, a.ExpiresAt, a.SpecCode, a.DataCenter))
            .ToListAsync(cancellationToken);
        return new Paged<ActivationRecord>(items, page.Page, page.PageSize, total);
    }

    /// <summary>
    /// Turns a device's auto-renew on or off (off puts it on the product's blacklist). Refused while the
    /// product's own switch is off (SPEC rule 10).
    /// </summary>
    public async Task SetAutoRenewAsync(string? productKey, string? deviceKey, bool enabled, CancellationToken cancellationToken = default)
    {
        var product = await RequireProductAsync(productKey, cancellationToken);
        var device = await RequireDeviceAsync(product.Id, deviceKey, cancellationToken);
        if (!product.AutoRenew)
        {
            throw Refusals.ProductAutoRenewOff.Error();
        }

        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var changed = await db.Devices
                .Where(d => d.Id == device.Id && db.Products.Any(p => p.Id == product.Id && p.AutoRenew && p.DeletedAt == null))
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.AutoRenew, enabled), cancellationToken);
            if (changed == 0)
            {
                // The product's switch went off (or the product away) since we looked.
                await transaction.RollbackAsync(cancellationToken);
                throw Refusals.ProductAutoRenewOff.Error();
            }

            audit.Record(product.AccountId, AuditActions.DeviceAutoRenew, $"{product.ProductKey}/{device.DeviceKey}",
                new { autoRenew = device.AutoRenew }, new { autoRenew = enabled }, product.Id);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        });
    }

    /// <summary>Deletes a device. Nothing is returned to the pool (SPEC rule 7). Deleting twice is harmless.</summary>
    public async Task DeleteAsync(string? productKey, string? deviceKey, CancellationToken cancellationToken = default)
    {
        var product = await RequireProductAsync(productKey, cancellationToken);
        var device = await RequireDeviceAsync(product.Id, deviceKey, cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;

        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var deleted = await db.Devices.Where(d => d.Id == device.Id && d.DeletedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.DeletedAt, now), cancellationToken);
            if (deleted == 1)
            {
                audit.Record(product.AccountId, AuditActions.DeviceDelete, $"{product.ProductKey}/{device.DeviceKey}", new { device.ExpiresAt }, null, product.Id);
                await db.SaveChangesAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        });
    }

    /// <summary>The account's devices expiring within the threshold (or lapsed), soonest expiry first.</summary>
    public async Task<Paged<ExpiringDevice>> ExpiringAsync(ExpiringFilter filter, PageRequest page, CancellationToken cancellationToken = default)
    {
        var query = await ExpiringQueryAsync(filter, cancellationToken);
        var total = await query.LongCountAsync(cancellationToken);
        var rows = await ProjectExpiring(query.OrderBy(x => x.Device.ExpiresAt).ThenBy(x => x.Device.Id).Skip(page.Skip).Take(page.PageSize))
            .ToListAsync(cancellationToken);
        return new Paged<ExpiringDevice>(rows, page.Page, page.PageSize, total);
    }

    /// <summary>
    /// Every row of the expiring-devices search, streamed (for exports of any size). The filter is checked
    /// here, before the first row is read, so a refusal comes before anything is written.
    /// </summary>
    public async Task<IAsyncEnumerable<ExpiringDevice>> StreamExpiringAsync(ExpiringFilter filter, CancellationToken cancellationToken = default)
    {
        var query = await ExpiringQueryAsync(filter, cancellationToken);
        return ProjectExpiring(query.OrderBy(x => x.Device.ExpiresAt).ThenBy(x => x.Device.Id)).AsNoTracking().AsAsyncEnumerable();
    }

    private async Task<IQueryable<DeviceWithProduct>> ExpiringQueryAsync(ExpiringFilter filter, CancellationToken cancellationToken)
    {
        var zone = await calendar.TimeZoneAsync(cancellationToken);
        var activated = AccountCalendar.Range(filter.ActivatedFrom, filter.ActivatedTo, zone, "activatedTo");
        var expires = AccountCalendar.Range(filter.ExpiresFrom, filter.ExpiresTo, zone, "expiresTo");
        var (now, horizon) = Now();

        var devices = db.Devices.Where(d => d.DeletedAt == null);
        devices = filter.Status == ExpiringStatus.Lapsed
            ? devices.Where(d => d.LapsedAt != null)
            : devices.Where(d => d.ExpiresAt > now && d.ExpiresAt <= horizon);
        devices = WhereDeviceKey(devices, Text.RequireFilter(filter.DeviceKey, Keys.MaxKeyLength, "deviceKey"));
        devices = WhereActivated(devices, activated);
        devices = WhereExpires(devices, expires);

        var products = db.Products.Where(p => p.DeletedAt == null);
        if (!string.IsNullOrWhiteSpace(filter.ProductKey))
        {
            // A product key names one product: one the account does not have is not found, not an empty list.
            var key = Keys.NormalizeLookup(filter.ProductKey);
            if (key is null || !await db.Products.AnyAsync(p => p.ProductKey == key, cancellationToken))
            {
                throw Refusals.ProductNotFound.Error();
            }

            products = products.Where(p => p.ProductKey == key);
        }

        if (Text.RequireFilter(filter.ProductName, Products.ProductService.MaxNameLength, "productName")?.ToLower() is { } name)
        {
            products = products.Where(p => p.Name.ToLower().Contains(name));
        }

        return devices.Join(products, d => d.ProductId, p => p.Id, (d, p) => new DeviceWithProduct { Device = d, Product = p! });
    }

    private IQueryable<ExpiringDevice> ProjectExpiring(IQueryable<DeviceWithProduct> query)
    {
        var (now, horizon) = Now();
        return query.Select(x => new ExpiringDevice(
            x.Product.ProductKey, x.Product.Name, x.Device.DeviceKey,
            x.Device.ExpiresAt > horizon ? DeviceStatus.Valid
                : x.Device.ExpiresAt > now ? DeviceStatus.Expiring
                : x.Device.LapsedAt != null ? DeviceStatus.Lapsed
                : DeviceStatus.Expired,
            x.Device.ActivatedAt, x.Device.ExpiresAt, x.Device.AutoRenew, x.Product.AutoRenew, x.Device.LastDataCenter));
    }

    private (DateTime Now, DateTime Horizon) Now()
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return (now, now.AddDays(options.Value.ExpiringThresholdDays));
    }

    private static IQueryable<Device> WhereDeviceKey(IQueryable<Device> query, string? deviceKey)
    {
        if (deviceKey is null)
        {
            return query;
        }

        // A prefix match: a full key finds its device, a partial key its neighbours, and the index serves both.
        var key = Keys.Normalize(deviceKey);
        return query.Where(d => d.DeviceKey.StartsWith(key));
    }

    private static IQueryable<Device> WhereActivated(IQueryable<Device> query, UtcRange range)
    {
        if (range.From is { } from)
        {
            query = query.Where(d => d.ActivatedAt >= from);
        }

        if (range.Until is { } until)
        {
            query = query.Where(d => d.ActivatedAt < until);
        }

        return query;
    }

    private static IQueryable<Device> WhereExpires(IQueryable<Device> query, UtcRange range)
    {
        if (range.From is { } from)
        {
            query = query.Where(d => d.ExpiresAt >= from);
        }

        if (range.Until is { } until)
        {
            query = query.Where(d => d.ExpiresAt < until);
        }

        return query;
    }

    private async Task<ProductRef> RequireProductAsync(string? productKey, CancellationToken cancellationToken)
    {
        var key = Keys.NormalizeLookup(productKey) ?? throw Refusals.ProductNotFound.Error();
        return await db.Products
            .Where(p => p.ProductKey == key && p.DeletedAt == null)
            .Select(p => new ProductRef(p.Id, p.AccountId, p.ProductKey, p.AutoRenew))
            .SingleOrDefaultAsync(cancellationToken)
            ?? throw Refusals.ProductNotFound.Error();
    }

    private async Task<DeviceRef> RequireDeviceAsync(long productId, string? deviceKey, CancellationToken cancellationToken)
    {
        var key = Keys.NormalizeLookup(deviceKey) ?? throw Refusals.DeviceNotFound.Error();
        return await db.Devices
            .Where(d => d.ProductId == productId && d.DeviceKey == key)
            .Select(d => new DeviceRef(d.Id, d.DeviceKey, d.AutoRenew, d.ExpiresAt))
            .SingleOrDefaultAsync(cancellationToken)
            ?? throw Refusals.DeviceNotFound.Error();
    }

    private async Task<long> RequireDeviceIdAsync(string? productKey, string? deviceKey, CancellationToken cancellationToken)
    {
        var product = await RequireProductAsync(productKey, cancellationToken);
        return (await RequireDeviceAsync(product.Id, deviceKey, cancellationToken)).Id;
    }

    private sealed record ProductRef(long Id, Guid AccountId, string ProductKey, bool AutoRenew);

    private sealed record DeviceRef(long Id, string DeviceKey, bool AutoRenew, DateTime? ExpiresAt);

    private sealed class DeviceWithProduct
    {
        public required Device Device { get; init; }
        public required Products.Product Product { get; init; }
    }
}
