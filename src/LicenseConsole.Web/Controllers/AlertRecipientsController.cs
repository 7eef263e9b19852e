using LicenseConsole.Accounts;
using LicenseConsole.Alerts;
using LicenseConsole.Email;
using LicenseConsole.Web.Hosting;
using LicenseConsole.Web.Models;
using LicenseConsole.Web.Tenancy;
using Microsoft.AspNetCore.Mvc;

namespace LicenseConsole.Web.Controllers;

[Route("alert-recipients")]
public sealed class AlertRecipientsController(AlertRecipientService recipients, TestEmailService testEmails) : ConsoleController
{
    [HttpGet("")]
    [Requires(Right.Read)]
    public async Task<IActionResult> Index(CancellationToken cancellationToken) =>
        View(await ModelAsync(new RecipientForm(), cancellationToken));

    [HttpPost("")]
    [Requires(Right.ManageRecipients)]
    [ShowRefusalsOnForm]
    public async Task<IActionResult> Add([Bind(Prefix = "Form")] RecipientForm form, CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            return Refused("Index", await ModelAsync(form, cancellationToken));
        }

        var added = await recipients.AddAsync(form.Name, form.Email, cancellationToken);
        return Done(Text["{0} ({1}) will receive resource alerts.", added.Name, added.Email], "/alert-recipients");
    }

    /// <summary>Removes a recipient; the owner's own entry and a sub-account without the right are refused on the error page, with the reason.</summary>
    [HttpPost("{id:long}/remove")]
    [Requires(Right.ManageRecipients)]
    public async Task<IActionResult> Remove(long id, CancellationToken cancellationToken)
    {
        await recipients.RemoveAsync(id, cancellationToken);
        return Done(Text["The recipient was removed."], "/alert-recipients");
    }

    /// <summary>Queues a test email to the owner and every recipient; the outbox sends it within seconds.</summary>
    [HttpPost("test-email")]
    [Requires(Right.ManageRecipients)]
    public async Task<IActionResult> SendTestEmail([FromServices] TestEmailThrottle throttle, [FromServices] TenantContext tenant, CancellationToken cancellationToken)
    {
        throttle.Take(tenant.RequireAccountId(), tenant.Actor);
        var queued = await testEmails.QueueAsync(cancellationToken);
        return Done(queued.WillBeSent
            ? Text["A test email is on its way to {0} recipient(s).", queued.Count]
            : Text["No SMTP server is configured: the {0} test emails wait in the outbox until one is. Set Smtp:Host (see Configuration in the README) and restart the app.", queued.Count],
            "/alert-recipients");
    }

    private async Task<RecipientsViewModel> ModelAsync(RecipientForm form, CancellationToken cancellationToken) =>
        new(await recipients.ListAsync(cancellationToken), form);
}
