using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using LicenseConsole.Accounts;
using LicenseConsole.Common;
using LicenseConsole.Web.Tenancy;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace LicenseConsole.Web.Api;

/// <summary>
/// Authenticates the <c>X-Api-Key</c> header: a platform key from configuration (gateway, billing) or an
/// account key minted in the console. Failures answer 401 problem+json; the key is never logged.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    PlatformKeys platformKeys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";

    /// <summary>A key's principal is named "api-key:" and its name, in audit entries and allocation records.</summary>
    public const string NamePrefix = "api-key:";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(HeaderName, out var values) || values.Count != 1 || string.IsNullOrEmpty(values[0]))
        {
            return AuthenticateResult.NoResult();
        }

        var presented = values[0]!;
        if (platformKeys.Matches(presented))
        {
            return Success([new Claim(ClaimTypes.Name, "platform"), new Claim(ConsoleClaims.Platform, "true")]);
        }

        // Resolved here, not injected: the gateway's platform-key calls need no database context.
        var keys = Context.RequestServices.GetRequiredService<ApiKeyService>();
        var identity = await keys.AuthenticateAsync(presented, Context.RequestAborted);
        if (identity is null)
        {
            return AuthenticateResult.Fail("The API key is not valid.");
        }

        return AuthenticateResult.Success(new AuthenticationTicket(
            CallerPrincipal.Create(SchemeName, identity.AccountId, NamePrefix + identity.Name, identity.Access), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) => RefuseAsync(Refusals.Unauthorized);

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) => RefuseAsync(Refusals.EndpointForbidden);

    /// <summary>The API's problem; a page asked for with a key gets the bare status, which the console's error page answers.</summary>
    private Task RefuseAsync(Refusal refusal)
    {
        if (Hosting.WebHostingExtensions.IsApi(Context))
        {
            return ApiProblems.WriteAsync(Context, ApiProblems.Of(refusal));
        }

        Context.Response.StatusCode = refusal.Status;
        return Task.CompletedTask;
    }

    private AuthenticateResult Success(Claim[] claims) =>
        AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));
}

/// <summary>The platform's API keys from configuration, hashed once (and again when the configuration changes).</summary>
public sealed class PlatformKeys : IDisposable
{
    private readonly IDisposable? _subscription;
    private volatile byte[][] _hashes;

    public PlatformKeys(IOptionsMonitor<PlatformOptions> platform)
    {
        _hashes = Hash(platform.CurrentValue);
        _subscription = platform.OnChange(o => _hashes = Hash(o));
    }

    public bool Matches(string presented)
    {
        var presentedHash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        var match = false;
        foreach (var configured in _hashes)
        {
            // Compare fixed-length hashes in constant time, so timing tells nothing about the keys.
            match |= CryptographicOperations.FixedTimeEquals(presentedHash, configured);
        }

        return match;
    }

    public void Dispose() => _subscription?.Dispose();

    private static byte[][] Hash(PlatformOptions options) =>
        [.. options.ApiKeys.Where(k => !string.IsNullOrEmpty(k)).Select(k => SHA256.HashData(Encoding.UTF8.GetBytes(k)))];
}
