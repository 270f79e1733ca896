using System.Text.Json.Nodes;
using ServerlessFargate.Diagnostics;
using ServerlessFargate.Model;

namespace ServerlessFargate.Rules;

/// <summary>
/// FG3026 (a warning): the escape hatch replaces a top-level property whole. A
/// <c>DeploymentConfiguration</c> written there drops the generated circuit breaker and deployment
/// percents it does not repeat, which nobody notices until a bad deployment fails to roll back.
/// </summary>
internal sealed class EscapeHatchLossRule() : TaskRule(new("FG3026", "an escape hatch that drops generated settings", Severity.Warning,
    "`cloudFormationResource.service.DeploymentConfiguration` replaces the generated one whole, so the circuit breaker and deployment percents it does not repeat are lost, which nobody notices until a bad deployment fails to roll back.",
    Source: null))
{
    protected override void Check(TaskModel task, RuleContext context, DiagnosticBag diagnostics)
    {
        if (task.Kind is not TaskKind.Service service || task.Overrides.Service["DeploymentConfiguration"] is not JsonObject written)
        {
            return;
        }
        var lost = new List<string>();
        if (service.CircuitBreaker && written["DeploymentCircuitBreaker"] is null)
        {
            lost.Add("the deployment circuit breaker with rollback");
        }
        if (written["MaximumPercent"] is null)
        {
            lost.Add($"MaximumPercent {service.MaximumPercent.Value}");
        }
        if (written["MinimumHealthyPercent"] is null)
        {
            lost.Add($"MinimumHealthyPercent {service.MinimumHealthyPercent.Value}");
        }
        if (lost.Count > 0)
        {
            diagnostics.Warning(Descriptor, task.KeySpan,
                $"task `{task.Key}`'s cloudFormationResource.service.DeploymentConfiguration replaces the generated one whole, so {(lost.Count == 1 ? lost[0] : string.Join(", ", lost[..^1]) + " and " + lost[^1])} {(lost.Count == 1 ? "is" : "are")} lost; repeat {(lost.Count == 1 ? "it" : "them")} there, or drop the escape hatch and use `service:` keys",
                $"fargate.tasks.{task.Key}.cloudFormationResource.service.DeploymentConfiguration");
        }
    }
}
