using System.Text.Json.Nodes;

namespace ServerlessFargate.CloudFormation;

public sealed record Parameter(string Type, string Description);

public sealed record Resource(string Type, JsonObject Properties, IReadOnlyList<string>? DependsOn = null);

public sealed record Output(JsonNode Value, string? Description = null);

/// <summary>
/// A CloudFormation template. Sections keep insertion order, which the compiler makes
/// deterministic, so the same input always gives the same bytes. The JSON methods return new
/// trees each time (a JSON node can belong to one tree only).
/// </summary>
public sealed class Template
{
    public string? Description { get; init; }

    public OrderedDictionary<string, Parameter> Parameters { get; } = new(StringComparer.Ordinal);

    public OrderedDictionary<string, Resource> Resources { get; } = new(StringComparer.Ordinal);

    public OrderedDictionary<string, Output> Outputs { get; } = new(StringComparer.Ordinal);

    public JsonObject ToJson()
    {
        var root = new JsonObject { ["AWSTemplateFormatVersion"] = "2010-09-09" };
        if (Description is not null)
        {
            root["Description"] = Description;
        }
        if (Parameters.Count > 0)
        {
            root["Parameters"] = ParametersJson();
        }
        root["Resources"] = ResourcesJson();
        if (Outputs.Count > 0)
        {
            root["Outputs"] = OutputsJson();
        }
        return root;
    }

    public JsonObject ParametersJson()
    {
        var result = new JsonObject();
        foreach (var (id, parameter) in Parameters)
        {
            result[id] = new JsonObject { ["Type"] = parameter.Type, ["Description"] = parameter.Description };
        }
        return result;
    }

    public JsonObject ResourcesJson()
    {
        var result = new JsonObject();
        foreach (var (id, resource) in Resources)
        {
            var json = new JsonObject { ["Type"] = resource.Type };
            if (resource.DependsOn is { Count: > 0 } dependsOn)
            {
                json["DependsOn"] = new JsonArray([.. dependsOn.Select(d => (JsonNode)JsonValue.Create(d))]);
            }
            json["Properties"] = resource.Properties.DeepClone();
            result[id] = json;
        }
        return result;
    }

    public JsonObject OutputsJson()
    {
        var result = new JsonObject();
        foreach (var (id, output) in Outputs)
        {
            var json = new JsonObject();
            if (output.Description is not null)
            {
                json["Description"] = output.Description;
            }
            json["Value"] = output.Value.DeepClone();
            result[id] = json;
        }
        return result;
    }
}
