using ServerlessFargate.Diagnostics;
using ServerlessFargate.Model;

namespace ServerlessFargate.Rules;

/// <summary>
/// FG3010: desired count and deployment percentages ECS accepts. A maximumPercent at or below
/// minimumHealthyPercent leaves a rolling deployment no room to start a new task, so it never ends.
/// </summary>
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
            if (service.DesiredCount.Value < 0)
            {
                diagnostics.Error(DiagnosticCatalog.ServiceCounts, service.DesiredCount.Span,
                    $"desiredCount {service.DesiredCount.Value} is negative; use 0 or more", path + ".desiredCount");
            }
            if (service.MinimumHealthyPercent.Value is < 0 or > 100)
            {
                diagnostics.Error(DiagnosticCatalog.ServiceCounts, service.MinimumHealthyPercent.Span,
                    $"minimumHealthyPercent {service.MinimumHealthyPercent.Value} is outside 0 to 100", path + ".minimumHealthyPercent");
            }
            if (service.MaximumPercent.Value < 100 || service.MaximumPercent.Value <= service.MinimumHealthyPercent.Value)
            {
                diagnostics.Error(DiagnosticCatalog.ServiceCounts, service.MaximumPercent.Span,
                    $"maximumPercent {service.MaximumPercent.Value} must be at least 100 and above minimumHealthyPercent ({service.MinimumHealthyPercent.Value}), or a deployment can never start a new task",
                    path + ".maximumPercent");
            }
        }
    }
}
