namespace LicenseConsole.BrowserTests.Infrastructure;

/// <summary>
/// Full-page screenshots of the console with real data, under stable names: always into the test output's
/// screenshots/ folder, and into docs/screenshots/ of the repository when LICENSECONSOLE_UPDATE_SCREENSHOTS=1.
/// </summary>
public static class Screenshots
{
    public const string UpdateVariable = "LICENSECONSOLE_UPDATE_SCREENSHOTS";

    public static string OutputDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public static string DocsDirectory { get; } = Path.Combine(ConsoleFixture.RepositoryRoot, "docs", "screenshots");

    public static bool UpdateDocs => Environment.GetEnvironmentVariable(UpdateVariable) == "1";

    public static async Task SaveAsync(IPage page, string fileName)
    {
        var image = await page.ScreenshotAsync(new PageScreenshotOptions
        {
            FullPage = true,
            Animations = ScreenshotAnimations.Disabled,
            Path = Path.Combine(OutputDirectory, fileName),
        });
        if (UpdateDocs)
        {
            Directory.CreateDirectory(DocsDirectory);
            await File.WriteAllBytesAsync(Path.Combine(DocsDirectory, fileName), image, TestContext.Current.CancellationToken);
        }
    }
}
