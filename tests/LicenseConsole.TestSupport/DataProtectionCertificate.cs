using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace LicenseConsole.TestSupport;

/// <summary>
/// A self-signed certificate (a .pfx in the temp directory, made once per test run) that encrypts the app's
/// data-protection keys, as Production requires; the tests run Production as it must be configured.
/// </summary>
public static class DataProtectionCertificate
{
    private const string Password = "test-data-protection";
    private static readonly Lazy<string> File = new(Create);

    /// <summary>The settings that name the certificate, as configuration keys (section:key).</summary>
    public static IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["DataProtection:Certificate"] = File.Value,
        ["DataProtection:CertificatePassword"] = Password,
    };

    private static string Create()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=LicenseConsole test data protection", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(5));
        var path = Path.Combine(Path.GetTempPath(), $"licenseconsole-dp-{Environment.ProcessId}-{Guid.NewGuid():N}.pfx");
        System.IO.File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, Password));
        return path;
    }
}
