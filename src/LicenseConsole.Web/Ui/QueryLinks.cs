using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.Extensions.Primitives;

namespace LicenseConsole.Web.Ui;

/// <summary>Links to the current page with some query values changed (paging, tabs), the rest kept.</summary>
public static class QueryLinks
{
    public static string With(HttpRequest request, params (string Key, string? Value)[] changes) =>
        For(request, request.Path, changes);

    /// <summary>Another page of the site with the current query (some values changed): an export of the current filter.</summary>
    public static string For(HttpRequest request, string path, params (string Key, string? Value)[] changes)
    {
        var values = request.Query.ToDictionary(q => q.Key, q => q.Value, StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in changes)
        {
            if (string.IsNullOrEmpty(value))
            {
                values.Remove(key);
            }
            else
            {
                values[key] = new StringValues(value);
            }
        }

        var query = new QueryBuilder(values.Where(v => !StringValues.IsNullOrEmpty(v.Value)).SelectMany(v => v.Value.Select(x => new KeyValuePair<string, string>(v.Key, x ?? ""))));
        return request.PathBase + path + query.ToQueryString();
    }

    /// <summary>The current page's path and query, for a return address.</summary>
    public static string Current(HttpRequest request) => request.PathBase + request.Path + request.QueryString;
}
