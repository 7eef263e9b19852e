using System.Security.Cryptography.X509Certificates;
using LicenseConsole.Data;
using Microsoft.AspNetCore.DataProtection;

namespace LicenseConsole.Web.Hosting;

/// <summary>How the data-protection keys (which sign the sign-in cookie) are protected where they are stored.</summary>
public sealed class KeyProtectionOptions
{
    public const string Section = "DataProtection";

    /// <summary>A PKCS#12 (.pfx) file whose certificate encrypts the keys at rest.</summary>
    public string? Certificate { get; set; }

    public string? CertificatePassword { get; set; }

    /// <summary>Lets Production start with keys stored unencrypted (anyone who reads the database could forge sign-ins).</summary>
    public bool AllowUnprotectedKeys { get; set; }
}

public static class KeyProtection
{
    /// <summary>
    /// Keys in the database, so every instance reads the same ring and sign-ins survive restarts; encrypted with a
    /// certificate from configuration. Production refuses to start without one unless explicitly allowed.
    /// </summary>
    public static WebApplicationBuilder AddKeyProtection(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(KeyProtectionOptions.Section).Get<KeyProtectionOptions>() ?? new KeyProtectionOptions();
        var keys = builder.Services.AddDataProtection()
            .SetApplicationName("LicenseConsole")
            .PersistKeysToDbContext<LicenseConsoleDbContext>();
        if (!string.IsNullOrEmpty(options.Certificate))
        {
            keys.ProtectKeysWithCertificate(X509CertificateLoader.LoadPkcs12FromFile(options.Certificate, options.CertificatePassword));
        }
        else if (builder.Environment.IsProduction() && !options.AllowUnprotectedKeys)
        {
            throw new InvalidOperationException(
                "DataProtection:Certificate is not set: in Production the keys that sign sign-in cookies must be encrypted at rest. "
                + "Set DataProtection:Certificate (a .pfx file) and DataProtection:CertificatePassword, or set DataProtection:AllowUnprotectedKeys=true to accept unencrypted keys.");
        }

        return builder;
    }
}
