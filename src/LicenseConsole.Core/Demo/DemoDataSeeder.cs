using LicenseConsole.Accounts;
using LicenseConsole.Alerts;
using LicenseConsole.Auditing;
using LicenseConsole.Data;
using LicenseConsole.Devices;
using LicenseConsole.Licensing;
using LicenseConsole.Products;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace LicenseConsole.Demo;

/// <summary>
/// Fills an empty database with a demo account whose history is a consistent ledger: purchases,
/// allocations, and devices in every state (valid, expiring, lapsed, blacklisted, deleted), replayed in
/// time order so that every activation was paid for by the pool that held it at that moment.
/// </summary>
public sealed class DemoDataSeeder(
    LicenseConsoleDbContext db,
    UserManager<ConsoleUser> users,
    TenantContext tenant,
    TimeProvider clock,
    ILogger<DemoDataSeeder> logger)
{
    public const string OwnerEmail = "demo@example.com";
    public const string SubAccountEmail = "ops@example.com";
    public const string Password = "LicenseDemo2026";

    private const string HomeDataCenter = "cn-east";

    public async Task SeedIfEmptyAsync(CancellationToken cancellationToken)
    {
        tenant.ActForPlatform("demo-seed");
        if (await db.Accounts.AnyAsync(cancellationToken))
        {
            return;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var specs = await db.LicenseSpecs.AsNoTracking().ToDictionaryAsync(s => s.Code, cancellationToken);
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var account = await CreateAccountAsync(now);
            await new LedgerReplay(db, account, specs, now).RunAsync(cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        });
        db.ChangeTracker.Clear();

        logger.LogWarning(
            "Seeded the demo account: sign in as {OwnerEmail} (or the sub-account {SubAccountEmail}) with password {Password}",
            OwnerEmail, SubAccountEmail, Password);
    }

    private async Task<Account> CreateAccountAsync(DateTime now)
    {
        var account = new Account
        {
            OwnerEmail = OwnerEmail,
            DataCenterCode = HomeDataCenter,
            TimeZoneId = "Asia/Shanghai",
            Culture = "zh-CN",
            CreatedAt = now.AddDays(-420),
        };
        db.Accounts.Add(account);
        await db.SaveChangesAsync();

        foreach (var (email, isOwner) in new[] { (OwnerEmail, true), (SubAccountEmail, false) })
        {
            var user = new ConsoleUser
            {
                Id = Guid.NewGuid(),
                AccountId = account.Id,
                IsOwner = isOwner,
                UserName = email,
                Email = email,
                EmailConfirmed = true,
                CreatedAt = account.CreatedAt,
            };
            var result = await users.CreateAsync(user, Password);
            if (!result.Succeeded)
            {
                throw new InvalidOperationException("Demo user not created: " + string.Join(" ", result.Errors.Select(e => e.Description)));
            }
        }

        db.AlertRecipients.Add(new AlertRecipient
        {
            AccountId = account.Id,
            Name = "Li Wei",
            Email = "li.wei@example.com",
            CreatedAt = now.AddDays(-300),
            CreatedBy = OwnerEmail,
        });
        return account;
    }

    /// <summary>Replays a scripted history event by event, as the live system would have recorded it.</summary>
    private sealed class LedgerReplay(LicenseConsoleDbContext db, Account account, IReadOnlyDictionary<string, LicenseSpec> specs, DateTime now)
    {
        private readonly Dictionary<string, UnallocatedPool> _unallocated = [];
        private readonly PriorityQueue<Action, (DateTime At, long Sequence)> _events = new();
        private readonly Random _random = new(20260301);
        private long _sequence;

        public async Task RunAsync(CancellationToken cancellationToken)
        {
            Buy("DEMO-1001", "STD-1Y", 400, -410);
            Buy("DEMO-1002", "STD-2Y", 150, -250);
            Buy("DEMO-1003", "STD-1Y", 100, -20);

            var meter = AddProduct("pkdemometer", "Smart Meter", -405);
            Allocate(meter, "STD-1Y", 160, -400);
            Allocate(meter, "STD-1Y", 40, -25);
            AddDevices(meter, "meter", count: 150, firstDay: -398, lastDay: -2, blacklistEvery: 25, deleteEvery: 40, foreignEvery: 12);

            var purifier = AddProduct("pkdemopurifier", "Air Purifier", -260);
            BuyForProduct("DEMO-1004", purifier, "STD-2Y", 80, -255);
            Allocate(purifier, "STD-2Y", 30, -100);
            AddDevices(purifier, "purifier", count: 70, firstDay: -250, lastDay: -5, blacklistEvery: 0, deleteEvery: 30, foreignEvery: 0);

            // A product whose pool ran dry: devices lapse at expiry and more expire within 30 days.
            var plug = AddProduct("pkdemoplug", "Smart Plug", -380);
            Allocate(plug, "STD-1Y", 24, -375);
            AddDevices(plug, "plug", count: 24, firstDay: -372, lastDay: -300, blacklistEvery: 0, deleteEvery: 0, foreignEvery: 0);

            // Auto-renew switched off for the whole product: its expired devices lapse.
            var doorLock = AddProduct("pkdemolock", "Door Lock", -390);
            doorLock.AutoRenew = false;
            Allocate(doorLock, "STD-1Y", 30, -388);
            AddDevices(doorLock, "lock", count: 20, firstDay: -385, lastDay: -320, blacklistEvery: 0, deleteEvery: 0, foreignEvery: 0);

            var gateway = AddProduct("pkdemogateway", "Legacy Gateway", -400);
            Allocate(gateway, "STD-1Y", 20, -395);
            AddDevices(gateway, "gw", count: 8, firstDay: -390, lastDay: -200, blacklistEvery: 0, deleteEvery: 0, foreignEvery: 0);
            At(-60, () =>
            {
                gateway.DeletedAt = now.AddDays(-60);
                Audit(-60, "product.delete", gateway.ProductKey, new { gateway.Pool!.Total, gateway.Pool.Used }, null);
            });

            AddProduct("pkdemosensor", "Water Sensor", -10);

            // Device ids are needed by their activations.
            await db.SaveChangesAsync(cancellationToken);
            while (_events.TryDequeue(out var apply, out _))
            {
                apply();
            }
        }

        private DateTime Day(int offsetDays, int minutes = 0) => now.Date.AddDays(offsetDays).AddHours(2).AddMinutes(minutes);

        private void At(int offsetDays, Action apply) => Schedule(Day(offsetDays), apply);

        private void Schedule(DateTime at, Action apply) => _events.Enqueue(apply, (at, _sequence++));

        private void Buy(string orderId, string spec, int quantity, int day) => At(day, () =>
        {
            db.Purchases.Add(new Purchase { OrderId = orderId, AccountId = account.Id, SpecCode = spec, Quantity = quantity, CreatedAt = Day(day) });
            if (!_unallocated.TryGetValue(spec, out var pool))
            {
                pool = new UnallocatedPool { AccountId = account.Id, SpecCode = spec };
                _unallocated[spec] = pool;
                db.UnallocatedPools.Add(pool);
            }

            pool.Quantity += quantity;
        });

        private void BuyForProduct(string orderId, Product product, string spec, int quantity, int day) => At(day, () =>
        {
            product.SpecCode = spec;
            product.Pool!.Total += quantity;
            db.Purchases.Add(new Purchase
            {
                OrderId = orderId, AccountId = account.Id, SpecCode = spec, Quantity = quantity, CreatedAt = Day(day), ProductId = product.Id,
            });
        });

        private Product AddProduct(string key, string name, int day)
        {
            var product = new Product
            {
                AccountId = account.Id,
                ProductKey = key,
                Name = name,
                CreatedAt = Day(day),
                Pool = new ProductPool { AccountId = account.Id },
            };
            db.Products.Add(product);
            return product;
        }

        private void Allocate(Product product, string spec, int quantity, int day) => At(day, () =>
        {
            _unallocated[spec].Quantity -= quantity;
            product.SpecCode = spec;
            product.Pool!.Total += quantity;
            db.Allocations.Add(new Allocation
            {
                AccountId = account.Id, ProductId = product.Id, SpecCode = spec, Quantity = quantity, CreatedAt = Day(day), CreatedBy = OwnerEmail,
            });
            Audit(day, "allocation.create", product.ProductKey, null, new { spec, quantity });
        });

        private void Audit(int day, string action, string subject, object? before, object? after) =>
            db.AuditEntries.Add(new AuditEntry
            {
                AccountId = account.Id,
                At = Day(day),
                Actor = OwnerEmail,
                Action = action,
                Subject = subject,
                Before = before is null ? null : System.Text.Json.JsonSerializer.Serialize(before),
                After = after is null ? null : System.Text.Json.JsonSerializer.Serialize(after),
            });

        private void AddDevices(Product product, string prefix, int count, int firstDay, int lastDay, int blacklistEvery, int deleteEvery, int foreignEvery)
        {
            for (var i = 1; i <= count; i++)
            {
                var day = firstDay + (int)((long)(lastDay - firstDay) * (i - 1) / Math.Max(1, count - 1));
                var connectedAt = Day(day, _random.Next(0, 600));
                var device = new Device
                {
                    AccountId = account.Id,
                    Product = product,
                    DeviceKey = $"{prefix}-{i:D4}",
                    CreatedAt = connectedAt,
                    AutoRenew = blacklistEvery == 0 || i % blacklistEvery != 0,
                };
                db.Devices.Add(device);
                var dataCenter = foreignEvery > 0 && i % foreignEvery == 0 ? "ap-southeast" : HomeDataCenter;
                Schedule(connectedAt, () => Connect(product, device, connectedAt, dataCenter));
                if (deleteEvery > 0 && i % deleteEvery == 0)
                {
                    var deleteAt = Day(Math.Min(-1, day + 30));
                    Schedule(deleteAt, () => device.DeletedAt = deleteAt);
                }
            }
        }

        private void Connect(Product product, Device device, DateTime at, string dataCenter)
        {
            device.LastDataCenter = dataCenter;
            device.LastConnectedAt = at;
            device.FirstActivatedAt = at;
            Consume(product, device, at, ActivationKind.First);
        }

        private void Consume(Product product, Device device, DateTime start, ActivationKind kind)
        {
            var pool = product.Pool!;
            if (pool.Used >= pool.Total)
            {
                // Only renewals reach an empty pool in this script; the license lapses where it ended.
                device.LapsedAt = start;
                device.LapseReason = LapseReason.NoLicense;
                return;
            }

            var spec = specs[product.SpecCode!];
            var end = spec.PeriodEnd(start);
            pool.Used++;
            device.ActivatedAt = start;
            device.ExpiresAt = end;
            device.LapsedAt = null;
            device.LapseReason = null;
            device.ActivationCount++;
            db.Activations.Add(new Activation
            {
                AccountId = account.Id,
                ProductId = product.Id,
                DeviceId = device.Id,
                SpecCode = spec.Code,
                ActivatedAt = start,
                ExpiresAt = end,
                Kind = kind,
                DataCenter = device.LastDataCenter ?? HomeDataCenter,
                RecordedAt = start,
            });

            if (end <= now)
            {
                // The license ran out before today: renew where it ended, or lapse.
                Schedule(end, () => Expire(product, device, end));
            }
        }

        private void Expire(Product product, Device device, DateTime end)
        {
            if (device.DeletedAt is not null || product.DeletedAt is not null)
            {
                return;
            }

            if (product.AutoRenew && device.AutoRenew)
            {
                Consume(product, device, end, ActivationKind.Renewal);
            }
            else
            {
                device.LapsedAt = end;
                device.LapseReason = LapseReason.AutoRenewOff;
            }
        }
    }
}
