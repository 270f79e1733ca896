using System.Text.Json.Nodes;
using ServerlessFargate.CloudFormation;
using ServerlessFargate.Model;

namespace ServerlessFargate.Compilation;

/// <summary>
/// Application Auto Scaling for a service: a scalable target on its desired count and one
/// target-tracking policy per metric. The scalable target names no role, so Application Auto
/// Scaling uses its service-linked role for ECS (created on first use).
/// </summary>
internal static class AutoscalingCompiler
{
    public static void Add(CompiledTemplate template, TaskModel task, Autoscaling scaling)
    {
        var targetId = LogicalIds.ScalableTarget(task.Id);
        template.Add(targetId, new Resource("AWS::ApplicationAutoScaling::ScalableTarget", new JsonObject
        {
            ["MaxCapacity"] = scaling.Max.Value,
            ["MinCapacity"] = scaling.Min.Value,
            // service/CLUSTER_NAME/SERVICE_NAME
            ["ResourceId"] = new JsonObject
            {
                ["Fn::Join"] = new JsonArray("/", new JsonArray("service", Fn.Ref(LogicalIds.Cluster), Fn.GetAtt(LogicalIds.Service(task.Id), "Name"))),
            },
            ["ScalableDimension"] = "ecs:service:DesiredCount",
            ["ServiceNamespace"] = "ecs",
        }));

        if (scaling.Cpu is { } cpu)
        {
            template.Add(LogicalIds.CpuScalingPolicy(task.Id),
                Policy(task, targetId, scaling, Predefined("ECSServiceAverageCPUUtilization", cpu)));
        }
        if (scaling.Memory is { } memory)
        {
            template.Add(LogicalIds.MemoryScalingPolicy(task.Id),
                Policy(task, targetId, scaling, Predefined("ECSServiceAverageMemoryUtilization", memory)));
        }
        if (scaling.Queue is { } queue)
        {
            template.Add(LogicalIds.QueueScalingPolicy(task.Id),
                Policy(task, targetId, scaling, Backlog(task, queue)));
        }
    }

    private static Resource Policy(TaskModel task, string targetId, Autoscaling scaling, JsonObject configuration)
    {
        if (scaling.ScaleInCooldown is { } scaleIn)
        {
            configuration["ScaleInCooldown"] = scaleIn;
        }
        if (scaling.ScaleOutCooldown is { } scaleOut)
        {
            configuration["ScaleOutCooldown"] = scaleOut;
        }
        return new Resource("AWS::ApplicationAutoScaling::ScalingPolicy", new JsonObject
        {
            ["PolicyName"] = new JsonObject { ["Fn::Sub"] = "${AWS::StackName}-" + task.Id + "-" + Suffix(configuration) },
            ["PolicyType"] = "TargetTrackingScaling",
            ["ScalingTargetId"] = Fn.Ref(targetId),
            ["TargetTrackingScalingPolicyConfiguration"] = configuration,
        });
    }

    private static string Suffix(JsonObject configuration) =>
        configuration["PredefinedMetricSpecification"]?["PredefinedMetricType"]?.GetValue<string>() switch
        {
            "ECSServiceAverageCPUUtilization" => "cpu",
            "ECSServiceAverageMemoryUtilization" => "memory",
            _ => "queue",
        };

    private static JsonObject Predefined(string metric, int target) => new()
    {
        ["PredefinedMetricSpecification"] = new JsonObject { ["PredefinedMetricType"] = metric },
        ["TargetValue"] = target,
    };

    /// <summary>
    /// Backlog per task, AWS's recommended scaling metric for queue workers: visible messages
    /// divided by running tasks. With no task running the backlog itself is the metric, so a
    /// service at <c>min: 0</c> scales out as soon as messages wait: e1 = IF(tasks &gt; 0, m1 / tasks, m1).
    /// RunningTaskCount comes from Container Insights, which the cluster must have on.
    /// </summary>
    private static JsonObject Backlog(TaskModel task, QueueScaling queue) => new()
    {
        ["CustomizedMetricSpecification"] = new JsonObject
        {
            ["Metrics"] = new JsonArray(
                Metric("m1", "AWS/SQS", "ApproximateNumberOfMessagesVisible", "Sum",
                    new JsonArray(Dimension("QueueName", QueueName(queue.Queue.Value)))),
                Metric("m2", "ECS/ContainerInsights", "RunningTaskCount", "Average",
                    new JsonArray(Dimension("ClusterName", Fn.Ref(LogicalIds.Cluster)), Dimension("ServiceName", Fn.GetAtt(LogicalIds.Service(task.Id), "Name")))),
                new JsonObject
                {
                    ["Id"] = "e1",
                    ["Expression"] = "IF(FILL(m2, 0) > 0, m1 / FILL(m2, 0), m1)",
                    ["Label"] = "Backlog per task",
                    ["ReturnData"] = true,
                }),
        },
        ["TargetValue"] = queue.MessagesPerTask,
    };

    private static JsonObject Metric(string id, string ns, string name, string stat, JsonArray dimensions) => new()
    {
        ["Id"] = id,
        ["MetricStat"] = new JsonObject
        {
            ["Metric"] = new JsonObject { ["Namespace"] = ns, ["MetricName"] = name, ["Dimensions"] = dimensions },
            ["Stat"] = stat,
        },
        ["ReturnData"] = false,
    };

    private static JsonObject Dimension(string name, JsonNode value) => new() { ["Name"] = name, ["Value"] = value };

    /// <summary>The queue's name for the SQS metric: a queue in this stack by logical ID, from an ARN, or as written.</summary>
    private static JsonNode QueueName(QueueReference queue) => queue switch
    {
        QueueReference.LogicalId id => Fn.GetAtt(id.Value, "QueueName"),
        QueueReference.Arn arn => JsonValue.Create(arn.QueueName),
        QueueReference.Name name => JsonValue.Create(name.Value),
        _ => throw new InvalidOperationException($"unknown queue reference {queue}"),
    };
}
