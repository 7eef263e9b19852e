using LicenseConsole.Accounts;
using LicenseConsole.Products;
using LicenseConsole.Web.Models;
using LicenseConsole.Web.Tenancy;
using Microsoft.AspNetCore.Mvc;

namespace LicenseConsole.Web.Controllers;

/// <summary>The owner's pages: sub-accounts (role, products, recipients right, password) and API keys.</summary>
[Route("settings")]
[Requires(Right.ManageAccount)]
public sealed class SettingsController(SubAccountService subAccounts, ApiKeyService apiKeys, ProductService products) : ConsoleController
{
    private const string NewKeySlot = "NewApiKey";

    [HttpGet("sub-accounts")]
    public async Task<IActionResult> SubAccounts(CancellationToken cancellationToken) =>
        View(await SubAccountsAsync(new SubAccountForm(), cancellationToken));

    [HttpPost("sub-accounts")]
    [ShowRefusalsOnForm]
    public async Task<IActionResult> Invite([Bind(Prefix = "Form")] SubAccountForm form, CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            form.Password = null;
            return Refused(nameof(SubAccounts), await SubAccountsAsync(form, cancellationToken));
        }

        var added = await subAccounts.CreateAsync(
            new SubAccountChange(form.Email, form.Password, form.Role, form.MaintainsRecipients,
                ProductScopeChoice.KeysOf(form.ProductScope, form.ProductKeys, nameof(form.ProductKeys))), cancellationToken);
        return Done(Text["{0} can now sign in as a sub-account.", added.Email], "/settings/sub-accounts");
    }

    [HttpPost("sub-accounts/{id:guid}/access")]
    public async Task<IActionResult> ChangeAccess(Guid id, SubAccountAccessForm form, CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            return BadRequest();
        }

        var changed = await subAccounts.UpdateAsync(id, new SubAccountChange(Role: form.Role, MaintainsRecipients: form.MaintainsRecipients,
            ProductKeys: ProductScopeChoice.KeysOf(form.ProductScope, form.ProductKeys, nameof(form.ProductKeys))), cancellationToken);
        return Done(Text["Saved what {0} may do; it holds from their next request.", changed.Email], "/settings/sub-accounts");
    }

    [HttpPost("sub-accounts/{id:guid}/password")]
    public async Task<IActionResult> SetPassword(Guid id, SubAccountPasswordForm form, CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            return BadRequest();
        }

        var changed = await subAccounts.UpdateAsync(id, new SubAccountChange(Password: form.Password), cancellationToken);
        return Done(Text["Set a new password for {0}; their open sessions were signed out.", changed.Email], "/settings/sub-accounts");
    }

    [HttpPost("sub-accounts/{id:guid}/remove")]
    public async Task<IActionResult> RemoveSubAccount(Guid id, CancellationToken cancellationToken)
    {
        await subAccounts.RemoveAsync(id, cancellationToken);
        return Done(Text["The sub-account was removed."], "/settings/sub-accounts");
    }

    [HttpGet("api-keys")]
    public async Task<IActionResult> ApiKeys(CancellationToken cancellationToken) =>
        View(await ApiKeysAsync(TempData[NewKeySlot] as string, new ApiKeyForm(), cancellationToken));

    [HttpPost("api-keys")]
    [ShowRefusalsOnForm]
    public async Task<IActionResult> CreateApiKey([Bind(Prefix = "Form")] ApiKeyForm form, CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            return Refused(nameof(ApiKeys), await ApiKeysAsync(null, form, cancellationToken));
        }

        var minted = await apiKeys.CreateAsync(form.Name, form.Role, ProductScopeChoice.KeysOf(form.ProductScope, form.ProductKeys, nameof(form.ProductKeys)), cancellationToken);

        // Shown once, on the page this redirects to; TempData is encrypted and read once.
        TempData[NewKeySlot] = minted.Key;
        return Done(Text["Created the API key {0}. Copy it now: it will not be shown again.", minted.Record.Name], "/settings/api-keys");
    }

    [HttpPost("api-keys/{id:long}/revoke")]
    public async Task<IActionResult> RevokeApiKey(long id, CancellationToken cancellationToken)
    {
        await apiKeys.RevokeAsync(id, cancellationToken);
        return Done(Text["The API key was revoked."], "/settings/api-keys");
    }

    private async Task<SubAccountsViewModel> SubAccountsAsync(SubAccountForm form, CancellationToken cancellationToken) =>
        new(await subAccounts.ListAsync(cancellationToken), await products.ChoicesAsync(cancellationToken), form);

    private async Task<ApiKeysViewModel> ApiKeysAsync(string? newKey, ApiKeyForm form, CancellationToken cancellationToken) =>
        new(await apiKeys.ListAsync(cancellationToken), await products.ChoicesAsync(cancellationToken), newKey, form);
}
