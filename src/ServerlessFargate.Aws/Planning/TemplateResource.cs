using System.Text.Json.Nodes;

namespace ServerlessFargate.Aws.Planning;

/// <summary>
/// One entry of a template's Resources, read without trusting its shape: a deployed template
/// comes from AWS, and a wrong shape there is a fact to report, not an exception.
/// <see cref="Problem"/> says what was wrong; <see cref="Properties"/> is then whatever could be read.
/// </summary>
internal sealed record TemplateResource(string LogicalId, string? Type, JsonObject Properties,
    JsonNode? DeletionPolicy, JsonNode? UpdateReplacePolicy, JsonNode? Condition, string? Problem)
{
    /// <summary>The resources by logical ID, or null (with <paramref name="problem"/>) when the template has no readable Resources.</summary>
    public static Dictionary<string, TemplateResource>? ReadAll(JsonObject? template, out string? problem)
    {
        problem = null;
        if (template is null)
        {
            return null;
        }
        if (template["Resources"] is not JsonObject resources)
        {
            problem = template.ContainsKey("Resources") ? "its Resources is not an object" : "it has no Resources";
            return null;
        }
        var read = new Dictionary<string, TemplateResource>(StringComparer.Ordinal);
        foreach (var (id, node) in resources)
        {
            read[id] = Read(id, node);
        }
        return read;
    }

    private static TemplateResource Read(string id, JsonNode? node)
    {
        if (node is not JsonObject resource)
        {
            return new(id, null, [], null, null, null, "the entry is not an object");
        }
        var type = resource["Type"] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
        var properties = resource["Properties"];
        var problem = type is null ? "the entry has no Type"
            : properties is not (null or JsonObject) ? "its Properties is not an object"
            : null;
        return new(id, type, properties as JsonObject ?? [], resource["DeletionPolicy"], resource["UpdateReplacePolicy"], resource["Condition"], problem);
    }

    /// <summary>A policy attribute's value when it is plain text ("Retain"), else null.</summary>
    public static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
