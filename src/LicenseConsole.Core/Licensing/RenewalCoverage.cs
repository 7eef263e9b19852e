namespace LicenseConsole.Licensing;

/// <summary>One product's pool today and its renewals due in each week of the forecast.</summary>
public sealed record ProductRenewals(string ProductKey, string Name, long Remaining, IReadOnlyList<long> DuePerWeek);

/// <summary>
/// The renewals a product's devices will ask for in the coming weeks without a license left in its pool, as one
/// chart series: one product, or (<see cref="ProductKey"/> null) the sum of <see cref="Products"/> smaller ones.
/// </summary>
public sealed record ShortfallSeries(string? ProductKey, string? Name, int Products, IReadOnlyList<long> ShortPerWeek)
{
    public bool IsOthers => ProductKey is null;

    public long Short => ShortPerWeek.Sum();
}

/// <summary>
/// Works out, product by product, which renewals due each week the product's own pool will cover: licenses of
/// one product cannot renew another's devices, so a product's shortfall never borrows another's remaining licenses.
/// </summary>
public static class RenewalCoverage
{
    /// <summary>
    /// Drains each product's pool week by week, earliest renewals first. The weeks add up what is due, covered and
    /// short over the products (counts of renewals, which do add up); the shortfalls list each product that runs
    /// short, the earliest first.
    /// </summary>
    public static LicenseForecast Forecast(DateTime start, int weeks, IEnumerable<ProductRenewals> products)
    {
        var due = new long[weeks];
        var covered = new long[weeks];
        var shortBy = new long[weeks];
        var shortfalls = new List<ProductShortfall>();
        foreach (var product in products)
        {
            var remaining = Math.Max(0, product.Remaining);
            var productShort = new long[weeks];
            for (var w = 0; w < weeks; w++)
            {
                var wanted = w < product.DuePerWeek.Count ? product.DuePerWeek[w] : 0;
                var take = Math.Min(remaining, wanted);
                remaining -= take;
                due[w] += wanted;
                covered[w] += take;
                productShort[w] = wanted - take;
                shortBy[w] += productShort[w];
            }

            var firstShort = Array.FindIndex(productShort, s => s > 0);
            if (firstShort >= 0)
            {
                shortfalls.Add(new ProductShortfall(product.ProductKey, product.Name, Math.Max(0, product.Remaining),
                    product.DuePerWeek.Take(weeks).Sum(), productShort.Sum(), start.AddDays(7 * firstShort), productShort));
            }
        }

        var forecastWeeks = Enumerable.Range(0, weeks)
            .Select(w => new ForecastWeek(start.AddDays(7 * w), due[w], covered[w], shortBy[w]))
            .ToList();
        return new LicenseForecast(forecastWeeks,
            [.. shortfalls.OrderBy(s => s.FirstShortWeek).ThenByDescending(s => s.Short).ThenBy(s => s.Name, StringComparer.Ordinal)]);
    }

    /// <summary>
    /// The shortfalls as at most <paramref name="named"/> + 1 series: the products short by the most, each on its
    /// own, and the rest summed as "others", so that a chart stays readable with thirty products running short.
    /// "Others" never stands for a single product: that one is named instead.
    /// </summary>
    public static IReadOnlyList<ShortfallSeries> Series(IReadOnlyList<ProductShortfall> shortfalls, int named)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(named);
        var ranked = shortfalls.OrderByDescending(s => s.Short).ThenBy(s => s.FirstShortWeek)
            .ThenBy(s => s.Name, StringComparer.Ordinal).ThenBy(s => s.ProductKey, StringComparer.Ordinal).ToList();
        var shown = ranked.Count <= named + 1 ? ranked.Count : named;
        var series = ranked.Take(shown).Select(s => new ShortfallSeries(s.ProductKey, s.Name, 1, s.ShortPerWeek)).ToList();
        var others = ranked.Skip(shown).ToList();
        if (others.Count > 0)
        {
            var weeks = others.Max(s => s.ShortPerWeek.Count);
            var sum = Enumerable.Range(0, weeks).Select(w => others.Sum(s => w < s.ShortPerWeek.Count ? s.ShortPerWeek[w] : 0)).ToList();
            series.Add(new ShortfallSeries(null, null, others.Count, sum));
        }

        return series;
    }
}
