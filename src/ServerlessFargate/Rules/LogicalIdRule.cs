using ServerlessFargate.Diagnostics;
using ServerlessFargate.Model;

namespace ServerlessFargate.Rules;

/// <summary>
/// FG3006 and FG3007: every logical ID and output name a task produces must be new. Two tasks
/// whose names reduce to one <c>&lt;Id&gt;</c> (<c>my-task</c> and <c>mytask</c>), or an ID the
/// stack already has, would make one silently overwrite the other.
/// </summary>
internal sealed class LogicalIdRule : IRule
{
    public void Check(RuleContext context, DiagnosticBag diagnostics)
    {
        var taken = new Dictionary<string, TakenId>(StringComparer.Ordinal);
        foreach (var id in context.TakenIds)
        {
            taken.TryAdd(id.Id, id);
        }

        var shared = new[] { LogicalIds.Cluster, LogicalIds.LogGroup, LogicalIds.ExecutionRole, LogicalIds.TaskRole, LogicalIds.EventsRole, LogicalIds.SchedulerRole, LogicalIds.FallbackEventsRole }
            .Concat(context.Model.ImageParameters.Select(p => p.LogicalId));
        foreach (var id in shared)
        {
            if (taken.TryGetValue(id, out var existing))
            {
                diagnostics.Error(DiagnosticCatalog.ExistingIdCollision, existing.Span,
                    $"`{id}` is a logical ID sls-fargate generates, and {existing.Owner} already uses it; rename it there",
                    null);
            }
        }

        var byId = new Dictionary<string, TaskModel>(StringComparer.Ordinal);
        foreach (var task in context.Model.Tasks)
        {
            if (task.Id.Length == 0)
            {
                continue; // EcsNameRule reports names without letters or digits.
            }
            if (byId.TryGetValue(task.Id, out var first))
            {
                diagnostics.Error(DiagnosticCatalog.TaskIdCollision, task.Name.Span,
                    $"tasks `{first.Name.Value}` (line {first.Name.Span.Line}) and `{task.Name.Value}` both give the logical ID prefix `{task.Id}`, so one would overwrite the other; rename one of them",
                    $"fargate.tasks.{task.Key}");
                continue;
            }
            byId[task.Id] = task;
            foreach (var id in IdsOf(task))
            {
                if (taken.TryGetValue(id, out var existing))
                {
                    diagnostics.Error(DiagnosticCatalog.ExistingIdCollision, task.Name.Span,
                        $"task `{task.Name.Value}` generates the logical ID `{id}`, which {existing.Owner} already uses (line {existing.Span.Line} of {existing.Span.File.DisplayPath}); rename the task with `name:` or rename the other",
                        $"fargate.tasks.{task.Key}");
                }
            }
        }
    }

    /// <summary>Resource IDs and output names a task adds to the template.</summary>
    public static IEnumerable<string> IdsOf(TaskModel task)
    {
        yield return LogicalIds.TaskDefinition(task.Id);
        if (task.Outputs.TaskArn)
        {
            yield return LogicalIds.TaskArnOutput(task.Id);
        }
        switch (task.Kind)
        {
            case TaskKind.Service service:
                yield return LogicalIds.Service(task.Id);
                if (task.Spot?.Fallback is not null)
                {
                    yield return LogicalIds.FallbackService(task.Id);
                    yield return LogicalIds.FallbackStateMachine(task.Id);
                    yield return LogicalIds.FallbackRole(task.Id);
                    yield return LogicalIds.FallbackRule(task.Id);
                    if (task.Outputs.ServiceArn)
                    {
                        yield return LogicalIds.FallbackServiceArnOutput(task.Id);
                    }
                }
                if (service.Autoscaling is { } scaling)
                {
                    yield return LogicalIds.ScalableTarget(task.Id);
                    if (scaling.Cpu is not null)
                    {
                        yield return LogicalIds.CpuScalingPolicy(task.Id);
                    }
                    if (scaling.Memory is not null)
                    {
                        yield return LogicalIds.MemoryScalingPolicy(task.Id);
                    }
                    if (scaling.Queue is not null)
                    {
                        yield return LogicalIds.QueueScalingPolicy(task.Id);
                    }
                }
                if (task.Outputs.ServiceArn)
                {
                    yield return LogicalIds.ServiceArnOutput(task.Id);
                }
                break;
            case TaskKind.Schedules schedules:
                for (var number = 1; number <= schedules.Entries.Count; number++)
                {
                    yield return LogicalIds.Schedule(task.Id, number);
                    if (task.Outputs.ScheduledTaskArn)
                    {
                        yield return LogicalIds.ScheduleArnOutput(task.Id, number);
                    }
                }
                break;
            case TaskKind.Scheduled:
                yield return LogicalIds.ScheduledTask(task.Id);
                if (task.Outputs.ScheduledTaskArn)
                {
                    yield return LogicalIds.ScheduledTaskArnOutput(task.Id);
                }
                break;
        }
    }
}
