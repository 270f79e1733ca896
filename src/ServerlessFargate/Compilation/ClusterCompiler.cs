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
        Properties.AddTags(properties, cluster.Tags);
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
        Properties.AddTags(properties, cluster.Tags);
        return new Resource("AWS::Logs::LogGroup", properties);
    }
}

/// <summary>What every builder writes the same way: CloudFormation's <c>Tags</c> list, optional numbers, the escape hatch's merge.</summary>
internal static class Properties
{
    public static void AddTags(JsonObject properties, IReadOnlyList<KeyValuePair<string, JsonNode>> tags)
    {
        if (tags.Count > 0)
        {
            properties["Tags"] = new JsonArray([.. tags.Select(t => (JsonNode)new JsonObject { ["Key"] = t.Key, ["Value"] = t.Value.DeepClone() })]);
        }
    }

    /// <summary>A resource of <paramref name="type"/> carrying <paramref name="tags"/>.</summary>
    public static Resource Tagged(string type, IReadOnlyList<KeyValuePair<string, JsonNode>> tags, JsonObject properties)
    {
        AddTags(properties, tags);
        return new Resource(type, properties);
    }

    public static void AddIfSet(JsonObject target, string key, int? value)
    {
        if (value is { } set)
        {
            target[key] = set;
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
