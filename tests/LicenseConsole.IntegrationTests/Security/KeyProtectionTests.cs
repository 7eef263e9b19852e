using LicenseConsole.IntegrationTests.Infrastructure;
using LicenseConsole.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;

namespace LicenseConsole.IntegrationTests.Security;

/// <summary>The keys that sign sign-in cookies are encrypted where they are stored; Production refuses to run with them in the clear.</summary>
public sealed class KeyProtectionTests(SecurityHosts hosts) : IClassFixture<SecurityHosts>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void AddKeyProtection_ProductionWithoutACertificate_FailsNamingTheSetting()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddKeyProtection());

        Assert.Contains("DataProtection:Certificate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_ProductionWithACertificate_StoresTheKeyEncrypted()
    {
        var host = hosts.Shared("production", h => h.Start("Production"));
        var account = await TestAccounts.CreateAsync(host.Services);
        using var client = SecurityHosts.Client(host, SecurityHosts.Https);

        Assert.Equal(System.Net.HttpStatusCode.Redirect, (await client.SignInAsync(account.OwnerEmail, TestAccounts.Password)).StatusCode);

        await using var db = hosts.Database.CreatePlatformContext();
        var keys = await db.DataProtectionKeys.Select(k => k.Xml).ToListAsync(Ct);
        Assert.NotEmpty(keys);
        Assert.All(keys, xml =>
        {
            Assert.True(xml!.Contains("<encryptedSecret", StringComparison.Ordinal), xml);
            Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal);
        });
    }
}

/// <summary>Production may be told to accept unencrypted keys (its own database: the key it makes at start-up is in the clear).</summary>
public sealed class UnprotectedKeysTests(SecurityHosts hosts) : IClassFixture<SecurityHosts>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Start_ProductionAllowedUnprotectedKeys_Starts()
    {
        var host = hosts.Start("Production", new Dictionary<string, string?> { ["DataProtection:Certificate"] = "", ["DataProtection:AllowUnprotectedKeys"] = "true" });
        using var client = SecurityHosts.Client(host, SecurityHosts.Https);

        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync("/health", Ct)).StatusCode);
    }
}
