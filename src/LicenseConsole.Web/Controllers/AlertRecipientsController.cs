using LicenseConsole.Alerts;
using LicenseConsole.Common;
using LicenseConsole.Email;
using LicenseConsole.Web.Models;
using Microsoft.AspNetCore.Mvc;

namespace LicenseConsole.Web.Controllers;

[Route("alert-recipients")]
public sealed class AlertRecipientsController(AlertRecipientService recipients, TestEmailService testEmails) : ConsoleController
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken) =>
        View(await ModelAsync(new RecipientForm(), cancellationToken));

    [HttpPost("")]
    public async Task<IActionResult> Add([Bind(Prefix = "Form")] RecipientForm form, CancellationToken cancellationToken)
    {
        if (ModelState.IsValid)
        {
            try
            {
                var added = await recipients.AddAsync(form.Name, form.Email, cancellationToken);
                return Done(Text["{0} ({1}) will receive resource alerts.", added.Name, added.Email], "/alert-recipients");
            }
            catch (DomainException e) when (e.Code == ErrorCodes.Forbidden)
            {
                AddError(e);
                return Refused("Index", await ModelAsync(form, cancellationToken), StatusCodes.Status403Forbidden);
            }
            catch (DomainException e)
            {
                AddError(e, new Dictionary<string, string> { ["name"] = "Form.Name", ["email"] = "Form.Email" });
            }
        }

        return Refused("Index", await ModelAsync(form, cancellationToken));
    }

    [HttpPost("{id:long}/remove")]
    public async Task<IActionResult> Remove(long id, CancellationToken cancellationToken)
    {
        try
        {
            await recipients.RemoveAsync(id, cancellationToken);
            return Done(Text["The recipient was removed."], "/alert-recipients");
        }
        catch (DomainException e) when (e.Code is ErrorCodes.RecipientNotFound)
        {
            return NotFound();
        }
        catch (DomainException e)
        {
            // The owner's own entry, or a sub-account whose right was revoked: the list again, with the reason.
            ModelState.AddModelError("", Ui.ConsoleErrors.Describe(e, Text));
            return Refused("Index", await ModelAsync(new RecipientForm(), cancellationToken),
                e.Code == ErrorCodes.Forbidden ? StatusCodes.Status403Forbidden : StatusCodes.Status400BadRequest);
        }
    }

    /// <summary>Queues a test email to the owner and every recipient; the outbox sends it within seconds.</summary>
    [HttpPost("test-email")]
    public async Task<IActionResult> SendTestEmail(CancellationToken cancellationToken)
    {
        try
        {
            var count = await testEmails.QueueAsync(cancellationToken);
            return Done(Text["A test email is on its way to {0} recipient(s).", count], "/alert-recipients");
        }
        catch (DomainException e)
        {
            TempData["Error"] = (string)Ui.ConsoleErrors.Describe(e, Text);
            return LocalRedirect("/alert-recipients");
        }
    }

    private async Task<RecipientsViewModel> ModelAsync(RecipientForm form, CancellationToken cancellationToken) =>
        new(await recipients.ListAsync(cancellationToken), await recipients.CanManageAsync(cancellationToken), form);
}
