using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LicenseConsole.IntegrationTests.Infrastructure;

/// <summary>What a host runs as it starts (ValidateOnStart), on the services one part of the app registers.</summary>
public static class StartUpValidation
{
    /// <summary>Registers the services with these settings, validates as the host would, and returns the error it must raise.</summary>
    public static OptionsValidationException Failure(IDictionary<string, string?> settings, Func<IServiceCollection, IServiceCollection> register)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var services = register(new ServiceCollection().AddSingleton<IConfiguration>(configuration)).BuildServiceProvider();
        return Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());
    }
}
