using System.Text.Json;

namespace LicenseConsole.BrowserTests.Dashboard;

/// <summary>One dataset of a chart as Chart.js drew it: its legend label, its type, the product it is about (if any) and its values.</summary>
public sealed record ChartDataset(string Label, string Type, string? ProductKey, IReadOnlyList<double> Data);

/// <summary>A chart as drawn: its categories, its datasets, the labels its category axis shows, and how wide its plot is.</summary>
public sealed record DrawnChart(IReadOnlyList<string> Labels, IReadOnlyList<ChartDataset> Datasets, IReadOnlyList<string> AxisLabels, double PlotWidth, double Width)
{
    public ChartDataset Dataset(string label) =>
        Datasets.SingleOrDefault(d => d.Label == label) ?? throw new InvalidOperationException(
            $"No dataset '{label}' among: {string.Join(", ", Datasets.Select(d => d.Label))}");
}

/// <summary>What a chart's tooltip shows for one category, with the chart's own callbacks and filter.</summary>
public sealed record ChartTooltip(string Title, IReadOnlyList<string> Lines, string Footer);

/// <summary>Reads the dashboard's charts through Chart.js in the page: the data the user sees, not the JSON the server sent.</summary>
public static class DashboardCharts
{
    public const string Usage = "usage-chart";
    public const string Forecast = "forecast-chart";

    public static async Task<DrawnChart> ReadAsync(IPage page, string canvasId)
    {
        await page.WaitForFunctionAsync("id => !!(window.Chart && Chart.getChart(id))", canvasId);
        var chart = await page.EvaluateAsync<JsonElement>("""
            id => {
              const c = Chart.getChart(id);
              const axis = c.options.indexAxis === 'y' ? c.scales.y : c.scales.x;
              return {
                labels: c.data.labels,
                datasets: c.data.datasets.map(d => ({ label: d.label, type: d.type || c.config.type, productKey: d.productKey ?? null, data: d.data })),
                axisLabels: axis.ticks.map(t => String(t.label)),
                plotWidth: c.chartArea.width,
                width: c.width
              };
            }
            """, canvasId);
        return new DrawnChart(
            [.. chart.GetProperty("labels").EnumerateArray().Select(l => l.GetString()!)],
            [.. chart.GetProperty("datasets").EnumerateArray().Select(d => new ChartDataset(
                d.GetProperty("label").GetString()!,
                d.GetProperty("type").GetString()!,
                d.GetProperty("productKey").ValueKind == JsonValueKind.String ? d.GetProperty("productKey").GetString() : null,
                [.. d.GetProperty("data").EnumerateArray().Select(v => v.GetDouble())]))],
            [.. chart.GetProperty("axisLabels").EnumerateArray().Select(l => l.GetString()!)],
            chart.GetProperty("plotWidth").GetDouble(),
            chart.GetProperty("width").GetDouble());
    }

    /// <summary>Points the tooltip at category <paramref name="index"/> (every dataset of it) and reads what it shows.</summary>
    public static async Task<ChartTooltip> TooltipAsync(IPage page, string canvasId, int index)
    {
        var tooltip = await page.EvaluateAsync<JsonElement>("""
            ([id, index]) => {
              const c = Chart.getChart(id);
              const point = c.getDatasetMeta(0).data[index];
              c.tooltip.setActiveElements(c.data.datasets.map((d, i) => ({ datasetIndex: i, index })), { x: point.x, y: point.y });
              c.draw();
              const t = c.tooltip;
              return { title: t.title.join('\n'), lines: t.body.flatMap(b => b.lines), footer: t.footer.join('\n') };
            }
            """, new object[] { canvasId, index });
        return new ChartTooltip(
            tooltip.GetProperty("title").GetString()!,
            [.. tooltip.GetProperty("lines").EnumerateArray().Select(l => l.GetString()!)],
            tooltip.GetProperty("footer").GetString()!);
    }
}
