using LicenseConsole.Accounts;
using LicenseConsole.Common;
using LicenseConsole.Devices;
using LicenseConsole.Licensing;
using LicenseConsole.Web.Tenancy;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace LicenseConsole.Web.Api;

/// <summary>The platform's endpoints: account provisioning for billing, purchases, and the gateway's connect.</summary>
[Authorize(Policy = ConsoleClaims.PlatformPolicy)]
public sealed class PlatformApiController : ApiControllerBase
{
    /// <summary>Creates a developer account and its owner, who signs in with the email and password.</summary>
    [HttpPost("accounts")]
    [Refuses(nameof(Refusals.EmailInvalid), nameof(Refusals.PasswordNotPrintable), nameof(Refusals.PasswordTooWeak), nameof(Refusals.DataCenterUnknown), nameof(Refusals.AccountExists))]
    [ProducesResponseType<AccountResponse>(StatusCodes.Status201Created)]
    public async Task<IActionResult> CreateAccount(CreateAccountRequest request, [FromServices] AccountService accounts, CancellationToken cancellationToken)
    {
        var account = await accounts.CreateAccountAsync(request.Email!, request.Password!, request.DataCenter!, cancellationToken);
        return Created($"/api/v1/accounts/{account.Id}", new AccountResponse(account.Id, account.OwnerEmail, account.DataCenterCode));
    }

    /// <summary>Mints an API key for an account's scripts; the key is shown once.</summary>
    [HttpPost("accounts/{accountId:guid}/api-keys")]
    [Refuses(nameof(Refusals.AccountNotFound), nameof(Refusals.NameMissing), nameof(Refusals.NameTooLong), nameof(Refusals.NameNotPrintable),
        nameof(Refusals.RoleInvalid), nameof(Refusals.ProductKeysUnknown), nameof(Refusals.ProductKeysTooMany))]
    [ProducesResponseType<ApiKeyResponse>(StatusCodes.Status201Created)]
    public async Task<IActionResult> CreateApiKey(Guid accountId, CreateApiKeyRequest request, [FromServices] ApiKeyService keys, CancellationToken cancellationToken)
    {
        var minted = await keys.CreateAsync(accountId, request.Name, request.Role, request.ProductKeys, cancellationToken);
        return StatusCode(StatusCodes.Status201Created, ApiKeyResponse.From(minted));
    }

    /// <summary>Records a purchase: 201 the first time, 200 when the same order is repeated.</summary>
    [HttpPost("purchases")]
    [Refuses(nameof(Refusals.OrderIdInvalid), nameof(Refusals.PurchaseQuantityInvalid), nameof(Refusals.SpecUnknown), nameof(Refusals.AccountNotFound),
        nameof(Refusals.ProductNotFound), nameof(Refusals.SpecMismatch), nameof(Refusals.OrderConflict))]
    [ProducesResponseType<PurchaseResponse>(StatusCodes.Status201Created)]
    [ProducesResponseType<PurchaseResponse>(StatusCodes.Status200OK)]
    public async Task<IActionResult> RecordPurchase(PurchaseBody body, [FromServices] PurchaseService purchases, CancellationToken cancellationToken)
    {
        var outcome = await purchases.RecordAsync(
            new PurchaseRequest(body.OrderId, body.AccountId!.Value, body.SpecCode, body.Quantity!.Value, body.ProductKey), cancellationToken);
        var response = PurchaseResponse.From(outcome);
        return outcome.Created ? StatusCode(StatusCodes.Status201Created, response) : Ok(response);
    }

    /// <summary>A device connects: may it, and does it consume a license?</summary>
    [HttpPost("devices/connect")]
    [Refuses(nameof(Refusals.ProductKeyInvalid), nameof(Refusals.DeviceKeyInvalid), nameof(Refusals.DataCenterUnknown), nameof(Refusals.GatewayProductNotFound),
        nameof(Refusals.ProductDeleted), nameof(Refusals.AutoRenewOff), nameof(Refusals.NoLicenseAvailable), nameof(Refusals.DeviceBusy))]
    [ProducesResponseType<ConnectResponse>(StatusCodes.Status200OK)]
    public async Task<ConnectResponse> Connect(ConnectRequest request, [FromServices] IDeviceConnections connections, CancellationToken cancellationToken) =>
        ConnectResponse.From(await connections.ConnectAsync(request.ProductKey, request.DeviceKey, request.DataCenter, cancellationToken));

    /// <summary>
    /// Up to 1,000 connections in one call, settled as if sent one by one in input order. Each result is what
    /// <c>devices/connect</c> would answer for that entry, or its error; a bad entry refuses only itself.
    /// </summary>
    [HttpPost("devices/connect-batch")]
    [Refuses(nameof(Refusals.ConnectionCountInvalid))]
    [ProducesResponseType<ConnectBatchResponse>(StatusCodes.Status200OK)]
    public async Task<ConnectBatchResponse> ConnectBatch(ConnectBatchRequest request, [FromServices] IDeviceConnections connections, CancellationToken cancellationToken)
    {
        var entries = request.Connections!.Select(ConnectBatchEntry.Read).ToList();
        var inputs = entries.Where(e => e.Input is not null).Select(e => e.Input!).ToList();
        var answers = await connections.ConnectManyAsync(inputs, cancellationToken);
        var results = new List<object>(entries.Count);
        var next = 0;
        foreach (var (input, faults) in entries)
        {
            results.Add(input is null
                ? ConnectBatchError.Of(Refusals.BodyInvalid.Error(("fields", string.Join(", ", faults))))
                : answers[next++] switch
                {
                    { Outcome: { } outcome } => ConnectResponse.From(outcome),
                    { Refusal: { } refusal } => ConnectBatchError.Of(refusal),
                    _ => throw new InvalidOperationException("A connection was neither answered nor refused."),
                });
        }

        return new ConnectBatchResponse(results);
    }

    /// <summary>Marks a device deleted; it restores itself at its next connection while its license lasts.</summary>
    [HttpDelete("products/{productKey}/devices/{deviceKey}")]
    [Refuses(nameof(Refusals.ProductNotFound), nameof(Refusals.DeviceNotFound))]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    public async Task<IActionResult> DeleteDevice(string productKey, string deviceKey, [FromServices] DeviceService devices, CancellationToken cancellationToken)
    {
        await devices.DeleteAsync(productKey, deviceKey, cancellationToken);
        return NoContent();
    }
}
