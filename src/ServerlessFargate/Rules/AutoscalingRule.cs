using ServerlessFargate.Diagnostics;
using ServerlessFargate.Model;

namespace ServerlessFargate.Rules;

/// <summary>FG3020: autoscaling settings that cannot work as written.</summary>
internal sealed class AutoscalingRule() : TaskRule(new("FG3020", "autoscaling settings that cannot work", Severity.Error,
    "Autoscaling that cannot work as written: `min` above `max`, nothing to track, `sqs` scaling without Container Insights, or autoscaling on a scheduled task. A `desiredCount` beside `autoscaling` is ignored (a warning).",
    Source: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-auto-scaling.html"))
{
    protected override void Check(TaskModel task, RuleContext context, DiagnosticBag diagnostics)
    {
        if (task.Kind is TaskKind.Scheduled or TaskKind.Schedules && task.AutoscalingKey is { } key)
        {
            diagnostics.Error(Descriptor, key,
                "autoscaling scales a service's task count, and a task with `schedule` is not a service; remove `schedule` or `autoscaling`",
                $"fargate.tasks.{task.Key}.service.autoscaling");
        }
        if (task.Kind is not TaskKind.Service { Autoscaling: { } scaling } service)
        {
            return;
        }
        var path = $"fargate.tasks.{task.Key}.service.autoscaling";
        if (scaling.Min.Value > scaling.Max.Value)
        {
            diagnostics.Error(Descriptor, scaling.Min.Span,
                $"min {scaling.Min.Value} is above max {scaling.Max.Value}", path + ".min");
        }
        if (scaling.Cpu is null && scaling.Memory is null && scaling.Queue is null)
        {
            diagnostics.Error(Descriptor, scaling.Span,
                "autoscaling needs something to track: `cpu`, `memory` or `sqs`", path);
        }
        if (scaling.Queue is { } queue && context.Model.Cluster.ContainerInsights != true)
        {
            diagnostics.Error(Descriptor, queue.Queue.Span,
                "scaling on the queue backlog divides by the service's running task count, which ECS publishes through Container Insights; set `fargate.containerInsights: true`",
                path + ".sqs");
        }
        if (service.DesiredCountKey is { } desired)
        {
            diagnostics.Warning(Descriptor, desired,
                "`desiredCount` is ignored for an autoscaled service: autoscaling keeps the count between `min` and `max`, and the template leaves DesiredCount out so a deploy does not reset it",
                $"fargate.tasks.{task.Key}.service.desiredCount");
        }
    }
}
