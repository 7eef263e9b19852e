using LicenseConsole.Accounts;
using LicenseConsole.Alerts;
using LicenseConsole.Auditing;
using LicenseConsole.Data;
using LicenseConsole.Devices;
using LicenseConsole.Licensing;
using LicenseConsole.Products;
using LicenseConsole.Renewal;
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
    ILedgerWriter ledger,
    TimeProvider clock,
    ILogger<DemoDataSeeder> logger)
{
    public const string OwnerEmail = "demo@example.com";
    public const string AdminEmail = "admin@example.com";
    public const string SubAccountEmail = "ops@example.com";
    public const string ViewerEmail = "viewer@example.com";
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
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var account = await CreateAccountAsync(now);
            await new LedgerReplay(db, ledger, account, now).RunAsync(cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        });
        db.ChangeTracker.Clear();

        logger.LogInformation(
            "Seeded the demo account: sign in as {OwnerEmail} (or the sub-accounts {AdminEmail} admin, {SubAccountEmail} operator, {ViewerEmail} viewer) with password {Password}",
            OwnerEmail, AdminEmail, SubAccountEmail, ViewerEmail, Password);
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

        foreach (var (email, role) in new[] { (OwnerEmail, AccessRole.Owner), (AdminEmail, AccessRole.Admin), (SubAccountEmail, AccessRole.Operator), (ViewerEmail, AccessRole.Viewer) })
        {
            var user = new ConsoleUser
            {
                Id = Guid.NewGuid(),
                AccountId = account.Id,
                Role = role,
                MaintainsRecipients = role != AccessRole.Viewer,
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

    /// <summary>
    /// Replays a scripted history event by event, as the live system would have recorded it: purchases and
    /// allocations fill the pools, and every license is taken through the ledger writer at the moment of its
    /// event (first connections as the gateway's are, expiries as the worker's renewals are).
    /// </summary>
    private sealed class LedgerReplay(LicenseConsoleDbContext db, ILedgerWriter ledger, Account account, DateTime now)
    {
        private readonly PriorityQueue<Func<CancellationToken, Task>, (DateTime At, long Sequence)> _events = new();
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
            var doorLock = AddProduct("pkdemolock", "Door Lock", -390, autoRenew: false);
            Allocate(doorLock, "STD-1Y", 30, -388);
            AddDevices(doorLock, "lock", count: 20, firstDay: -385, lastDay: -320, blacklistEvery: 0, deleteEvery: 0, foreignEvery: 0);

            var gateway = AddProduct("pkdemogateway", "Legacy Gateway", -400);
            Allocate(gateway, "STD-1Y", 20, -395);
            AddDevices(gateway, "gw", count: 8, firstDay: -390, lastDay: -200, blacklistEvery: 0, deleteEvery: 0, foreignEvery: 0);
            At(-60, async ct =>
            {
                var pool = await db.ProductPools.AsNoTracking().SingleAsync(pp => pp.ProductId == gateway.Id, ct);
                await db.Products.Where(p => p.Id == gateway.Id).ExecuteUpdateAsync(u => u.SetProperty(p => p.DeletedAt, Day(-60)), ct);
                Audit(-60, "product.delete", gateway.ProductKey, new { pool.Total, pool.Used }, null);
            });

            AddProduct("pkdemosensor", "Water Sensor", -10);

            await db.SaveChangesAsync(cancellationToken);
            while (_events.TryDequeue(out var apply, out _))
            {
                await apply(cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
            }
        }

        private DateTime Day(int offsetDays, int minutes = 0) => now.Date.AddDays(offsetDays).AddHours(2).AddMinutes(minutes);

        private void At(int offsetDays, Func<CancellationToken, Task> apply) => Schedule(Day(offsetDays), apply);

        private void Schedule(DateTime at, Func<CancellationToken, Task> apply) => _events.Enqueue(apply, (at, _sequence++));

        private void Buy(string orderId, string spec, int quantity, int day) => At(day, async ct =>
        {
            db.Purchases.Add(new Purchase { OrderId = orderId, AccountId = account.Id, SpecCode = spec, Quantity = quantity, CreatedAt = Day(day) });
            var added = await db.UnallocatedPools.Where(u => u.AccountId == account.Id && u.SpecCode == spec)
                .ExecuteUpdateAsync(u => u.SetProperty(x => x.Quantity, x => x.Quantity + quantity), ct);
            if (added == 0)
            {
                db.UnallocatedPools.Add(new UnallocatedPool { AccountId = account.Id, SpecCode = spec, Quantity = quantity });
            }
        });

        private void BuyForProduct(string orderId, Product product, string spec, int quantity, int day) => At(day, async ct =>
        {
            await FillAsync(product, spec, quantity, ct);
            db.Purchases.Add(new Purchase
            {
                OrderId = orderId, AccountId = account.Id, SpecCode = spec, Quantity = quantity, CreatedAt = Day(day), ProductId = product.Id,
            });
        });

        private Product AddProduct(string key, string name, int day, bool autoRenew = true)
        {
            var product = new Product
            {
                AccountId = account.Id,
                ProductKey = key,
                Name = name,
                AutoRenew = autoRenew,
                CreatedAt = Day(day),
                Pool = new ProductPool { AccountId = account.Id },
            };
            db.Products.Add(product);
            return product;
        }

        private void Allocate(Product product, string spec, int quantity, int day) => At(day, async ct =>
        {
            await db.UnallocatedPools.Where(u => u.AccountId == account.Id && u.SpecCode == spec)
                .ExecuteUpdateAsync(u => u.SetProperty(x => x.Quantity, x => x.Quantity - quantity), ct);
            await FillAsync(product, spec, quantity, ct);
            db.Allocations.Add(new Allocation
            {
                AccountId = account.Id, ProductId = product.Id, SpecCode = spec, Quantity = quantity, CreatedAt = Day(day), CreatedBy = OwnerEmail,
            });
            Audit(day, "allocation.create", product.ProductKey, null, new { spec, quantity });
        });

        private async Task FillAsync(Product product, string spec, int quantity, CancellationToken cancellationToken)
        {
            await db.Products.Where(p => p.Id == product.Id).ExecuteUpdateAsync(u => u.SetProperty(p => p.SpecCode, spec), cancellationToken);
            await db.ProductPools.Where(pp => pp.ProductId == product.Id)
                .ExecuteUpdateAsync(u => u.SetProperty(pp => pp.Total, pp => pp.Total + quantity), cancellationToken);
        }

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
                var key = $"{prefix}-{i:D4}";
                var dataCenter = foreignEvery > 0 && i % foreignEvery == 0 ? "ap-southeast" : HomeDataCenter;
                var blacklisted = blacklistEvery > 0 && i % blacklistEvery == 0;
                Schedule(connectedAt, ct => ConnectAsync(product, key, dataCenter, blacklisted, connectedAt, ct));
                if (deleteEvery > 0 && i % deleteEvery == 0)
                {
                    var deleteAt = Day(Math.Min(-1, day + 30));
                    Schedule(deleteAt, ct => db.Devices.Where(d => d.ProductId == product.Id && d.DeviceKey == key)
                        .ExecuteUpdateAsync(u => u.SetProperty(d => d.DeletedAt, deleteAt), ct));
                }
            }
        }

        /// <summary>A device's first connection, settled as the gateway's are.</summary>
        private async Task ConnectAsync(Product product, string key, string dataCenter, bool blacklisted, DateTime at, CancellationToken cancellationToken)
        {
            var request = new ConnectionRequest(product.ProductKey, key, dataCenter);
            var plan = ConnectionPlanner.Plan([request], await ledger.ReadConnectionsAsync(db, [request], cancellationToken), at);
            var answer = ConnectionPlanner.Settle(plan, await ledger.WriteAsync(db, plan.Work, at, cancellationToken), at)[0];
            if (blacklisted)
            {
                await db.Devices.Where(d => d.ProductId == product.Id && d.DeviceKey == key)
                    .ExecuteUpdateAsync(u => u.SetProperty(d => d.AutoRenew, false), cancellationToken);
            }

            if (answer?.Outcome is { } outcome && outcome.ExpiresAt <= now)
            {
                Schedule(outcome.ExpiresAt, ExpireAsync(outcome.ExpiresAt));
            }
        }

        /// <summary>The worker's run at the moment a license ends: renewals where the pool holds licenses, lapses where not.</summary>
        private Func<CancellationToken, Task> ExpireAsync(DateTime end) => async cancellationToken =>
        {
            var due = await ledger.ReadRenewalsDueAsync(db, end, 1000, cancellationToken);
            var work = RenewalPlanner.Plan(due);
            var result = await ledger.WriteAsync(db, work, end, cancellationToken);
            for (var i = 0; i < work.Grants.Count; i++)
            {
                var renewedUntil = work.Grants[i].End;
                if (result.Grants[i] == GrantResult.Consumed && renewedUntil <= now)
                {
                    Schedule(renewedUntil, ExpireAsync(renewedUntil));
                }
            }
        };
    }
}
