using LicenseConsole.Products;
using Microsoft.AspNetCore.Mvc;

namespace LicenseConsole.Web.Controllers;

[Route("products")]
public sealed class ProductsController(ProductService products) : Controller
{
    [HttpGet("{productKey}")]
    public async Task<IActionResult> Details(string productKey, CancellationToken cancellationToken)
    {
        var product = await products.FindAsync(productKey, cancellationToken);
        return product is null ? NotFound() : View(product);
    }
}
