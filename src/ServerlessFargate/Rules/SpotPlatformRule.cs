using System.Text.Json.Nodes;
using ServerlessFargate.Diagnostics;
using ServerlessFargate.Model;

namespace ServerlessFargate.Rules;

/// <summary>
/// FG3009: Fargate Spot runs X86_64 tasks on platform version 1.3.0 or later and ARM64 tasks on
/// 1.4.0 or later (ECS API reference, CapacityProviderStrategyItem:
/// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CapacityProviderStrategyItem.html).
/// The DSL never pins a version (LATEST is 1.4.0); an escape hatch's <c>PlatformVersion</c> can.
/// </summary>
internal sealed class SpotPlatformRule() : TaskRule(new("FG3009", "Fargate Spot on a platform version that cannot run the task", Severity.Error,
    "Fargate Spot on a platform version that cannot run the task: Fargate Spot runs X86_64 tasks on platform version 1.3.0 or later and ARM64 tasks on 1.4.0 or later.",
    Source: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CapacityProviderStrategyItem.html"))
{
    protected override void Check(TaskModel task, RuleContext context, DiagnosticBag diagnostics)
    {
        if (task.Spot is not { UsesSpot: true }
            || task.Overrides.Service["PlatformVersion"] is not JsonValue pinned || !pinned.TryGetValue<string>(out var text)
            || !Version.TryParse(text, out var version))
        {
            return;
        }
        var architecture = task.Architecture?.Value ?? "X86_64";
        var minimum = architecture == "ARM64" ? new Version(1, 4, 0) : new Version(1, 3, 0);
        if (version < minimum)
        {
            diagnostics.Error(Descriptor, task.KeySpan,
                $"task `{task.Key}` runs on Fargate Spot with {architecture} on platform version {text}, and Fargate Spot runs {architecture} tasks on {minimum} or later; remove `PlatformVersion` from cloudFormationResource.service (LATEST is used) or raise it",
                $"fargate.tasks.{task.Key}.cloudFormationResource.service.PlatformVersion");
        }
    }
}
