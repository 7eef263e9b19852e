using LicenseConsole.Common;
using LicenseConsole.Licensing;

namespace LicenseConsole.Devices;

/// <summary>The answer to one connection: an outcome, or the refusal.</summary>
public sealed record ConnectionAnswer(ConnectionOutcome? Outcome, DomainException? Refusal)
{
    public static ConnectionAnswer Of(ConnectionOutcome outcome) => new(outcome, null);

    public static ConnectionAnswer Refused(DomainException refusal) => new(null, refusal);
}

/// <summary>
/// What a batch of connections calls for: the ledger writes to make, and how each connection is answered once
/// they are made. Made by <see cref="ConnectionPlanner.Plan"/>, read by <see cref="ConnectionPlanner.Settle"/>.
/// </summary>
public sealed class ConnectionPlan
{
    internal ConnectionPlan(PlannedStep[] steps, LedgerWork work)
    {
        Steps = steps;
        Work = work;
    }

    public LedgerWork Work { get; }

    internal PlannedStep[] Steps { get; }
}

internal enum StepKind
{
    /// <summary>Answered from the read alone.</summary>
    Answered,

    /// <summary>Answered by the grant at <see cref="PlannedStep.Item"/>.</summary>
    Grant,

    /// <summary>Answered by the restore at <see cref="PlannedStep.Item"/>.</summary>
    Restore,

    /// <summary>Refused once the lapse at <see cref="PlannedStep.Item"/> is written.</summary>
    Lapse,

    /// <summary>The same device as the connection at <see cref="PlannedStep.Item"/>, earlier in the batch.</summary>
    Follow,
}

internal readonly record struct PlannedStep(StepKind Kind, int Item, ConnectionAnswer? Answer, DeviceLedgerState? Device);

/// <summary>
/// Turns a batch of connections and the ledger's state into ledger writes, and the writer's results into
/// answers (SPEC rules 3 to 7, decided per device by <see cref="ConnectionRules"/>). Pure: no database, no clock.
/// The batch is settled as if its connections came one by one in input order: each product's licenses go to its
/// earliest connections, and a device repeated in the batch is answered as the first occurrence left it (a
/// reconnection consumes nothing).
/// </summary>
public static class ConnectionPlanner
{
    // Reconnections are reads; where a device was last seen is written at most this often.
    private static readonly TimeSpan SightingGranularity = TimeSpan.FromHours(1);

    public static ConnectionPlan Plan(IReadOnlyList<ConnectionRequest> requests, IReadOnlyList<ConnectionState?> states, DateTime now)
    {
        if (requests.Count != states.Count)
        {
            throw new ArgumentException("One state per request.", nameof(states));
        }

        var work = new LedgerWork();
        var steps = new PlannedStep[requests.Count];
        var first = new Dictionary<(string, string), int>();
        for (var i = 0; i < requests.Count; i++)
        {
            var request = requests[i];
            if (first.TryGetValue((request.ProductKey, request.DeviceKey), out var leader))
            {
                steps[i] = new PlannedStep(StepKind.Follow, leader, null, null);
                continue;
            }

            first.Add((request.ProductKey, request.DeviceKey), i);
            steps[i] = PlanOne(request, states[i], now, work);
        }

        return new ConnectionPlan(steps, work);
    }

    /// <summary>The answers the read alone decides (reconnections, refusals), before anything is written; null for the rest.</summary>
    public static ConnectionAnswer?[] AnsweredByRead(ConnectionPlan plan)
    {
        var answers = new ConnectionAnswer?[plan.Steps.Length];
        for (var i = 0; i < plan.Steps.Length; i++)
        {
            var step = plan.Steps[i];
            answers[i] = step.Kind switch
            {
                StepKind.Answered => step.Answer,
                StepKind.Follow => Repeat(answers[step.Item]),
                _ => null,
            };
        }

        return answers;
    }

    /// <summary>Each connection's answer, or null for one to read and plan again (its device changed meanwhile).</summary>
    public static ConnectionAnswer?[] Settle(ConnectionPlan plan, LedgerResult result, DateTime now)
    {
        var answers = new ConnectionAnswer?[plan.Steps.Length];
        for (var i = 0; i < plan.Steps.Length; i++)
        {
            var step = plan.Steps[i];
            answers[i] = step.Kind switch
            {
                StepKind.Answered => step.Answer,
                StepKind.Follow => Repeat(answers[step.Item]),
                _ when result.Conflict => null,
                StepKind.Grant => GrantAnswer(plan.Work.Grants[step.Item], result.Grants[step.Item], now),
                StepKind.Restore => result.Restored[step.Item]
                    ? ConnectionAnswer.Of(new ConnectionOutcome(ConnectionResult.Restored, false, step.Device!.ActivatedAt!.Value, step.Device.ExpiresAt!.Value))
                    : null,
                StepKind.Lapse => result.Lapsed[step.Item] ? ConnectionAnswer.Refused(Refusals.AutoRenewOff.Error()) : null,
                _ => throw new InvalidOperationException($"Unknown step {step.Kind}."),
            };
        }

        return answers;
    }

    private static PlannedStep PlanOne(ConnectionRequest request, ConnectionState? state, DateTime now, LedgerWork work)
    {
        if (state is null)
        {
            return Answered(Refusals.GatewayProductNotFound.Error());
        }

        var product = state.Product;
        if (product.Deleted)
        {
            return Answered(Refusals.ProductDeleted.Error());
        }

        var licensed = product.SpecCode is not null && product.ValidityMonths is not null;
        if (state.Device is not { } device)
        {
            // Seen for the first time: created with its license, or without one when the product has none.
            return Grant(work, new LicenseGrant(
                null, 0, product.Id, product.AccountId, request.DeviceKey, licensed ? product.SpecCode : null,
                now, licensed ? LicenseTerms.PeriodEnd(now, product.ValidityMonths!.Value) : now,
                ActivationKind.First, request.DataCenter, Connecting: true, LapseIfRefused: null));
        }

        var step = ConnectionRules.Decide(new DeviceLicenseState(device.ExpiresAt, device.LapsedAt, device.DeletedAt, device.AutoRenew), product.AutoRenew, now);
        switch (step)
        {
            case ConnectionStep.Valid:
                if (device.LastDataCenter != request.DataCenter || !(device.LastConnectedAt > now - SightingGranularity))
                {
                    work.Sightings.Add(new DeviceSighting(device.Id, request.DataCenter));
                }

                return Answered(new ConnectionOutcome(ConnectionResult.Valid, false, device.ActivatedAt!.Value, device.ExpiresAt!.Value));

            case ConnectionStep.Restore:
                work.Restores.Add(new DeviceRestore(device.Id, device.ActivationCount, request.DataCenter));
                return new PlannedStep(StepKind.Restore, work.Restores.Count - 1, null, device);

            case ConnectionStep.RefuseAutoRenewOff when device.LapsedAt is not null:
                return Answered(Refusals.AutoRenewOff.Error());

            case ConnectionStep.RefuseAutoRenewOff:
                // Refused once the lapse is written: whoever reads the device after the refusal sees it lapsed.
                work.Lapses.Add(new DeviceLapse(device.Id, device.ActivationCount, LapseReason.AutoRenewOff));
                return new PlannedStep(StepKind.Lapse, work.Lapses.Count - 1, null, device);

            default:
                if (!licensed)
                {
                    return Answered(Refusals.NoLicenseAvailable.Error());
                }

                var renewal = step == ConnectionStep.ConsumeRenewal;
                var start = renewal ? device.ExpiresAt!.Value : now;
                return Grant(work, new LicenseGrant(
                    device.Id, device.ActivationCount, product.Id, product.AccountId, request.DeviceKey, product.SpecCode,
                    start, LicenseTerms.PeriodEnd(start, product.ValidityMonths!.Value), ConnectionRules.KindOf(step), request.DataCenter,
                    Connecting: true, LapseIfRefused: renewal ? LapseReason.NoLicense : null));
        }
    }

    private static ConnectionAnswer? GrantAnswer(LicenseGrant grant, GrantResult result, DateTime now) => result switch
    {
        // Renewed where the last period ended, and that period is over too: renew again.
        GrantResult.Consumed when grant.End <= now => null,
        GrantResult.Consumed => ConnectionAnswer.Of(new ConnectionOutcome(
            grant.Kind == ActivationKind.First ? ConnectionResult.Activated : ConnectionResult.Renewed, true, grant.Start, grant.End)),
        GrantResult.NoLicense => ConnectionAnswer.Refused(Refusals.NoLicenseAvailable.Error()),
        _ => null,
    };

    /// <summary>A repeat of a device finds it as the first occurrence left it: licensed and valid, or refused alike.</summary>
    private static ConnectionAnswer? Repeat(ConnectionAnswer? first) => first switch
    {
        null => null,
        { Outcome: { } outcome } => ConnectionAnswer.Of(outcome with { Result = ConnectionResult.Valid, Consumed = false }),
        _ => first,
    };

    private static PlannedStep Answered(ConnectionOutcome outcome) => new(StepKind.Answered, -1, ConnectionAnswer.Of(outcome), null);

    private static PlannedStep Answered(DomainException refusal) => new(StepKind.Answered, -1, ConnectionAnswer.Refused(refusal), null);

    private static PlannedStep Grant(LedgerWork work, LicenseGrant grant)
    {
        work.Grants.Add(grant);
        return new PlannedStep(StepKind.Grant, work.Grants.Count - 1, null, null);
    }
}
