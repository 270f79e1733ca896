using ServerlessFargate.Diagnostics;
using ServerlessFargate.Model;

namespace ServerlessFargate.Rules;

/// <summary>FG3012 (a warning): <c>service</c> settings on a task with <c>schedule</c> do nothing.</summary>
internal sealed class ServiceOnScheduledTaskRule() : TaskRule(new("FG3012", "service settings on a scheduled task", Severity.Warning,
    "`service` settings on a task that also has `schedule`: a scheduled task runs on its schedule, not as a service, so the settings are ignored.",
    Source: null))
{
    protected override void Check(TaskModel task, RuleContext context, DiagnosticBag diagnostics)
    {
        // Autoscaling there is an error of its own (AutoscalingRule), which says more.
        if (task.Kind is TaskKind.Scheduled or TaskKind.Schedules && task.ServiceKey is { } key && task.AutoscalingKey is null)
        {
            diagnostics.Warning(Descriptor, key,
                "`service` settings are ignored: a task with `schedule` runs on its schedule, not as a service",
                $"fargate.tasks.{task.Key}");
        }
    }
}
