using LicenseConsole.Accounts;
using LicenseConsole.Auditing;
using LicenseConsole.Common;
using LicenseConsole.Web.Models;
using LicenseConsole.Web.Tenancy;
using LicenseConsole.Web.Ui;
using Microsoft.AspNetCore.Mvc;

namespace LicenseConsole.Web.Controllers;

[Route("audit")]
[Requires(Right.ReadAudit)]
public sealed class AuditController(AuditLogService audit, ConsoleSession session) : ConsoleController
{
    [HttpGet("")]
    [ShowRefusalsOnForm]
    public async Task<IActionResult> Index([FromQuery] AuditFilterForm filter, CancellationToken cancellationToken)
    {
        var page = ModelState.IsValid ? await audit.SearchAsync(filter.ToFilter(), PageRequest.From(filter.Page ?? 1, 50), cancellationToken) : null;
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

        var entries = await audit.StreamAsync(filter.ToFilter(), cancellationToken);
        await session.ProfileAsync();
        var words = new AuditLogWords(Text, session);

        // Scripts read the code and the JSON where they always were; the words for people come after them.
        string[] header = [Text["Time"], Text["Who"], Text["Action"], Text["Subject"], Text["Before"], Text["After"], Text["Action in words"], Text["Change"]];
        await CsvExport.WriteAsync(Response, "audit-log.csv", header, entries,
            e => [session.IsoDateTime(e.At), e.Actor, e.Action, e.Subject, e.Before, e.After, words.Action(e.Action), words.Change(e)], cancellationToken);
        return new EmptyResult();
    }
}
