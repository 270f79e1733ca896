using ServerlessFargate.Diagnostics;
using ServerlessFargate.Model;

namespace ServerlessFargate.Rules;

/// <summary>FG3020: autoscaling settings that cannot work as written.</summary>
internal sealed class AutoscalingRule : IRule
{
    public void Check(RuleContext context, DiagnosticBag diagnostics)
    {
        foreach (var task in context.Model.Tasks)
        {
            if (task.Kind is not TaskKind.Service { Autoscaling: { } scaling } service)
            {
                continue;
            }
            var path = $"fargate.tasks.{task.Key}.service.autoscaling";
            if (scaling.Min.Value > scaling.Max.Value)
            {
                diagnostics.Error(DiagnosticCatalog.AutoscalingSettings, scaling.Min.Span,
                    $"min {scaling.Min.Value} is above max {scaling.Max.Value}", path + ".min");
            }
            if (scaling.Cpu is null && scaling.Memory is null && scaling.Queue is null)
            {
                diagnostics.Error(DiagnosticCatalog.AutoscalingSettings, scaling.Span,
                    "autoscaling needs something to track: `cpu`, `memory` or `sqs`", path);
            }
            if (scaling.Queue is { } queue && context.Model.Cluster.ContainerInsights != true)
            {
                diagnostics.Error(DiagnosticCatalog.AutoscalingSettings, queue.Queue.Span,
                    "scaling on the queue backlog divides by the service's running task count, which ECS publishes through Container Insights; set `fargate.containerInsights: true`",
                    path + ".sqs");
            }
            if (service.DesiredCountKey is { } desired)
            {
                diagnostics.Warning(DiagnosticCatalog.AutoscalingSettings, desired,
                    "`desiredCount` is ignored for an autoscaled service: autoscaling keeps the count between `min` and `max`, and the template leaves DesiredCount out so a deploy does not reset it",
                    $"fargate.tasks.{task.Key}.service.desiredCount");
            }
        }
    }
}
