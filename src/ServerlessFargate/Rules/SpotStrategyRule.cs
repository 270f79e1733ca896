using ServerlessFargate.Diagnostics;

namespace ServerlessFargate.Rules;

/// <summary>
/// FG3009: Fargate Spot runs only X86_64 tasks; an ARM64 task on Spot never starts. FG3022: a
/// strategy whose weights are all zero places nothing.
/// </summary>
internal sealed class SpotStrategyRule : IRule
{
    private const int MaxStrategyItems = 6;

    public void Check(RuleContext context, DiagnosticBag diagnostics)
    {
        foreach (var task in context.Model.Tasks)
        {
            if (task.Spot is { UsesSpot: true } && task.Architecture is { Value: "ARM64" } architecture)
            {
                diagnostics.Error(DiagnosticCatalog.SpotArm64, architecture.Span,
                    $"task `{task.Key}` runs on Fargate Spot with architecture ARM64, which Fargate Spot does not offer; use X86_64 or turn spot off",
                    $"fargate.tasks.{task.Key}.architecture");
            }
            // The DSL makes at most two items; an escape hatch can write more than ECS takes.
            if (task.Overrides.Service["CapacityProviderStrategy"] is System.Text.Json.Nodes.JsonArray { Count: > MaxStrategyItems } items)
            {
                diagnostics.Error(DiagnosticCatalog.SpotStrategy, task.KeySpan,
                    $"task `{task.Key}`'s cloudFormationResource.service.CapacityProviderStrategy has {items.Count} items; ECS takes at most {MaxStrategyItems}",
                    $"fargate.tasks.{task.Key}.cloudFormationResource.service");
            }
            if (task.Spot is { OnDemandWeight: 0, SpotWeight: 0 } strategy)
            {
                diagnostics.Error(DiagnosticCatalog.SpotStrategy, strategy.Span,
                    $"task `{task.Key}`'s spot strategy has onDemandWeight and spotWeight both 0, so ECS can place no task beyond the base; give one of them a weight above 0",
                    $"fargate.tasks.{task.Key}.spot");
            }
        }
    }
}
