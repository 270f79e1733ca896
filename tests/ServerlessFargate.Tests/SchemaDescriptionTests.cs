using System.Text.Json.Nodes;

namespace ServerlessFargate.Tests;

public sealed class SchemaDescriptionTests
{
    /// <summary>Editors show these descriptions on hover; a key without one shows nothing.</summary>
    [Fact]
    public void Every_key_in_the_fargate_schema_has_a_description()
    {
        var schema = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "schema", "fargate.schema.json")))!.AsObject();
        var missing = new List<string>();
        Walk(schema, schema, "fargate", missing, []);

        Assert.Empty(missing);
    }

    private static void Walk(JsonObject root, JsonObject node, string path, List<string> missing, HashSet<string> seen)
    {
        if (node["properties"] is not JsonObject properties)
        {
            foreach (var branch in (node["anyOf"] as JsonArray ?? []).OfType<JsonObject>())
            {
                Walk(root, branch, path, missing, seen);
            }
            if (node["additionalProperties"] is JsonObject additional)
            {
                Walk(root, Resolve(root, additional), path + ".*", missing, seen);
            }
            return;
        }
        foreach (var (name, value) in properties)
        {
            var property = (JsonObject)value!;
            var target = Resolve(root, property);
            if (property["description"] is null && target["description"] is null)
            {
                missing.Add($"{path}.{name}");
            }
            if (seen.Add($"{path}.{name}"))
            {
                Walk(root, target, $"{path}.{name}", missing, seen);
            }
        }
    }

    private static JsonObject Resolve(JsonObject root, JsonObject node)
    {
        if (node["$ref"]?.GetValue<string>() is not { } reference)
        {
            return node;
        }
        JsonNode? current = root;
        foreach (var part in reference.TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            current = current![part];
        }
        return (JsonObject)current!;
    }
}
