using System.Text.Json.Nodes;
using ServerlessFargate.CloudFormation;
using ServerlessFargate.Model;

namespace ServerlessFargate.Compilation;

/// <summary>
/// The object form of <c>schedule</c>: one AWS::Scheduler::Schedule per expression, starting the
/// task's definition in the cluster through FargateIamSchedulerRole.
/// </summary>
internal static class SchedulerCompiler
{
    public static Resource BuildSchedule(TaskModel task, ScheduleEntry entry, JsonArray? strategy, JsonObject network)
    {
        var ecs = new JsonObject
        {
            ["TaskDefinitionArn"] = Fn.Ref(LogicalIds.TaskDefinition(task.Id)),
            ["TaskCount"] = 1,
        };
        // A capacity provider strategy and a launch type exclude each other.
        if (strategy is not null)
        {
            ecs["CapacityProviderStrategy"] = strategy;
        }
        else
        {
            ecs["LaunchType"] = "FARGATE";
        }
        // Scheduler spells it AwsvpcConfiguration, as the ECS service does (EventBridge rules: AwsVpcConfiguration).
        ecs["NetworkConfiguration"] = new JsonObject { ["AwsvpcConfiguration"] = network };
        if (task.Runtime.Exec.Value)
        {
            ecs["EnableExecuteCommand"] = true;
        }

        var target = new JsonObject
        {
            ["Arn"] = Fn.GetAtt(LogicalIds.Cluster, "Arn"),
            ["RoleArn"] = Fn.GetAtt(LogicalIds.SchedulerRole, "Arn"),
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
        if (entry.Retries is not null || entry.MaxEventAge is not null)
        {
            var retry = new JsonObject();
            if (entry.MaxEventAge is { } age)
            {
                retry["MaximumEventAgeInSeconds"] = age;
            }
            if (entry.Retries is { } retries)
            {
                retry["MaximumRetryAttempts"] = retries;
            }
            target["RetryPolicy"] = retry;
        }
        if (entry.DeadLetterQueueArn is { } queue)
        {
            target["DeadLetterConfig"] = new JsonObject { ["Arn"] = queue.DeepClone() };
        }

        var properties = new JsonObject
        {
            ["ScheduleExpression"] = entry.Expression.Value,
        };
        if (entry.TimeZone is { } zone)
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
