namespace LicenseConsole.BrowserTests.Infrastructure;

/// <summary>
/// Full-page screenshots of the console with real data, under stable names: always into the test output's
/// screenshots/ folder, and into docs/screenshots/ of the repository when LICENSECONSOLE_UPDATE_SCREENSHOTS=1.
/// With LICENSECONSOLE_SCREENSHOT_TOUR=1 the layout tests also keep every page they check, at every width and in
/// both languages, in screenshots/tour/: the pictures to look over after a change to the pages.
/// </summary>
public static class Screenshots
{
    public const string UpdateVariable = "LICENSECONSOLE_UPDATE_SCREENSHOTS";

    public static string OutputDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public static string DocsDirectory { get; } = Path.Combine(ConsoleFixture.RepositoryRoot, "docs", "screenshots");

    public static bool UpdateDocs => Environment.GetEnvironmentVariable(UpdateVariable) == "1";

    public static bool Tour => Environment.GetEnvironmentVariable("LICENSECONSOLE_SCREENSHOT_TOUR") == "1";

    /// <summary>Keeps the page as the tour's picture of the page <paramref name="name"/> at its width in its language (only on a tour).</summary>
    public static async Task TourAsync(IPage page, string name, string language)
    {
        if (!Tour)
        {
            return;
        }

        var width = page.ViewportSize?.Width ?? 0;
        var file = Path.Combine(OutputDirectory, "tour", $"{string.Concat(name.Select(c => char.IsLetterOrDigit(c) ? c : '_'))}.{width}.{language}.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { FullPage = true, Animations = ScreenshotAnimations.Disabled, Path = file });
    }

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
