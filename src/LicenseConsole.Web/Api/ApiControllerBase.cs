using LicenseConsole.Common;
using Microsoft.AspNetCore.Mvc;

namespace LicenseConsole.Web.Api;

/// <summary>The JSON API's conventions: base path, problem+json errors, antiforgery for cookie callers.</summary>
[ApiController]
[Route("api/v1")]
[IgnoreAntiforgeryToken]
[TypeFilter<ApiExceptionFilter>]
[UnreadableBodyFilter]
[TypeFilter<CookieAntiforgeryFilter>]
public abstract class ApiControllerBase : ControllerBase
{
    protected static PageResponse<TOut> Page<TIn, TOut>(Paged<TIn> page, Func<TIn, TOut> map) =>
        new([.. page.Items.Select(map)], page.Page, page.PageSize, page.TotalCount);
}
