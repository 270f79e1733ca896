using ServerlessFargate.Diagnostics;
using ServerlessFargate.Model;

namespace ServerlessFargate.Rules;

/// <summary>FG3010: desired count and deployment percentages within what ECS accepts.</summary>
internal sealed class ServiceCountsRule : IRule
{
    public void Check(RuleContext context, DiagnosticBag diagnostics)
    {
        foreach (var task in context.Model.Tasks)
        {
            if (task.Kind is not TaskKind.Service service)
            {
                continue;
            }
            var path = $"fargate.tasks.{task.Key}.service";
            if (service.DesiredCount < 0)
            {
                diagnostics.Error(DiagnosticCatalog.ServiceCounts, task.KeySpan, $"desiredCount {service.DesiredCount} is negative", path);
            }
            if (service.MinimumHealthyPercent is < 0 or > 100)
            {
                diagnostics.Error(DiagnosticCatalog.ServiceCounts, task.KeySpan,
                    $"minimumHealthyPercent {service.MinimumHealthyPercent} is outside 0 to 100", path);
            }
            if (service.MaximumPercent < 100 || service.MaximumPercent <= service.MinimumHealthyPercent)
            {
                diagnostics.Error(DiagnosticCatalog.ServiceCounts, task.KeySpan,
                    $"maximumPercent {service.MaximumPercent} must be at least 100 and above minimumHealthyPercent ({service.MinimumHealthyPercent}), or a deployment can never start a new task", path);
            }
        }
    }
}
