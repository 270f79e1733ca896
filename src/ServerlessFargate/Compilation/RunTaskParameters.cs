using System.Text.Json.Nodes;
using ServerlessFargate.CloudFormation;
using ServerlessFargate.Model;

namespace ServerlessFargate.Compilation;

/// <summary>
/// How a task is started through ECS RunTask: its task definition, network, capacity (a Spot
/// strategy or the FARGATE launch type) and ECS Exec. EventBridge rules and Scheduler schedules
/// pass these to RunTask, and a command that runs a task on demand passes the same.
/// </summary>
public static class RunTaskParameters
{
    /// <summary>
    /// ECS's RunTask parameters in CloudFormation's shape. EventBridge rule targets spell the
    /// network key <c>AwsVpcConfiguration</c>; Scheduler targets and ECS services spell it
    /// <c>AwsvpcConfiguration</c>. Both are correct for their resource.
    /// </summary>
    public static JsonObject EcsParameters(TaskModel task, bool ruleSpelling)
    {
        var parameters = new JsonObject
        {
            ["TaskDefinitionArn"] = Fn.Ref(LogicalIds.TaskDefinition(task.Id)),
            ["TaskCount"] = 1,
        };
        // A capacity provider strategy and a launch type exclude each other.
        if (CapacityProviderStrategy(task.Spot) is { } strategy)
        {
            parameters["CapacityProviderStrategy"] = strategy;
        }
        else
        {
            parameters["LaunchType"] = "FARGATE";
        }
        parameters["NetworkConfiguration"] = new JsonObject { [ruleSpelling ? "AwsVpcConfiguration" : "AwsvpcConfiguration"] = Network(task.Network) };
        if (task.Runtime.Exec.Value)
        {
            parameters["EnableExecuteCommand"] = true;
        }
        return parameters;
    }

    /// <summary>
    /// An EventBridge rule's target that starts the task: schedules (<c>schedule: rate(...)</c>)
    /// and <c>events</c> alike, so both run the task with the same network, capacity and roles.
    /// </summary>
    public static JsonObject RuleTarget(TaskModel task) => new()
    {
        ["Id"] = task.Id,
        ["Arn"] = Fn.GetAtt(LogicalIds.Cluster, "Arn"),
        ["RoleArn"] = IamCompiler.EventsRoleArn(task),
        ["EcsParameters"] = EcsParameters(task, ruleSpelling: true),
    };

    /// <summary>
    /// How long EventBridge (rules and Scheduler, which share the shape) keeps trying to start the
    /// task when ECS refuses, and where an event goes when it gives up. Without them EventBridge
    /// retries for 24 hours, 185 times, and then drops the event.
    /// </summary>
    public static void AddDelivery(JsonObject target, int? retries, int? maximumEventAge, JsonNode? deadLetterQueueArn)
    {
        if (retries is not null || maximumEventAge is not null)
        {
            var retry = new JsonObject();
            if (maximumEventAge is { } age)
            {
                retry["MaximumEventAgeInSeconds"] = age;
            }
            if (retries is { } count)
            {
                retry["MaximumRetryAttempts"] = count;
            }
            target["RetryPolicy"] = retry;
        }
        if (deadLetterQueueArn is { } queue)
        {
            target["DeadLetterConfig"] = new JsonObject { ["Arn"] = queue.DeepClone() };
        }
    }

    /// <summary>
    /// FARGATE for the base and its weight, FARGATE_SPOT for the rest: <c>spot: true</c> gives
    /// <c>[{FARGATE_SPOT, Weight 1}]</c>, the reference plugin's output for <c>service.spot</c>.
    /// </summary>
    public static JsonArray? CapacityProviderStrategy(SpotStrategy? spot)
    {
        if (spot is null)
        {
            return null;
        }
        var items = new JsonArray();
        if (spot.OnDemandBase > 0 || spot.OnDemandWeight > 0)
        {
            var onDemand = new JsonObject { ["CapacityProvider"] = "FARGATE" };
            if (spot.OnDemandBase > 0)
            {
                onDemand["Base"] = spot.OnDemandBase;
            }
            onDemand["Weight"] = spot.OnDemandWeight;
            items.Add((JsonNode)onDemand);
        }
        if (spot.SpotWeight > 0)
        {
            items.Add((JsonNode)new JsonObject { ["CapacityProvider"] = "FARGATE_SPOT", ["Weight"] = spot.SpotWeight });
        }
        return items;
    }

    /// <summary>The awsvpc network configuration (subnets, security groups, public IP).</summary>
    public static JsonObject Network(NetworkSettings network)
    {
        if (network.Generated)
        {
            return NetworkCompiler.TaskNetwork();
        }
        var result = new JsonObject { ["AssignPublicIp"] = network.AssignPublicIp ? "ENABLED" : "DISABLED" };
        if (!network.SecurityGroupIds.IsEmpty)
        {
            result["SecurityGroups"] = network.SecurityGroupIds.ToJson();
        }
        result["Subnets"] = network.SubnetIds.ToJson();
        return result;
    }
}
