using LicenseConsole.Accounts;
using LicenseConsole.Common;
using LicenseConsole.Licensing;
using LicenseConsole.Products;
using LicenseConsole.Web.Models;
using LicenseConsole.Web.Tenancy;
using LicenseConsole.Web.Ui;
using Microsoft.AspNetCore.Mvc;

namespace LicenseConsole.Web.Controllers;

[Route("allocations")]
public sealed class AllocationsController(AllocationService allocations, ProductService products) : ConsoleController
{
    /// <summary>The form's fields a person sees; the others are hidden and only a tampered form gets them wrong.</summary>
    private static readonly string[] VisibleFields = [nameof(AllocateForm.ProductKey), nameof(AllocateForm.SpecCode), nameof(AllocateForm.Quantity)];

    /// <summary>The allocation records, newest first, optionally of one product.</summary>
    [HttpGet("")]
    [Requires(Right.Read)]
    public async Task<IActionResult> Index(string? productKey, int? page, CancellationToken cancellationToken)
    {
        var records = await allocations.ListAsync(productKey, PageRequest.From(PageNumber(page), 25), cancellationToken);
        return View(new AllocationRecordsViewModel(records, productKey, await products.AllocatedChoicesAsync(cancellationToken)));
    }

    /// <summary>What the dialog shows once a product is chosen: the spec that fits and the most that may be allocated.</summary>
    [HttpGet("options")]
    [Requires(Right.Allocate)]
    public async Task<IActionResult> Options(string? productKey, CancellationToken cancellationToken)
    {
        var options = await allocations.GetOptionsAsync(productKey, cancellationToken);
        var product = await products.RequireAsync(productKey, cancellationToken);
        return Json(new
        {
            options.ProductKey,
            options.ProductName,
            options.FixedSpec,
            ProductTotal = product.Total,
            Fits = options.Fits.Select(f => new { f.SpecCode, Label = ConsoleSession.SpecLabel(f.SpecName, f.SpecCode), f.ValidityMonths, Max = f.Quantity }),
        });
    }

    /// <summary>The allocation form on a page of its own (the dialog's fallback, and where its errors are shown).</summary>
    [HttpGet("new")]
    [Requires(Right.Allocate)]
    public async Task<IActionResult> New(string? productKey, string? returnUrl, CancellationToken cancellationToken)
    {
        var form = new AllocateForm { ProductKey = productKey, ReturnUrl = returnUrl };
        return View(await PageAsync(form, showConfirm: false, cancellationToken));
    }

    [HttpPost("new")]
    [Requires(Right.Allocate)]
    [ShowRefusalsOnForm]
    public async Task<IActionResult> Create(AllocateForm form, CancellationToken cancellationToken)
    {
        if (ModelState.IsValid && form.Confirmed)
        {
            var allocation = await allocations.AllocateAsync(form.ProductKey, form.SpecCode, form.Quantity!.Value, form.RequestId, cancellationToken);
            return Done(Text["Allocated {0} {1} licenses to {2}.", allocation.Quantity, allocation.SpecCode, allocation.ProductName],
                LocalOr(form.ReturnUrl, $"/products/{allocation.ProductKey}"));
        }

        if (ModelState.Where(e => e.Value is { Errors.Count: > 0 }).Any(e => !VisibleFields.Contains(e.Key, StringComparer.OrdinalIgnoreCase)))
        {
            ModelState.AddModelError("", Text["The form was not sent as the page showed it. Reload the page and try again."]);
        }

        // Not confirmed yet (no script), or refused: show the form again, at the confirm step when it is valid.
        var model = await PageAsync(form, showConfirm: ModelState.IsValid && !form.Confirmed, cancellationToken);

        if (ModelState.IsValid && model.Options is { } options)
        {
            var fit = options.Fits.FirstOrDefault(f => f.SpecCode == form.SpecCode);
            if (fit is null || form.Quantity > fit.Quantity)
            {
                ModelState.AddModelError(nameof(AllocateForm.Quantity), Text["At most {0} can be allocated.", fit?.Quantity ?? 0]);
                model = model with { ShowConfirm = false };
            }
        }

        return ModelState.IsValid ? View("New", model) : Refused("New", model);
    }

    /// <summary>The page's model; a product key the account does not have is refused (not found).</summary>
    private async Task<AllocatePageModel> PageAsync(AllocateForm form, bool showConfirm, CancellationToken cancellationToken)
    {
        var choices = await products.ChoicesAsync(cancellationToken);
        AllocationOptions? options = null;
        if (!string.IsNullOrWhiteSpace(form.ProductKey))
        {
            options = await allocations.GetOptionsAsync(form.ProductKey, cancellationToken);
            form.SpecCode ??= options.FixedSpec ?? options.Fits.FirstOrDefault()?.SpecCode;
        }

        return new AllocatePageModel(form, choices, options, showConfirm);
    }
}
