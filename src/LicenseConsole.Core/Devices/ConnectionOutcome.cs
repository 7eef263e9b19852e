namespace LicenseConsole.Devices;

/// <summary>What a connection did.</summary>
public enum ConnectionResult
{
    /// <summary>First connection: a license was consumed.</summary>
    Activated,

    /// <summary>The license is valid: nothing was consumed.</summary>
    Valid,

    /// <summary>The license had expired and auto-renew is in effect: a license was consumed.</summary>
    Renewed,

    /// <summary>A deleted device came back within its license's validity: nothing was consumed.</summary>
    Restored,
}

/// <summary>The answer to the gateway: may the device connect, and until when.</summary>
public sealed record ConnectionOutcome(ConnectionResult Result, bool Consumed, DateTime ActivatedAt, DateTime ExpiresAt);
