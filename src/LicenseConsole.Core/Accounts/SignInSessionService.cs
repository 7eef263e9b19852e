using LicenseConsole.Data;
using Microsoft.EntityFrameworkCore;

namespace LicenseConsole.Accounts;

/// <summary>Who a signed-in browser acts as, read fresh from the database on each request.</summary>
public sealed record SignedInCaller(Guid AccountId, string Email, CallerAccess Access);

/// <summary>
/// The server side of sign-in: a session per signed-in browser, ended by signing out, by a password change
/// and by removing the sub-account, and checked on every request together with the user's current role and
/// products, so every change holds from the next request on, on every instance of the app.
/// </summary>
public sealed class SignInSessionService(LicenseConsoleDbContext db, TimeProvider clock)
{
    /// <summary>As long as the sign-in cookie may live without a request; an idle session older than this is purged.</summary>
    public static readonly TimeSpan IdleLifetime = TimeSpan.FromHours(8);

    // The last-seen time is written at most this often, so browsing does not write on every page.
    private static readonly TimeSpan LastSeenGranularity = TimeSpan.FromMinutes(5);

    /// <summary>Starts a session for <paramref name="userId"/> (and purges sessions idle past the cookie's lifetime).</summary>
    public async Task<Guid> StartAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var idleSince = now - IdleLifetime;
        await db.SignInSessions.Where(s => s.LastSeenAt < idleSince).ExecuteDeleteAsync(cancellationToken);
        var session = new SignInSession { UserId = userId, CreatedAt = now, LastSeenAt = now };
        db.SignInSessions.Add(session);
        await db.SaveChangesAsync(cancellationToken);
        return session.Id;
    }

    /// <summary>The caller behind a live session of <paramref name="userId"/>, or null when the session or the user is gone.</summary>
    public async Task<SignedInCaller?> ValidateAsync(Guid sessionId, Guid userId, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var idleSince = now - IdleLifetime;
        var found = await db.SignInSessions
            .Where(s => s.Id == sessionId && s.UserId == userId && s.LastSeenAt >= idleSince)
            .Join(db.Users, s => s.UserId, u => u.Id, (s, u) => new { s.LastSeenAt, u.AccountId, u.Email, u.Role, u.MaintainsRecipients, u.LimitedToProducts })
            .SingleOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            return null;
        }

        if (found.LastSeenAt < now - LastSeenGranularity)
        {
            await db.SignInSessions.Where(s => s.Id == sessionId).ExecuteUpdateAsync(s => s.SetProperty(x => x.LastSeenAt, now), cancellationToken);
        }

        IReadOnlyList<long>? products = null;
        if (found.LimitedToProducts && found.Role != AccessRole.Owner)
        {
            products = await db.ProductGrants.IgnoreQueryFilters().Where(g => g.UserId == userId).Select(g => g.ProductId).ToListAsync(cancellationToken);
        }

        return new SignedInCaller(found.AccountId, found.Email ?? "", CallerAccess.ForUser(userId, found.Role, found.MaintainsRecipients, products));
    }

    /// <summary>Ends one session (signing out).</summary>
    public Task EndAsync(Guid sessionId, CancellationToken cancellationToken = default) =>
        db.SignInSessions.Where(s => s.Id == sessionId).ExecuteDeleteAsync(cancellationToken);

    /// <summary>Ends every session of <paramref name="userId"/> but <paramref name="except"/> (a password change keeps the browser that made it).</summary>
    public Task EndAllAsync(Guid userId, Guid? except = null, CancellationToken cancellationToken = default) =>
        db.SignInSessions.Where(s => s.UserId == userId && s.Id != except).ExecuteDeleteAsync(cancellationToken);
}
