using System.Text.Json.Nodes;
using ServerlessFargate.CloudFormation;
using ServerlessFargate.Model;

namespace ServerlessFargate.Compilation;

/// <summary>A service task's <c>AWS::ECS::Service</c>.</summary>
internal static class ServiceCompiler
{
    public static Resource Build(TaskModel task, TaskKind.Service service)
    {
        var properties = new JsonObject
        {
            ["Cluster"] = Fn.Ref(LogicalIds.Cluster),
            ["ServiceName"] = task.Name.Value,
            ["CapacityProviderStrategy"] = RunTaskParameters.CapacityProviderStrategy(task.Spot) ?? new JsonArray(new JsonObject
            {
                ["CapacityProvider"] = "FARGATE",
                ["Weight"] = 1,
            }),
        };
        if (service.Autoscaling is null)
        {
            // An autoscaled service leaves DesiredCount to Application Auto Scaling: with it in the
            // template every deploy would reset the count the scaler chose.
            properties["DesiredCount"] = service.DesiredCount.Value;
        }
        var deployment = new JsonObject
        {
            ["MaximumPercent"] = service.MaximumPercent.Value,
            ["MinimumHealthyPercent"] = service.MinimumHealthyPercent.Value,
        };
        if (service.CircuitBreaker)
        {
            deployment["DeploymentCircuitBreaker"] = new JsonObject { ["Enable"] = true, ["Rollback"] = true };
        }
        properties["DeploymentConfiguration"] = deployment;
        properties["TaskDefinition"] = Fn.Ref(LogicalIds.TaskDefinition(task.Id));
        var network = RunTaskParameters.Network(task.Network);
        if (task.Http is not null)
        {
            // The load balancer reaches the task through this group; the task's own groups stay.
            network["SecurityGroups"] = WithGroup(network["SecurityGroups"], Fn.Ref(LogicalIds.HttpTasksSecurityGroup));
            LoadBalancerCompiler.AddToService(properties, task);
        }
        properties["NetworkConfiguration"] = new JsonObject { ["AwsvpcConfiguration"] = network };
        properties["PropagateTags"] = "TASK_DEFINITION";
        if (task.Runtime.Exec.Value)
        {
            properties["EnableExecuteCommand"] = true;
        }
        Properties.AddTags(properties, task.Tags);
        Properties.MergeOver(properties, task.Overrides.Service);
        // ECS refuses a target group that no listener rule uses yet.
        var dependsOn = task.Http is null ? task.DependsOn : [.. task.DependsOn, LogicalIds.ListenerRule(task.Id)];
        return new Resource("AWS::ECS::Service", properties, dependsOn);
    }

    /// <summary>
    /// The groups with one more. Groups given as one function (<c>!Split</c> of an import) are
    /// joined into text with the new group's ID and split again, since CloudFormation has no
    /// function that appends to a list.
    /// </summary>
    private static JsonNode WithGroup(JsonNode? groups, JsonObject group) => groups switch
    {
        null => new JsonArray(group),
        JsonArray list => new JsonArray([.. list.Select(g => g?.DeepClone()), group]),
        _ => new JsonObject
        {
            ["Fn::Split"] = new JsonArray(",", new JsonObject
            {
                ["Fn::Join"] = new JsonArray(",", new JsonArray(new JsonObject { ["Fn::Join"] = new JsonArray(",", groups.DeepClone()) }, group)),
            }),
        },
    };
}
