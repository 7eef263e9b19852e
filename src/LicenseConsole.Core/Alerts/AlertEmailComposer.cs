using System.Globalization;
using System.Net;

namespace LicenseConsole.Alerts;

/// <summary>The figures an alert reports.</summary>
public sealed record AlertFacts(
    AlertKind Kind,
    string ProductName,
    string ProductKey,
    long Total,
    long Remaining,
    long Renewing,
    long Short,
    DateTime? FirstOffline,
    long Lapsed,
    int ThresholdDays,
    int LowPoolPercent);

/// <summary>An email's subject and bodies.</summary>
public sealed record ComposedEmail(string Subject, string HtmlBody, string TextBody);

/// <summary>
/// Words the resource alerts in the account's language (Chinese or English): which product, what is short
/// and by how much, when devices go offline, and a link to the page that fixes it.
/// </summary>
public static class AlertEmailComposer
{
    public static ComposedEmail Compose(AlertFacts facts, string culture, TimeZoneInfo zone, string publicUrl)
    {
        var chinese = culture.StartsWith("zh", StringComparison.OrdinalIgnoreCase);
        var link = $"{publicUrl.TrimEnd('/')}/products/{Uri.EscapeDataString(facts.ProductKey)}";
        var when = facts.FirstOffline is { } t
            ? TimeZoneInfo.ConvertTimeFromUtc(t, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " (" + zone.Id + ")"
            : "";
        var percent = facts.Total == 0 ? 0 : (int)Math.Round(100.0 * facts.Remaining / facts.Total);
        var (subject, lines, action) = (facts.Kind, chinese) switch
        {
            (AlertKind.Shortfall, true) => (
                $"激活码即将不足：{facts.ProductName}",
                new[]
                {
                    $"产品 {facts.ProductName}（PK：{facts.ProductKey}）剩余可用激活码 {facts.Remaining} 个，但有 {facts.Renewing} 台开启自动续费的设备将在 {facts.ThresholdDays} 天内到期。",
                    $"其中 {facts.Short} 台设备到期时将无激活码可续，最早一台将于 {when} 无法连接平台。",
                    $"请尽快为该产品至少分配 {facts.Short} 个激活码。",
                },
                "分配激活码"),
            (AlertKind.Shortfall, false) => (
                $"Licenses running short: {facts.ProductName}",
                new[]
                {
                    $"{facts.ProductName} ({facts.ProductKey}) has {facts.Remaining} license(s) left, but {facts.Renewing} device(s) with auto-renew on expire within {facts.ThresholdDays} days.",
                    $"{facts.Short} device(s) will find no license at expiry: the first goes offline on {when}.",
                    $"Allocate at least {facts.Short} more license(s) to the product.",
                },
                "Allocate licenses"),
            (AlertKind.Lapsed, true) => (
                $"续费失败（激活码不足）：{facts.ProductName}",
                new[]
                {
                    $"产品 {facts.ProductName}（PK：{facts.ProductKey}）有 {facts.Lapsed} 台设备因没有可用激活码未能自动续费，已无法连接平台（最早一台于 {when} 失效）。",
                    "请为该产品分配激活码；失效的设备重新连接时将消耗新的激活码。",
                },
                "分配激活码"),
            (AlertKind.Lapsed, false) => (
                $"Renewals failed for lack of licenses: {facts.ProductName}",
                new[]
                {
                    $"{facts.Lapsed} device(s) of {facts.ProductName} ({facts.ProductKey}) could not renew their license because the product has none left; they can no longer connect (the first lapsed on {when}).",
                    "Allocate licenses to the product: a lapsed device consumes a new one when it reconnects.",
                },
                "Allocate licenses"),
            (AlertKind.LowPool, true) => (
                $"剩余激活码偏低：{facts.ProductName}",
                new[]
                {
                    $"产品 {facts.ProductName}（PK：{facts.ProductKey}）剩余可用激活码 {facts.Remaining} 个，仅占总数 {facts.Total} 个的 {percent}%，已达到告警阈值 {facts.LowPoolPercent}%。",
                    "请在设备需要之前及时分配激活码。",
                },
                "分配激活码"),
            _ => (
                $"Few licenses left: {facts.ProductName}",
                new[]
                {
                    $"{facts.ProductName} ({facts.ProductKey}) has {facts.Remaining} of {facts.Total} licenses left ({percent}%), at or below the {facts.LowPoolPercent}% alert level.",
                    "Allocate more licenses before its devices need them.",
                },
                "Allocate licenses"),
        };

        var footer = chinese
            ? "您收到这封邮件，是因为您是该开发者账号的资源告警接收人员。"
            : "You receive this email because you are an alert recipient of this developer account.";
        var text = string.Join("\n\n", lines) + $"\n\n{action}: {link}\n\n-- \n{footer}\n";
        var html = $"""
            <!DOCTYPE html>
            <html lang="{(chinese ? "zh-CN" : "en")}">
            <body style="font-family: sans-serif; color: #1f2937; max-width: 600px">
            <h2 style="color: #b45309">{WebUtility.HtmlEncode(subject)}</h2>
            {string.Concat(lines.Select(l => $"<p>{WebUtility.HtmlEncode(l)}</p>"))}
            <p><a href="{WebUtility.HtmlEncode(link)}" style="background: #2f6fed; color: #ffffff; padding: 10px 16px; border-radius: 6px; text-decoration: none">{WebUtility.HtmlEncode(action)}</a></p>
            <p style="color: #6b7280; font-size: 12px">{WebUtility.HtmlEncode(footer)}</p>
            </body>
            </html>
            """;
        return new ComposedEmail(subject, html, text);
    }
}
