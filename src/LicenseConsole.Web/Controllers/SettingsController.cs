using LicenseConsole.Accounts;
using LicenseConsole.Web.Models;
using LicenseConsole.Web.Tenancy;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace LicenseConsole.Web.Controllers;

/// <summary>The owner's pages: sub-accounts and API keys.</summary>
[Route("settings")]
[Authorize(Policy = ConsoleClaims.OwnerPolicy)]
public sealed class SettingsController(SubAccountService subAccounts, ApiKeyService apiKeys) : ConsoleController
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

        var added = await subAccounts.InviteAsync(form.Email, form.Password, cancellationToken);
        return Done(Text["{0} can now sign in as a sub-account.", added.Email], "/settings/sub-accounts");
    }

    [HttpPost("sub-accounts/{id:guid}/remove")]
    public async Task<IActionResult> RemoveSubAccount(Guid id, CancellationToken cancellationToken)
    {
        await subAccounts.RemoveAsync(id, cancellationToken);
        return Done(Text["The sub-account was removed."], "/settings/sub-accounts");
    }

    [HttpPost("sub-accounts/recipients-right")]
    public async Task<IActionResult> RecipientsRight(bool? allowed, CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid || allowed is null)
        {
            return BadRequest();
        }

        await subAccounts.SetRecipientsRightAsync(allowed.Value, cancellationToken);
        return Done(allowed.Value ? Text["Sub-accounts may maintain the alert recipients."] : Text["Only you may maintain the alert recipients now."],
            "/settings/sub-accounts");
    }

    [HttpGet("api-keys")]
    public async Task<IActionResult> ApiKeys(CancellationToken cancellationToken) =>
        View(new ApiKeysViewModel(await apiKeys.ListAsync(cancellationToken), TempData[NewKeySlot] as string, new ApiKeyForm()));

    [HttpPost("api-keys")]
    [ShowRefusalsOnForm]
    public async Task<IActionResult> CreateApiKey([Bind(Prefix = "Form")] ApiKeyForm form, CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            return Refused(nameof(ApiKeys), new ApiKeysViewModel(await apiKeys.ListAsync(cancellationToken), null, form));
        }

        var minted = await apiKeys.CreateAsync(form.Name, cancellationToken);

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
        new(await subAccounts.ListAsync(cancellationToken), await subAccounts.RecipientsRightAsync(cancellationToken), form);
}
