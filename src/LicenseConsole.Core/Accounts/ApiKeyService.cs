using System.Security.Cryptography;
using System.Text;
using LicenseConsole.Auditing;
using LicenseConsole.Common;
using LicenseConsole.Data;
using Microsoft.EntityFrameworkCore;

namespace LicenseConsole.Accounts;

/// <summary>An API key as listed (never the key itself).</summary>
public sealed record ApiKeyRecord(
    long Id, string Name, string Prefix, AccessRole Role, IReadOnlyList<string>? ProductKeys, DateTime CreatedAt, string CreatedBy, DateTime? LastUsedAt, DateTime? RevokedAt);

/// <summary>A freshly minted key: <see cref="Key"/> is shown once and never stored.</summary>
public sealed record MintedApiKey(ApiKeyRecord Record, string Key);

/// <summary>The account an API key acts for, and what it may do there.</summary>
public sealed record ApiKeyIdentity(long Id, Guid AccountId, string Name, CallerAccess Access);

/// <summary>Account API keys for scripts: minted with 256 random bits, stored as a SHA-256 hash, revocable.</summary>
public sealed class ApiKeyService(LicenseConsoleDbContext db, ProductScopes scopes, AuditTrail audit, TimeProvider clock)
{
    public const string KeyPrefix = "lck_";
    public const int MaxNameLength = 100;

    // Last-used times are written at most this often per key, so a busy script does not write on every call.
    private static readonly TimeSpan LastUsedGranularity = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Mints a key for <paramref name="accountId"/> with <paramref name="role"/> (admin when not given), limited to
    /// <paramref name="productKeys"/> (every product when none). Platform callers name any account, others only their own.
    /// </summary>
    public async Task<MintedApiKey> CreateAsync(
        Guid accountId, string? name, string? role = null, IReadOnlyCollection<string?>? productKeys = null, CancellationToken cancellationToken = default)
    {
        if (!db.Tenant.IsPlatform && db.Tenant.AccountId != accountId)
        {
            throw Refusals.AccountNotFound.Error();
        }

        var trimmed = Text.RequireName(name, MaxNameLength, "name", new Words("key name", "密钥名称"));
        var given = role is null ? AccessRole.Admin : Rights.ParseGiven(role) ?? throw Refusals.RoleInvalid.Error();
        if (!await db.Accounts.AnyAsync(a => a.Id == accountId, cancellationToken))
        {
            throw Refusals.AccountNotFound.Error();
        }

        var scope = await scopes.ResolveAsync(accountId, productKeys, cancellationToken);
        var key = KeyPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        var apiKey = new ApiKey
        {
            AccountId = accountId,
            Name = trimmed,
            Prefix = key[..12],
            Hash = Hash(key),
            Role = given,
            LimitedToProducts = scope.Limited,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
            CreatedBy = db.Tenant.Actor,
        };
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            db.ApiKeys.Add(apiKey);
            await db.SaveChangesAsync(cancellationToken);
            scopes.GrantToKey(accountId, apiKey, scope);
            audit.Record(accountId, AuditActions.ApiKeyCreate, apiKey.Prefix, null,
                new { name = trimmed, prefix = apiKey.Prefix, role = Rights.Name(given), productKeys = scope.ProductKeys });
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        });
        return new MintedApiKey(new ApiKeyRecord(apiKey.Id, apiKey.Name, apiKey.Prefix, apiKey.Role, scope.ProductKeys, apiKey.CreatedAt, apiKey.CreatedBy, null, null), key);
    }

    /// <summary>Mints a key for the account in scope.</summary>
    public Task<MintedApiKey> CreateAsync(string? name, string? role = null, IReadOnlyCollection<string?>? productKeys = null, CancellationToken cancellationToken = default) =>
        CreateAsync(db.Tenant.RequireAccountId(), name, role, productKeys, cancellationToken);

    /// <summary>The live key matching <paramref name="key"/>, or null. Compares hashes, never keys.</summary>
    public async Task<ApiKeyIdentity?> AuthenticateAsync(string key, CancellationToken cancellationToken = default)
    {
        if (!key.StartsWith(KeyPrefix, StringComparison.Ordinal) || key.Length > 100)
        {
            return null;
        }

        // Authentication runs before any tenant is known: the key itself names the account.
        var hash = Hash(key);
        var found = await db.ApiKeys.IgnoreQueryFilters()
            .Where(k => k.Hash == hash && k.RevokedAt == null)
            .Select(k => new { k.Id, k.AccountId, k.Name, k.LastUsedAt, k.Role, k.LimitedToProducts })
            .SingleOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            return null;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        if (found.LastUsedAt is null || found.LastUsedAt < now - LastUsedGranularity)
        {
            await db.ApiKeys.IgnoreQueryFilters().Where(k => k.Id == found.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now), cancellationToken);
        }

        IReadOnlyList<long>? products = null;
        if (found.LimitedToProducts)
        {
            products = await db.ProductGrants.IgnoreQueryFilters().Where(g => g.ApiKeyId == found.Id).Select(g => g.ProductId).ToListAsync(cancellationToken);
        }

        return new ApiKeyIdentity(found.Id, found.AccountId, found.Name, CallerAccess.ForKey(found.Id, found.Role, products));
    }

    public async Task<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken = default)
    {
        var keys = await db.ApiKeys.OrderByDescending(k => k.CreatedAt).ToListAsync(cancellationToken);
        var granted = await scopes.OfKeysAsync([.. keys.Where(k => k.LimitedToProducts).Select(k => k.Id)], cancellationToken);
        return [.. keys.Select(k => new ApiKeyRecord(
            k.Id, k.Name, k.Prefix, k.Role, k.LimitedToProducts ? [.. granted[k.Id]] : null, k.CreatedAt, k.CreatedBy, k.LastUsedAt, k.RevokedAt))];
    }

    public async Task RevokeAsync(long id, CancellationToken cancellationToken = default)
    {
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == id, cancellationToken)
            ?? throw Refusals.ApiKeyNotFound.Error();
        if (key.RevokedAt is not null)
        {
            return;
        }

        key.RevokedAt = clock.GetUtcNow().UtcDateTime;
        audit.Record(key.AccountId, AuditActions.ApiKeyRevoke, key.Prefix, new { name = key.Name }, new { revoked = true });
        await db.SaveChangesAsync(cancellationToken);
    }

    internal static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
