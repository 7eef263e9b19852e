using System.Net;
using LicenseConsole.Accounts;
using LicenseConsole.IntegrationTests.Api;
using LicenseConsole.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace LicenseConsole.IntegrationTests.Input;

/// <summary>
/// One account with something of everything, made through the published app's API (and the owner's
/// services for what only the console makes): 20 unallocated STD-1Y licenses, a product holding 5 with a
/// connected device, a product with none, an alert recipient, a sub-account and a second API key.
/// </summary>
public sealed record AccountSeed(
    Guid Id, string Email, string Key, string Product, string Device, string EmptyProduct, long Recipient, Guid SubAccount, long ApiKey, string Order)
{
    public const string Spec = "STD-1Y";

    public static async Task<AccountSeed> CreateAsync(PublishedApp app, string name)
    {
        using var platform = app.CreateClient(PublishedApp.PlatformKey);
        var email = $"{name}-{Guid.NewGuid():N}@example.com";
        var account = await (await platform.PostJsonAsync("/api/v1/accounts", new { email, password = TestAccounts.Password, dataCenter = "cn-east" }))
            .ExpectJsonAsync(HttpStatusCode.Created);
        var id = account.GetProperty("id").GetGuid();
        var key = (await (await platform.PostJsonAsync($"/api/v1/accounts/{id}/api-keys", new { name = "input tests" }))
            .ExpectJsonAsync(HttpStatusCode.Created)).Str("key");
        using var client = app.CreateClient(key);

        var order = ApiCalls.NewKey("order-");
        await (await platform.PostJsonAsync("/api/v1/purchases", new { orderId = order, accountId = id, specCode = Spec, quantity = 20 }))
            .ExpectJsonAsync(HttpStatusCode.Created);
        var product = await client.CreateProductAsync($"{name} meters");
        await (await platform.PostJsonAsync("/api/v1/purchases", new { orderId = ApiCalls.NewKey("order-"), accountId = id, specCode = Spec, quantity = 5, productKey = product }))
            .ExpectJsonAsync(HttpStatusCode.Created);
        var device = ApiCalls.NewKey("dk-");
        await platform.ConnectAsync(product, device);
        var emptyProduct = await client.CreateProductAsync($"{name} spare");
        var recipient = (await (await client.PostJsonAsync("/api/v1/alert-recipients", new { name = $"{name} ops", email = $"ops-{Guid.NewGuid():N}@example.com" }))
            .ExpectJsonAsync(HttpStatusCode.Created)).Long("id");

        var subAccount = await app.Factory.WithScopeAsync(id, s =>
            s.GetRequiredService<SubAccountService>().CreateAsync(new SubAccountChange($"sub-{Guid.NewGuid():N}@example.com", TestAccounts.Password, "operator")));
        var apiKey = await app.Factory.WithScopeAsync(id, s => s.GetRequiredService<ApiKeyService>().CreateAsync("second key"));
        return new AccountSeed(id, email, key, product, device, emptyProduct, recipient, subAccount.Id, apiKey.Record.Id, order);
    }
}
