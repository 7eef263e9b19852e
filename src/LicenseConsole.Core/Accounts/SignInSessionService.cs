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
    /// <summary>As long as the sign-in cookie may live without a request (the cookie's own expiry enforces it).</summary>
    public static readonly TimeSpan IdleLifetime = TimeSpan.FromHours(8);

    /// <summary>Open sessions kept per user: a new sign-in beyond them ends the oldest, so abandoned sessions never pile up.</summary>
    public const int MaxSessionsPerUser = 20;

    /// <summary>Starts a session for <paramref name="userId"/>, ending the oldest beyond <see cref="MaxSessionsPerUser"/>.</summary>
    public async Task<Guid> StartAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        var session = new SignInSession { UserId = userId, CreatedAt = clock.GetUtcNow().UtcDateTime };
        db.SignInSessions.Add(session);
        await db.SaveChangesAsync(cancellationToken);
        var kept = db.SignInSessions.Where(s => s.UserId == userId).OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id)
            .Take(MaxSessionsPerUser).Select(s => s.Id);
        await db.SignInSessions.Where(s => s.UserId == userId && !kept.Contains(s.Id)).ExecuteDeleteAsync(cancellationToken);
        return session.Id;
    }

    /// <summary>The caller behind a live session of <paramref name="userId"/>, or null when the session or the user is gone.</summary>
    public async Task<SignedInCaller?> ValidateAsync(Guid sessionId, Guid userId, CancellationToken cancellationToken = default)
    {
        var found = await db.SignInSessions
            .Where(s => s.Id == sessionId && s.UserId == userId)
            .Join(db.Users, s => s.UserId, u => u.Id, (s, u) => new { u.AccountId, u.Email, u.Role, u.MaintainsRecipients, u.LimitedToProducts })
            .SingleOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            return null;
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
