using LicenseConsole.Common;

namespace LicenseConsole.Devices;

/// <summary>
/// The gateway's connections, on either provider. A single connection joins the batch the
/// <see cref="ConnectionBatcher"/> settles next (PostgreSQL), or is settled alone (SQLite, one writer); a bulk call
/// is a batch of its own. Either way <see cref="ConnectionSettlement"/> settles it.
/// </summary>
public sealed class DeviceConnections(ConnectionSettlement settlement, ConnectionBatcher? batcher = null) : IDeviceConnections
{
    public const int MaxPerCall = 1000;

    public async Task<ConnectionOutcome> ConnectAsync(string? productKey, string? deviceKey, string? dataCenter, CancellationToken cancellationToken = default)
    {
        var request = ConnectionRequest.Validate(productKey, deviceKey, dataCenter);
        var answer = batcher is not null
            ? await batcher.SettleAsync(request, cancellationToken)
            : (await settlement.SettleAsync([request], null, cancellationToken))[0];
        return answer.Outcome ?? throw answer.Refusal!;
    }

    public async Task<IReadOnlyList<ConnectionAnswer>> ConnectManyAsync(IReadOnlyList<ConnectionInput> connections, CancellationToken cancellationToken = default)
    {
        var answers = new ConnectionAnswer[connections.Count];
        var valid = new List<(int Index, ConnectionRequest Request)>(connections.Count);
        for (var i = 0; i < connections.Count; i++)
        {
            try
            {
                valid.Add((i, ConnectionRequest.Validate(connections[i].ProductKey, connections[i].DeviceKey, connections[i].DataCenter)));
            }
            catch (DomainException refusal)
            {
                answers[i] = ConnectionAnswer.Refused(refusal);
            }
        }

        if (valid.Count > 0)
        {
            var settled = await settlement.SettleAsync([.. valid.Select(v => v.Request)], null, cancellationToken);
            for (var k = 0; k < valid.Count; k++)
            {
                answers[valid[k].Index] = settled[k];
            }
        }

        return answers;
    }
}
