using System.Text;

namespace LicenseConsole.Web.Ui;

/// <summary>
/// Writes CSV straight to the response as rows arrive: nothing is held in memory beyond one buffer, so an
/// export of a million rows costs what one of ten does. Cells that a spreadsheet would run as a formula
/// are defused.
/// </summary>
public static class CsvExport
{
    private static readonly UTF8Encoding Utf8WithBom = new(encoderShouldEmitUTF8Identifier: true);

    public static async Task WriteAsync<T>(HttpResponse response, string fileName, IReadOnlyList<string> header, IAsyncEnumerable<T> rows, Func<T, IEnumerable<string?>> cells, CancellationToken cancellationToken)
    {
        response.ContentType = "text/csv; charset=utf-8";
        response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
        await using var writer = new StreamWriter(response.Body, Utf8WithBom, bufferSize: 64 * 1024) { NewLine = "\r\n" };
        await writer.WriteLineAsync(Line(header));
        var count = 0;
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            await writer.WriteLineAsync(Line(cells(row)));
            if (++count % 5_000 == 0)
            {
                await writer.FlushAsync(cancellationToken);
            }
        }

        await writer.FlushAsync(cancellationToken);
    }

    internal static string Line(IEnumerable<string?> cells) => string.Join(',', cells.Select(Cell));

    internal static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        // A leading = + - @ (or tab, CR) makes spreadsheets evaluate the cell; a quote mark keeps it text.
        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
