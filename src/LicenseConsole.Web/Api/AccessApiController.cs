using LicenseConsole.Accounts;
using LicenseConsole.Common;
using LicenseConsole.Web.Tenancy;
using Microsoft.AspNetCore.Mvc;

namespace LicenseConsole.Web.Api;

/// <summary>Who the caller is, and the owner's sub-accounts and API keys.</summary>
public sealed class AccessApiController : ApiControllerBase
{
    /// <summary>The caller: a user's email or a key's name, its role, the products it is limited to (null: all) and its rights.</summary>
    [HttpGet("me")]
    [Requires(Right.Read)]
    public async Task<MeResponse> Me([FromServices] TenantContext tenant, [FromServices] ProductScopes scopes, CancellationToken cancellationToken)
    {
        var access = tenant.Access!;
        var products = await scopes.OfCallerAsync(cancellationToken);
        var name = User.Identity?.Name ?? "";
        var isKey = access.ApiKeyId is not null;
        return new MeResponse(
            isKey ? null : name,
            isKey ? name[ApiKeyAuthenticationHandler.NamePrefix.Length..] : null,
            Rights.Name(access.Role),
            products,
            access.MaintainsRecipients,
            [.. access.Rights.Order().Select(Rights.Name)]);
    }

    /// <summary>The account's sub-accounts with their roles, products and recipients right.</summary>
    [HttpGet("sub-accounts")]
    [Requires(Right.ManageAccount)]
    public async Task<IReadOnlyList<SubAccountResponse>> SubAccounts([FromServices] SubAccountService subAccounts, CancellationToken cancellationToken) =>
        [.. (await subAccounts.ListAsync(cancellationToken)).Select(SubAccountResponse.From)];

    /// <summary>Adds a sub-account (role viewer, recipients right on and every product unless told otherwise).</summary>
    [HttpPost("sub-accounts")]
    [Requires(Right.ManageAccount)]
    [Refuses(nameof(Refusals.EmailInvalid), nameof(Refusals.PasswordNotPrintable), nameof(Refusals.PasswordTooWeak), nameof(Refusals.AccountExists),
        nameof(Refusals.RoleInvalid), nameof(Refusals.ProductKeysUnknown), nameof(Refusals.ProductKeysTooMany))]
    [ProducesResponseType<SubAccountResponse>(StatusCodes.Status201Created)]
    public async Task<IActionResult> CreateSubAccount(CreateSubAccountRequest request, [FromServices] SubAccountService subAccounts, CancellationToken cancellationToken)
    {
        var created = await subAccounts.CreateAsync(
            new SubAccountChange(request.Email, request.Password, request.Role, request.MaintainsRecipients, request.ProductKeys ?? []), cancellationToken);
        return Created($"/api/v1/sub-accounts/{created.Id}", SubAccountResponse.From(created));
    }

    /// <summary>Changes a sub-account; a member left out is unchanged. A new password ends its sessions.</summary>
    [HttpPut("sub-accounts/{id:guid}")]
    [Requires(Right.ManageAccount)]
    [Refuses(nameof(Refusals.SubAccountNotFound), nameof(Refusals.EmailInvalid), nameof(Refusals.PasswordNotPrintable), nameof(Refusals.PasswordTooWeak),
        nameof(Refusals.AccountExists), nameof(Refusals.RoleInvalid), nameof(Refusals.ProductKeysUnknown), nameof(Refusals.ProductKeysTooMany))]
    public async Task<SubAccountResponse> UpdateSubAccount(Guid id, UpdateSubAccountRequest request, [FromServices] SubAccountService subAccounts, CancellationToken cancellationToken) =>
        SubAccountResponse.From(await subAccounts.UpdateAsync(id,
            new SubAccountChange(request.Email, request.Password, request.Role, request.MaintainsRecipients, request.ProductKeys), cancellationToken));

    /// <summary>Removes a sub-account: its sessions end on their next request.</summary>
    [HttpDelete("sub-accounts/{id:guid}")]
    [Requires(Right.ManageAccount)]
    [Refuses(nameof(Refusals.SubAccountNotFound), nameof(Refusals.SubAccountBusy))]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    public async Task<IActionResult> RemoveSubAccount(Guid id, [FromServices] SubAccountService subAccounts, CancellationToken cancellationToken)
    {
        await subAccounts.RemoveAsync(id, cancellationToken);
        return NoContent();
    }

    /// <summary>Mints an API key for the account (role admin and every product unless told otherwise); the key is shown once.</summary>
    [HttpPost("api-keys")]
    [Requires(Right.ManageAccount)]
    [Refuses(nameof(Refusals.NameMissing), nameof(Refusals.NameTooLong), nameof(Refusals.NameNotPrintable), nameof(Refusals.RoleInvalid),
        nameof(Refusals.ProductKeysUnknown), nameof(Refusals.ProductKeysTooMany))]
    [ProducesResponseType<ApiKeyResponse>(StatusCodes.Status201Created)]
    public async Task<IActionResult> CreateApiKey(CreateApiKeyRequest request, [FromServices] ApiKeyService keys, CancellationToken cancellationToken)
    {
        var minted = await keys.CreateAsync(request.Name, request.Role, request.ProductKeys, cancellationToken);
        return StatusCode(StatusCodes.Status201Created, ApiKeyResponse.From(minted));
    }

    /// <summary>The account's API keys, newest first (never the keys themselves).</summary>
    [HttpGet("api-keys")]
    [Requires(Right.ManageAccount)]
    public async Task<IReadOnlyList<ApiKeyListing>> ApiKeys([FromServices] ApiKeyService keys, CancellationToken cancellationToken) =>
        [.. (await keys.ListAsync(cancellationToken)).Select(ApiKeyListing.From)];

    /// <summary>Revokes an API key: scripts using it are refused from their next call.</summary>
    [HttpDelete("api-keys/{id:long}")]
    [Requires(Right.ManageAccount)]
    [Refuses(nameof(Refusals.ApiKeyNotFound))]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    public async Task<IActionResult> RevokeApiKey(long id, [FromServices] ApiKeyService keys, CancellationToken cancellationToken)
    {
        await keys.RevokeAsync(id, cancellationToken);
        return NoContent();
    }
}
