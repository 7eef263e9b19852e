using System.Globalization;
using LicenseConsole.Web.Cli;
using LicenseConsole.Web.Hosting;
using Serilog;

// Two-stage Serilog: this logger covers start-up until the host's own (configured) logger takes over.
Log.Logger = new LoggerConfiguration()
    .WriteTo.Console(formatProvider: CultureInfo.InvariantCulture)
    .CreateBootstrapLogger();

try
{
    if (OperatorCommands.IsCommand(args))
    {
        return await OperatorCommands.RunAsync(args);
    }

    var builder = WebApplication.CreateBuilder(args);
    builder.AddLicenseConsoleWeb();

    var app = builder.Build();
    await app.InitializeDatabaseAsync();
    app.UseLicenseConsoleWeb();
    await app.RunAsync();
    return 0;
}
catch (Exception exception) when (exception is not HostAbortedException)
{
    Log.Fatal(exception, "LicenseConsole stopped unexpectedly");
    return 1;
}
finally
{
    await Log.CloseAndFlushAsync();
}

/// <summary>The web host's entry point; public so that tests can host it.</summary>
public partial class Program;
