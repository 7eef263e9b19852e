using LicenseConsole.Auditing;
using LicenseConsole.Common;
using LicenseConsole.Web.Ui;
using LicenseConsole.Web.Models;
using LicenseConsole.Web.Tenancy;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace LicenseConsole.Web.Controllers;

[Route("audit")]
[Authorize(Policy = ConsoleClaims.OwnerPolicy)]
public sealed class AuditController(AuditLogService audit, ConsoleSession session) : ConsoleController
{
    [HttpGet("")]
    public async Task<IActionResult> Index([FromQuery] AuditFilterForm filter, CancellationToken cancellationToken)
    {
        Paged<AuditRecord>? page = null;
        if (ModelState.IsValid)
        {
            try
            {
                page = await audit.SearchAsync(filter.ToFilter(), PageRequest.From(filter.Page ?? 1, 50), cancellationToken);
            }
            catch (DomainException e)
            {
                AddError(e, new Dictionary<string, string> { ["to"] = nameof(AuditFilterForm.To) });
            }
        }

        var model = new AuditViewModel(filter, page, await audit.ActionsAsync(cancellationToken));
        return ModelState.IsValid ? View(model) : Refused("Index", model);
    }

    [HttpGet("export")]
    public async Task<IActionResult> Export([FromQuery] AuditFilterForm filter, CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            return BadRequest();
        }

        IAsyncEnumerable<AuditRecord> entries;
        try
        {
            entries = await audit.StreamAsync(filter.ToFilter(), cancellationToken);
        }
        catch (DomainException)
        {
            return BadRequest();
        }

        await session.ProfileAsync();
        string[] header = [Text["Time"], Text["Who"], Text["Action"], Text["Subject"], Text["Before"], Text["After"]];
        try
        {
            await CsvExport.WriteAsync(Response, "audit-log.csv", header, entries,
                e => [session.DateTime(e.At), e.Actor, e.Action, e.Subject, e.Before, e.After], cancellationToken);
        }
        catch (DomainException) when (!Response.HasStarted)
        {
            return BadRequest();
        }

        return new EmptyResult();
    }
}
