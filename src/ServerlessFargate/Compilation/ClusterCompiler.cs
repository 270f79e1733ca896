using System.Text.Json.Nodes;
using ServerlessFargate.CloudFormation;
using ServerlessFargate.Model;

namespace ServerlessFargate.Compilation;

/// <summary>The resources every task shares: the ECS cluster and the log group.</summary>
internal static class ClusterCompiler
{
    public static void Add(CompiledTemplate template, ClusterSettings cluster)
    {
        template.Add(LogicalIds.Cluster, BuildCluster(cluster));
        template.Add(LogicalIds.LogGroup, BuildLogGroup(cluster));
    }

    private static Resource BuildCluster(ClusterSettings cluster)
    {
        var properties = new JsonObject();
        if (cluster.ClusterName is not null)
        {
            properties["ClusterName"] = cluster.ClusterName;
        }
        if (cluster.ContainerInsights is { } insights)
        {
            properties["ClusterSettings"] = new JsonArray(new JsonObject
            {
                ["Name"] = "containerInsights",
                ["Value"] = insights ? "enabled" : "disabled",
            });
        }
        properties["CapacityProviders"] = new JsonArray("FARGATE", "FARGATE_SPOT");
        Tags.Add(properties, cluster.Tags);
        return new Resource("AWS::ECS::Cluster", properties);
    }

    private static Resource BuildLogGroup(ClusterSettings cluster)
    {
        var properties = new JsonObject();
        if (cluster.LogGroupName is not null)
        {
            properties["LogGroupName"] = cluster.LogGroupName;
        }
        if (cluster.LogRetentionInDays is { } days)
        {
            properties["RetentionInDays"] = days;
        }
        Tags.Add(properties, cluster.Tags);
        return new Resource("AWS::Logs::LogGroup", properties);
    }
}

/// <summary>CloudFormation's <c>Tags</c> list and the escape hatch's merge, as every builder writes them.</summary>
internal static class Tags
{
    public static void Add(JsonObject properties, IReadOnlyList<KeyValuePair<string, JsonNode>> tags)
    {
        if (tags.Count > 0)
        {
            properties["Tags"] = new JsonArray([.. tags.Select(t => (JsonNode)new JsonObject { ["Key"] = t.Key, ["Value"] = t.Value.DeepClone() })]);
        }
    }

    /// <summary>The escape hatch: top-level keys of the user's object replace the generated ones.</summary>
    public static void MergeOver(JsonObject generated, JsonObject overrides)
    {
        foreach (var (key, value) in overrides)
        {
            generated[key] = value?.DeepClone();
        }
    }
}
