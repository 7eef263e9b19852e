namespace LicenseConsole.Accounts;

/// <summary>
/// One signed-in browser. The sign-in cookie names its session; a cookie whose session is gone (signed out,
/// password changed, sub-account removed) is refused on its next request, on every instance of the app.
/// </summary>
public sealed class SignInSession
{
    public Guid Id { get; init; } = Guid.NewGuid();
    public Guid UserId { get; init; }
    public DateTime CreatedAt { get; init; }
}
