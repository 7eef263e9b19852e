using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using LicenseConsole.Common;
using LicenseConsole.Web.Api;
using LicenseConsole.Web.Tenancy;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace LicenseConsole.Web.Hosting;

/// <summary>
/// Configuration section <c>RateLimiting</c>: how many requests a client may make in a minute before it is
/// answered 429 with a Retry-After header.
/// </summary>
public sealed class RateLimitingOptions
{
    public const string Section = "RateLimiting";

    /// <summary>Sign-in form posts per client address: slows password guessing beyond what the lockout of one user does.</summary>
    [Range(1, int.MaxValue)]
    public int SignInPermitsPerMinute { get; set; } = 10;

    /// <summary>API calls per account, its API keys and its signed-in users together.</summary>
    [Range(1, int.MaxValue)]
    public int ApiPermitsPerMinute { get; set; } = 600;

    /// <summary>
    /// API calls per client address without a valid credential (no key, or a wrong one). Once they are spent,
    /// the address's API keys are refused too until the minute is over, so a refusal tells a guesser nothing.
    /// </summary>
    [Range(1, int.MaxValue)]
    public int AnonymousApiPermitsPerMinute { get; set; } = 30;

    /// <summary>Test emails one user may send per hour (each goes to every recipient).</summary>
    [Range(1, int.MaxValue)]
    public int TestEmailsPerUserPerHour { get; set; } = 3;

    /// <summary>Test emails one account may send per hour, all its users together.</summary>
    [Range(1, int.MaxValue)]
    public int TestEmailsPerAccountPerHour { get; set; } = 10;
}

/// <summary>
/// Holds the test-email button to a few presses per user and per account an hour: each press mails every
/// recipient, addresses anyone with the recipients right can add.
/// </summary>
public sealed class TestEmailThrottle : IDisposable
{
    private static readonly TimeSpan Window = TimeSpan.FromHours(1);
    private readonly PartitionedRateLimiter<(Guid Account, string User)> _limiter;

    public TestEmailThrottle(IOptions<RateLimitingOptions> options)
    {
        var limits = options.Value;
        _limiter = PartitionedRateLimiter.CreateChained(
            PartitionedRateLimiter.Create<(Guid Account, string User), (Guid, string)>(caller =>
                RateLimitPartition.GetFixedWindowLimiter(caller, _ => Hourly(limits.TestEmailsPerUserPerHour))),
            PartitionedRateLimiter.Create<(Guid Account, string User), Guid>(caller =>
                RateLimitPartition.GetFixedWindowLimiter(caller.Account, _ => Hourly(limits.TestEmailsPerAccountPerHour))));
    }

    /// <summary>Takes one press of <paramref name="user"/> in <paramref name="account"/>, or refuses it (429) with the wait.</summary>
    public void Take(Guid account, string user)
    {
        using var lease = _limiter.AttemptAcquire((account, user));
        if (!lease.IsAcquired)
        {
            var wait = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : Window;
            throw Refusals.TestEmailLimited.Error(("minutes", Math.Max(1, (int)Math.Ceiling(wait.TotalMinutes))));
        }
    }

    public void Dispose() => _limiter.Dispose();

    private static FixedWindowRateLimiterOptions Hourly(int permits) =>
        new() { PermitLimit = permits, Window = Window, QueueLimit = 0, AutoReplenishment = true };
}

/// <summary>
/// Rate limits with ASP.NET Core's limiter: the sign-in post per client address, the API per account (per
/// client address for callers without a valid credential). Platform keys (gateway, billing) are trusted
/// infrastructure and not limited.
/// </summary>
public static class RateLimiting
{
    public const string SignInPolicy = "sign-in";

    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    public static IServiceCollection AddLicenseConsoleRateLimiting(this IServiceCollection services)
    {
        services.AddOptions<RateLimitingOptions>()
            .BindConfiguration(RateLimitingOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddRateLimiter(_ => { });
        services.AddSingleton<TestEmailThrottle>();
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitingOptions>>((o, limits) =>
        {
            var options = limits.Value;
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.GlobalLimiter = new ApiRateLimiter(options.ApiPermitsPerMinute, options.AnonymousApiPermitsPerMinute);
            o.AddPolicy(SignInPolicy, context => RateLimitPartition.GetFixedWindowLimiter(ClientAddress(context), _ => FixedWindow(options.SignInPermitsPerMinute)));
            o.OnRejected = RejectAsync;
        });
        return services;
    }

    /// <summary>
    /// The client's address as a partition key. IPv6 clients are counted per /64 network: one host usually
    /// holds a whole /64 and could otherwise take a fresh address for every request.
    /// </summary>
    internal static string ClientAddress(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress;
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var bytes = address.GetAddressBytes();
            Array.Clear(bytes, 8, 8);
            address = new IPAddress(bytes);
        }

        return address.ToString();
    }

    internal static FixedWindowRateLimiterOptions FixedWindow(int permits) =>
        new() { PermitLimit = permits, Window = Window, QueueLimit = 0, AutoReplenishment = true };

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : Window;
        context.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        if (WebHostingExtensions.IsApi(context))
        {
            await ApiProblems.WriteAsync(context, ApiProblems.Of(Refusals.RateLimited));
        }

        // A page request is answered with an empty 429: the status code pages show the console's error page for it.
    }

    /// <summary>
    /// The API's limiter, a partitioned limiter of its own because one rule spans two partitions: a request with
    /// an account key is counted against its account, but refused while its client address has spent its
    /// allowance of calls without a valid credential. Otherwise a guesser past the limit would still tell a right
    /// key (200) from a wrong one (429) at full speed.
    /// </summary>
    private sealed class ApiRateLimiter(int accountPermits, int anonymousPermits) : PartitionedRateLimiter<HttpContext>
    {
        private readonly PartitionedRateLimiter<HttpContext> _accounts = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            RateLimitPartition.GetFixedWindowLimiter(context.User.FindFirst(ConsoleClaims.AccountId)?.Value ?? "", _ => FixedWindow(accountPermits)));

        private readonly PartitionedRateLimiter<HttpContext> _addresses = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            RateLimitPartition.GetFixedWindowLimiter(ClientAddress(context), _ => FixedWindow(anonymousPermits)));

        private enum Caller
        {
            NotLimited,
            Anonymous,
            AccountKey,
            SignedIn,
        }

        public override RateLimiterStatistics? GetStatistics(HttpContext resource) => Classify(resource) switch
        {
            Caller.Anonymous => _addresses.GetStatistics(resource),
            Caller.AccountKey or Caller.SignedIn => _accounts.GetStatistics(resource),
            _ => null,
        };

        protected override RateLimitLease AttemptAcquireCore(HttpContext resource, int permitCount)
        {
            switch (Classify(resource))
            {
                case Caller.Anonymous:
                    return _addresses.AttemptAcquire(resource, permitCount);
                case Caller.AccountKey:
                    // Zero permits: a look at the address's allowance that spends none of it.
                    var address = _addresses.AttemptAcquire(resource, 0);
                    if (!address.IsAcquired)
                    {
                        return address;
                    }

                    address.Dispose();
                    return _accounts.AttemptAcquire(resource, permitCount);
                case Caller.SignedIn:
                    return _accounts.AttemptAcquire(resource, permitCount);
                default:
                    return Granted.Lease;
            }
        }

        // Nothing waits in a queue: an acquisition succeeds or fails at once.
        protected override ValueTask<RateLimitLease> AcquireAsyncCore(HttpContext resource, int permitCount, CancellationToken cancellationToken) =>
            ValueTask.FromResult(AttemptAcquireCore(resource, permitCount));

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _accounts.Dispose();
                _addresses.Dispose();
            }

            base.Dispose(disposing);
        }

        private static Caller Classify(HttpContext context)
        {
            if (!WebHostingExtensions.IsApi(context))
            {
                return Caller.NotLimited;
            }

            var user = context.User;
            if (user.Identity?.IsAuthenticated != true)
            {
                return Caller.Anonymous;
            }

            if (user.HasClaim(ConsoleClaims.Platform, "true"))
            {
                return Caller.NotLimited;
            }

            if (!user.HasClaim(c => c.Type == ConsoleClaims.AccountId))
            {
                return Caller.Anonymous;
            }

            return user.Identity.AuthenticationType == ApiKeyAuthenticationHandler.SchemeName ? Caller.AccountKey : Caller.SignedIn;
        }
    }

    private sealed class Granted : RateLimitLease
    {
        public static readonly Granted Lease = new();

        public override bool IsAcquired => true;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}
