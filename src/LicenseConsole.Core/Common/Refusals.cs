using System.Reflection;

namespace LicenseConsole.Common;

/// <summary>
/// Every reason a request is refused, each defined once: code, status, field and words in both languages. The
/// API's problems, the console's messages and the OpenAPI document all read them from here.
/// </summary>
public static class Refusals
{
    // A device connection (the gateway's call, single or in bulk).
    public static readonly Refusal ProductKeyInvalid = new(ErrorCodes.ValidationFailed, 400, "productKey",
        "The product key must hold 1 to 64 letters, digits, '-', '_', '.' or ':'.",
        "产品 PK 须为 1 到 64 个字母、数字或 '-'、'_'、'.'、':'。");

    public static readonly Refusal DeviceKeyInvalid = new(ErrorCodes.ValidationFailed, 400, "deviceKey",
        "The device key must hold 1 to 64 letters, digits, '-', '_', '.' or ':'.",
        "设备 DK 须为 1 到 64 个字母、数字或 '-'、'_'、'.'、':'。");

    public static readonly Refusal DataCenterUnknown = new(ErrorCodes.ValidationFailed, 400, "dataCenter",
        "Unknown data center. Known: {known}.",
        "未知的数据中心。可选：{known}。");

    public static readonly Refusal GatewayProductNotFound = new(ErrorCodes.ProductNotFound, 404, "productKey",
        "No product has this key.",
        "没有使用此 PK 的产品。");

    public static readonly Refusal ProductDeleted = new(ErrorCodes.ProductDeleted, 403, "productKey",
        "The product was deleted; its devices can no longer connect.",
        "该产品已删除，其设备无法再连接。");

    public static readonly Refusal AutoRenewOff = new(ErrorCodes.AutoRenewOff, 403, "deviceKey",
        "The device's license has expired and auto-renew is off for its product or for the device.",
        "设备的激活码已到期，且其产品或该设备已关闭自动续费。");

    public static readonly Refusal NoLicenseAvailable = new(ErrorCodes.NoLicenseAvailable, 403, "productKey",
        "The product has no license left for this device; allocate more licenses to the product.",
        "该产品已无可用激活码；请为该产品分配更多激活码。");

    public static readonly Refusal DeviceBusy = new(ErrorCodes.Conflict, 409, "deviceKey",
        "The device is being changed by other requests; try again.",
        "该设备正被其他请求修改，请重试。");

    public static readonly Refusal ConnectionCountInvalid = new(ErrorCodes.ValidationFailed, 400, "connections",
        "Send 1 to {max} connections in one call.",
        "每次调用须包含 1 到 {max} 个连接。");

    // What people type: names, emails, passwords, filters, pages. The field is the caller's (one check, many inputs).
    public static readonly Refusal NameMissing = new(ErrorCodes.ValidationFailed, 400, null,
        "Enter a {what}.",
        "请输入{what}。");

    public static readonly Refusal NameTooLong = new(ErrorCodes.ValidationFailed, 400, null,
        "The {what} may hold at most {max} characters.",
        "{what}最多 {max} 个字符。");

    public static readonly Refusal NameNotPrintable = new(ErrorCodes.ValidationFailed, 400, null,
        "The {what} contains characters that cannot be shown.",
        "{what}包含无法显示的字符。");

    public static readonly Refusal FilterInvalid = new(ErrorCodes.ValidationFailed, 400, null,
        "This filter takes at most {max} printable characters.",
        "此筛选条件最多 {max} 个可显示的字符。");

    public static readonly Refusal DateRangeReversed = new(ErrorCodes.ValidationFailed, 400, null,
        "The end date is before the start date.",
        "结束日期早于开始日期。");

    public static readonly Refusal PageInvalid = new(ErrorCodes.ValidationFailed, 400, "page",
        "The page must be a whole number from 1 to {max}.",
        "页码须为 1 到 {max} 之间的整数。");

    public static readonly Refusal PageSizeInvalid = new(ErrorCodes.ValidationFailed, 400, "pageSize",
        "The page size must be a whole number from 1 to {max}.",
        "每页条数须为 1 到 {max} 之间的整数。");

    public static readonly Refusal StatusInvalid = new(ErrorCodes.ValidationFailed, 400, "status",
        "The status must be 'expiring' or 'lapsed'.",
        "状态须为 'expiring' 或 'lapsed'。");

    public static readonly Refusal EmailInvalid = new(ErrorCodes.ValidationFailed, 400, "email",
        "Enter a valid email address.",
        "请输入有效的邮箱地址。");

    public static readonly Refusal PasswordNotPrintable = new(ErrorCodes.ValidationFailed, 400, "password",
        "The password may hold printable characters only.",
        "密码只能包含可显示的字符。");

    public static readonly Refusal PasswordTooWeak = new(ErrorCodes.ValidationFailed, 400, "password",
        "The password is too weak. {rules}",
        "密码强度不足。{rules}");

    // Accounts, sub-accounts and API keys.
    public static readonly Refusal AccountExists = new(ErrorCodes.AccountExists, 409, "email",
        "Someone signs in with this email already.",
        "该邮箱已被其他账号使用。");

    public static readonly Refusal AccountNotFound = new(ErrorCodes.AccountNotFound, 404, "accountId",
        "No account has this id.",
        "没有此 ID 的账号。");

    public static readonly Refusal OwnerNotFound = new(ErrorCodes.AccountNotFound, 404, "account",
        "No account is owned by '{email}'.",
        "没有主账号邮箱为“{email}”的账号。");

    public static readonly Refusal RightMissing = new(ErrorCodes.Forbidden, 403, null,
        "Your role ({role}) does not allow this: {right}.",
        "您的角色（{role}）无权执行此操作：{right}。");

    public static readonly Refusal RoleInvalid = new(ErrorCodes.ValidationFailed, 400, "role",
        "The role must be admin, operator or viewer.",
        "角色须为 admin、operator 或 viewer。");

    public static readonly Refusal ProductKeysUnknown = new(ErrorCodes.ValidationFailed, 400, "productKeys",
        "The account has no product with the key '{key}'.",
        "账号下没有产品标识为“{key}”的产品。");

    public static readonly Refusal ProductKeysNoneChosen = new(ErrorCodes.ValidationFailed, 400, "productKeys",
        "Tick at least one product, or choose every product.",
        "请至少勾选一个产品，或选择全部产品。");

    public static readonly Refusal ProductKeysTooMany = new(ErrorCodes.ValidationFailed, 400, "productKeys",
        "Name at most {max} products.",
        "最多指定 {max} 个产品。");

    public static readonly Refusal CurrentPasswordWrong = new(ErrorCodes.ValidationFailed, 400, "currentPassword",
        "The current password is not right.",
        "当前密码不正确。");

    public static readonly Refusal SubAccountNotFound = new(ErrorCodes.SubAccountNotFound, 404, "id",
        "There is no such sub-account.",
        "没有该子账号。");

    public static readonly Refusal SubAccountBusy = new(ErrorCodes.Conflict, 409, "id",
        "The sub-account could not be removed; try again.",
        "未能移除该子账号，请重试。");

    public static readonly Refusal ApiKeyNotFound = new(ErrorCodes.ApiKeyNotFound, 404, "id",
        "There is no such API key.",
        "没有该 API 密钥。");

    // Purchases, specs and allocations.
    public static readonly Refusal OrderIdInvalid = new(ErrorCodes.ValidationFailed, 400, "orderId",
        "The order id must hold 1 to {max} printable characters.",
        "订单号须为 1 到 {max} 个可显示的字符。");

    public static readonly Refusal PurchaseQuantityInvalid = new(ErrorCodes.ValidationFailed, 400, "quantity",
        "The quantity must be a whole number from 1 to {max}.",
        "数量须为 1 到 {max} 之间的整数。");

    public static readonly Refusal OrderConflict = new(ErrorCodes.OrderConflict, 409, "orderId",
        "This order id was recorded before with a different account, spec, quantity or product.",
        "该订单号已被记录，且账号、套餐规格、数量或产品与本次不同。");

    public static readonly Refusal SpecUnknown = new(ErrorCodes.ValidationFailed, 400, "specCode",
        "Unknown license spec '{code}'. Known specs: {known}.",
        "未知的套餐规格“{code}”。可选：{known}。");

    public static readonly Refusal SpecMismatch = new(ErrorCodes.SpecMismatch, 409, "specCode",
        "This product takes {productSpec} licenses only, not {requestedSpec}: a product holds one license spec.",
        "该产品只接受 {productSpec} 规格的激活码，不接受 {requestedSpec}：每个产品仅可有一个激活码套餐规格。");

    public static readonly Refusal AllocationQuantityInvalid = new(ErrorCodes.ValidationFailed, 400, "quantity",
        "The quantity must be a whole number from 1.",
        "分配数量须为大于等于 1 的整数。");

    public static readonly Refusal RequestIdInvalid = new(ErrorCodes.ValidationFailed, 400, "requestId",
        "The request id (Idempotency-Key) must hold 1 to {max} printable characters.",
        "请求编号（Idempotency-Key）须为 1 到 {max} 个可显示的字符。");

    public static readonly Refusal InsufficientLicenses = new(ErrorCodes.InsufficientLicenses, 409, "quantity",
        "Only {available} unallocated {spec} licenses are left; you asked for {requested}.",
        "未分配的 {spec} 激活码只剩 {available} 个，无法分配 {requested} 个。");

    // Products and devices, as the account sees them.
    public static readonly Refusal ProductNotFound = new(ErrorCodes.ProductNotFound, 404, "productKey",
        "The account has no product with this key.",
        "账号下没有该产品。");

    public static readonly Refusal ProductExists = new(ErrorCodes.ProductExists, 409, "productKey",
        "A product with this key exists already.",
        "该 PK 已被使用。");

    public static readonly Refusal DeletionNotConfirmed = new(ErrorCodes.ValidationFailed, 400, "confirm",
        "Type the product key exactly as shown to confirm the deletion.",
        "请准确输入上方显示的 PK 以确认删除。");

    public static readonly Refusal DeviceNotFound = new(ErrorCodes.DeviceNotFound, 404, "deviceKey",
        "The product has no device with this key.",
        "该产品下没有此 DK 的设备。");

    public static readonly Refusal ProductAutoRenewOff = new(ErrorCodes.ProductAutoRenewOff, 409, "autoRenew",
        "Auto-renew is off for the whole product; turn it on for the product before changing single devices.",
        "该产品已关闭自动续费，需先开启产品级自动续费，才能设置单个设备。");

    // Alert recipients.
    public static readonly Refusal RecipientExists = new(ErrorCodes.RecipientExists, 409, "email",
        "This email address receives alerts already.",
        "该邮箱已在接收人员列表中。");

    public static readonly Refusal OwnerRecipientFixed = new(ErrorCodes.OwnerRecipientFixed, 409, "id",
        "The account owner always receives alerts and cannot be removed.",
        "主账号始终接收告警，无法移除。");

    public static readonly Refusal RecipientNotFound = new(ErrorCodes.RecipientNotFound, 404, "id",
        "There is no such recipient.",
        "没有该接收人员。");

    // The API's own refusals, before any rule is asked: the request itself is not one the API takes.
    public static readonly Refusal BodyInvalid = new(ErrorCodes.ValidationFailed, 400, null,
        "The request has missing or invalid fields: {fields}.",
        "请求中有缺失或无效的字段：{fields}。");

    public static readonly Refusal BodyMissing = new(ErrorCodes.ValidationFailed, 400, "body",
        "Send a JSON object with the fields this call takes.",
        "请发送包含本接口所需字段的 JSON 对象。");

    public static readonly Refusal BodyNotJson = new(ErrorCodes.ValidationFailed, 400, "body",
        "The body is not valid JSON.",
        "请求体不是有效的 JSON。");

    public static readonly Refusal BodyNotText = new(ErrorCodes.ValidationFailed, 400, "body",
        "The body is not text in the charset its Content-Type names; send UTF-8 JSON.",
        "请求体不是其 Content-Type 所声明字符集的文本；请发送 UTF-8 编码的 JSON。");

    public static readonly Refusal BodyUnreadable = new(ErrorCodes.ValidationFailed, 400, "body",
        "The body could not be read to its end.",
        "无法完整读取请求体。");

    public static readonly Refusal FieldRequired = new(ErrorCodes.ValidationFailed, 400, null,
        "This field is required.",
        "此项为必填项。");

    public static readonly Refusal FieldUnknown = new(ErrorCodes.ValidationFailed, 400, null,
        "This field is not part of the request.",
        "请求中不应包含此字段。");

    public static readonly Refusal FieldWrongType = new(ErrorCodes.ValidationFailed, 400, null,
        "The value has the wrong type or format for this field.",
        "该字段的值类型或格式不正确。");

    public static readonly Refusal RequestInvalid = new(ErrorCodes.ValidationFailed, 400, null,
        "The request is not valid.",
        "请求无效。");

    public static readonly Refusal AntiforgeryFailed = new(ErrorCodes.AntiforgeryFailed, 400, null,
        "A call made with the sign-in cookie needs the antiforgery token in the RequestVerificationToken header.",
        "使用登录 Cookie 的调用须在 RequestVerificationToken 请求头中携带防伪令牌。");

    public static readonly Refusal Unauthorized = new(ErrorCodes.Unauthorized, 401, null,
        "Send a valid API key in the X-Api-Key header, or sign in.",
        "请在 X-Api-Key 请求头中提供有效的 API 密钥，或先登录。");

    public static readonly Refusal EndpointForbidden = new(ErrorCodes.Forbidden, 403, null,
        "This endpoint is not open to you.",
        "您无权调用此接口。");

    public static readonly Refusal NoSuchEndpoint = new(ErrorCodes.NotFound, 404, null,
        "There is nothing at this address. The API's endpoints are listed at /openapi/v1.json.",
        "此地址没有内容。API 的接口列表见 /openapi/v1.json。");

    public static readonly Refusal MethodNotAllowed = new(ErrorCodes.MethodNotAllowed, 405, null,
        "This address does not take this HTTP method. The API's endpoints are listed at /openapi/v1.json.",
        "此地址不支持该 HTTP 方法。API 的接口列表见 /openapi/v1.json。");

    public static readonly Refusal NotAcceptable = new(ErrorCodes.NotAcceptable, 406, null,
        "The API answers application/json (and application/problem+json) only.",
        "API 只返回 application/json（及 application/problem+json）。");

    public static readonly Refusal PayloadTooLarge = new(ErrorCodes.PayloadTooLarge, 413, null,
        "The request body is too large.",
        "请求体过大。");

    public static readonly Refusal UnsupportedMediaType = new(ErrorCodes.UnsupportedMediaType, 415, null,
        "Send the body as JSON, with Content-Type: application/json.",
        "请以 JSON 发送请求体，并设置 Content-Type: application/json。");

    public static readonly Refusal TestEmailLimited = new(ErrorCodes.RateLimited, 429, null,
        "Too many test emails: try again in {minutes} minutes.",
        "测试邮件发送过于频繁：请 {minutes} 分钟后再试。");

    public static readonly Refusal RateLimited = new(ErrorCodes.RateLimited, 429, null,
        "Too many requests: wait as long as Retry-After says, then try again.",
        "请求过于频繁：请按 Retry-After 所示等待后重试。");

    public static readonly Refusal DatabaseUnavailable = new(ErrorCodes.DatabaseUnavailable, 503, null,
        "The database cannot be reached right now. Try again in {seconds} seconds.",
        "数据库暂时无法访问。请在 {seconds} 秒后重试。");

    public static readonly Refusal ServiceUnavailable = new(ErrorCodes.ServiceUnavailable, 503, null,
        "The service is unavailable for a moment; try again shortly.",
        "服务暂时不可用，请稍后重试。");

    /// <summary>Not a refusal: what an unexpected failure answers, with nothing of its cause.</summary>
    public static readonly Refusal Unexpected = new(ErrorCodes.Error, 500, null,
        "The request could not be completed.",
        "请求未能完成。");

    /// <summary>Every refusal of the catalogue.</summary>
    public static IReadOnlyList<Refusal> All { get; } = typeof(Refusals)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.FieldType == typeof(Refusal))
        .Select(f => (Refusal)f.GetValue(null)!)
        .ToList();

    /// <summary>The entry for a status the web framework answers by itself (no route, wrong method, no key).</summary>
    public static Refusal OfStatus(int status) => status switch
    {
        400 => RequestInvalid,
        401 => Unauthorized,
        403 => EndpointForbidden,
        404 => NoSuchEndpoint,
        405 => MethodNotAllowed,
        406 => NotAcceptable,
        413 => PayloadTooLarge,
        415 => UnsupportedMediaType,
        429 => RateLimited,
        503 => ServiceUnavailable,
        _ => Unexpected,
    };
}
