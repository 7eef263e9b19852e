namespace LicenseConsole.Common;

/// <summary>A page of a list, and how many items the whole list holds.</summary>
public sealed record Paged<T>(IReadOnlyList<T> Items, int Page, int PageSize, long TotalCount);

/// <summary>Which page of a list to read. Pages start at 1; a page holds 1 to 500 items (50 unless asked).</summary>
public readonly record struct PageRequest(int Page, int PageSize)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;
    public const int MaxPage = 1_000_000;

    public int Skip => (Page - 1) * PageSize;

    /// <summary>Checks the numbers a caller sent; null means "the default".</summary>
    public static PageRequest From(int? page, int? pageSize)
    {
        var p = page ?? 1;
        var size = pageSize ?? DefaultPageSize;
        if (p is < 1 or > MaxPage)
        {
            throw Refusals.PageInvalid.Error(("max", MaxPage));
        }

        if (size is < 1 or > MaxPageSize)
        {
            throw Refusals.PageSizeInvalid.Error(("max", MaxPageSize));
        }

        return new PageRequest(p, size);
    }
}
