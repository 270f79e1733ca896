using ServerlessFargate.Diagnostics;
using ServerlessFargate.Model;

namespace ServerlessFargate.Rules;

/// <summary>
/// FG3024: <c>fallback</c> is offered for services. Scheduled and standalone runs are not
/// offered it: EventBridge and Scheduler retry a refused RunTask with the same capacity provider
/// strategy, and switching a run to FARGATE would take code watching task state changes, which
/// sls-fargate does not generate. A run that must happen uses FARGATE (no spot, or onDemandBase 1).
/// </summary>
internal sealed class SpotFallbackRule() : TaskRule(new("FG3024", "Spot fallback where it cannot work", Severity.Error,
    "`spot.fallback` where it cannot work: on a task that is not a service, without Spot capacity (`spotWeight: 0`), or together with autoscaling.",
    Source: null))
{
    protected override void Check(TaskModel task, RuleContext context, DiagnosticBag diagnostics)
    {
        if (task.Spot is not { Fallback: { } at } spot)
        {
            return;
        }
        var path = $"fargate.tasks.{task.Key}.spot.fallback";
        if (task.Kind is not TaskKind.Service service)
        {
            diagnostics.Error(Descriptor, at,
                $"task `{task.Key}` is not a service, and fallback is offered for services only: EventBridge retries a refused scheduled run with the same Spot strategy, and moving it to FARGATE would take code sls-fargate does not generate. For a run that must happen, use `spot: false` or `onDemandBase: 1` (a single run then goes to FARGATE)",
                path);
        }
        else if (!spot.UsesSpot)
        {
            diagnostics.Error(Descriptor, at,
                $"task `{task.Key}` has fallback but no Spot capacity (spotWeight 0): there is nothing to fall back from", path);
        }
        else if (service.Autoscaling is not null)
        {
            diagnostics.Error(Descriptor, at,
                $"task `{task.Key}` has both fallback and autoscaling; the on-demand twin would copy a count the scaler keeps changing. Use one of them (with autoscaling, `onDemandBase` keeps a floor on demand)",
                path);
        }
    }
}
