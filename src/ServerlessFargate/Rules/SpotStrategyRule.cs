using System.Text.Json.Nodes;
using ServerlessFargate.Diagnostics;
using ServerlessFargate.Model;

namespace ServerlessFargate.Rules;

/// <summary>
/// FG3022: a capacity provider strategy ECS cannot use: weights all zero place nothing, and a
/// strategy holds at most 20 items (ECS API reference, CapacityProviderStrategyItem:
/// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CapacityProviderStrategyItem.html).
/// </summary>
internal sealed class SpotStrategyRule() : TaskRule(new("FG3022", "a capacity provider strategy ECS cannot use", Severity.Error,
    "A capacity provider strategy ECS cannot use: more than 20 items (written through the escape hatch), or a Spot strategy whose `onDemandWeight` and `spotWeight` are both 0, so that beyond `onDemandBase` ECS could place no task.",
    Source: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CapacityProviderStrategyItem.html"))
{
    private const int MaxStrategyItems = 20;

    protected override void Check(TaskModel task, RuleContext context, DiagnosticBag diagnostics)
    {
        // The DSL makes at most two items; an escape hatch can write more than ECS takes.
        if (task.Overrides.Service["CapacityProviderStrategy"] is JsonArray { Count: > MaxStrategyItems } items)
        {
            diagnostics.Error(Descriptor, task.KeySpan,
                $"task `{task.Key}`'s cloudFormationResource.service.CapacityProviderStrategy has {items.Count} items; ECS takes at most {MaxStrategyItems}",
                $"fargate.tasks.{task.Key}.cloudFormationResource.service");
        }
        if (task.Spot is { OnDemandWeight: 0, SpotWeight: 0 } strategy)
        {
            diagnostics.Error(Descriptor, strategy.Span,
                $"task `{task.Key}`'s spot strategy has onDemandWeight and spotWeight both 0, so ECS can place no task beyond the base; give one of them a weight above 0",
                $"fargate.tasks.{task.Key}.spot");
        }
    }
}
