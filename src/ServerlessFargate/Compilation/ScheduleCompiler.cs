using System.Text.Json.Nodes;
using ServerlessFargate.CloudFormation;
using ServerlessFargate.Model;

namespace ServerlessFargate.Compilation;

/// <summary>
/// Scheduled tasks: the reference's string form is an EventBridge rule (<c>&lt;Id&gt;ScheduledTask</c>)
/// whose target runs the task; the object form is one AWS::Scheduler::Schedule per expression,
/// starting the task's definition through FargateIamSchedulerRole (or the task's own role). Both start the task with
/// <see cref="RunTaskParameters"/>.
/// </summary>
internal static class ScheduleCompiler
{
    public static Resource BuildRule(TaskModel task, TaskKind.Scheduled schedule)
    {
        var target = RunTaskParameters.RuleTarget(task);
        var properties = new JsonObject
        {
            ["ScheduleExpression"] = schedule.Schedule.Expression.Value,
            ["Targets"] = new JsonArray(target),
        };
        return new Resource("AWS::Events::Rule", properties, task.DependsOn);
    }

    public static Resource BuildSchedule(TaskModel task, ScheduleEntry entry)
    {
        var ecs = RunTaskParameters.EcsParameters(task, ruleSpelling: false);
        var target = new JsonObject
        {
            ["Arn"] = Fn.GetAtt(LogicalIds.Cluster, "Arn"),
            ["RoleArn"] = IamCompiler.SchedulerRoleArn(task),
            ["EcsParameters"] = ecs,
        };
        if (entry.Command is { } command)
        {
            // Scheduler passes Input to RunTask as its overrides: {"containerOverrides":[{"name":"worker","command":["sync","--full"]}]}
            var overrides = new JsonObject
            {
                ["containerOverrides"] = new JsonArray(new JsonObject
                {
                    ["name"] = task.Name.Value,
                    ["command"] = new JsonArray([.. command.Select(c => (JsonNode)JsonValue.Create(c))]),
                }),
            };
            target["Input"] = overrides.ToJsonString();
        }
        RunTaskParameters.AddDelivery(target, entry.Retries, entry.MaxEventAge, entry.DeadLetterQueueArn);

        var properties = new JsonObject
        {
            ["ScheduleExpression"] = entry.Schedule.Expression.Value,
        };
        if (entry.Schedule.TimeZone is { } zone)
        {
            properties["ScheduleExpressionTimezone"] = zone.Value;
        }
        properties["FlexibleTimeWindow"] = entry.FlexibleWindow is { } window
            ? new JsonObject { ["Mode"] = "FLEXIBLE", ["MaximumWindowInMinutes"] = window }
            : new JsonObject { ["Mode"] = "OFF" };
        properties["State"] = entry.Enabled ? "ENABLED" : "DISABLED";
        properties["Target"] = target;
        return new Resource("AWS::Scheduler::Schedule", properties, task.DependsOn);
    }
}
