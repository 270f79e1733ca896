using System.Reflection;
using System.Text.Json.Nodes;
using Json.Schema;

namespace ServerlessFargate.Schema;

/// <summary>The JSON Schemas shipped inside the engine (the files live in the repository's schema/ folder).</summary>
public static class EmbeddedSchemas
{
    private static readonly Lazy<string> FargateText = new(() => Read("fargate.schema.json"));
    private static readonly Lazy<string> ProviderText = new(() => Read("provider.schema.json"));

    /// <summary>The schema of the top-level <c>fargate</c> block, as <c>sls-fargate schema</c> prints it.</summary>
    public static string FargateSchemaText => FargateText.Value;

    internal static string ProviderSchemaText => ProviderText.Value;

    internal static readonly Lazy<LoadedSchema> Fargate = new(() => new LoadedSchema(FargateSchemaText));
    internal static readonly Lazy<LoadedSchema> Provider = new(() => new LoadedSchema(ProviderSchemaText));

    /// <summary>The keys a task may set; the same keys at the fargate level are defaults tasks inherit.</summary>
    public static IReadOnlySet<string> TaskKeys => TaskKeySet.Value;

    private static readonly Lazy<HashSet<string>> TaskKeySet = new(() =>
        [.. (Fargate.Value.Json["definitions"]?["task"]?["properties"] as JsonObject)?.Select(p => p.Key) ?? []]);

    /// <summary>The <c>provider</c> keys sls-fargate reads and validates: the provider schema's properties.</summary>
    public static IReadOnlyList<string> ProviderKeys => ProviderKeyList.Value;

    /// <summary>
    /// The <c>provider</c> keys tasks inherit, marked <c>"x-inherited": true</c> in the provider
    /// schema; the plugin reads the same mark to choose what it forwards.
    /// </summary>
    public static IReadOnlySet<string> InheritedProviderKeys => InheritedProviderKeySet.Value;

    private static readonly Lazy<List<string>> ProviderKeyList = new(() => [.. ProviderProperties.Select(p => p.Key)]);

    private static readonly Lazy<HashSet<string>> InheritedProviderKeySet = new(() =>
        [.. ProviderProperties.Where(p => p.Value?["x-inherited"]?.GetValue<bool>() == true).Select(p => p.Key)]);

    private static JsonObject ProviderProperties => Provider.Value.Json["properties"]!.AsObject();

    private static string Read(string name)
    {
        using var stream = typeof(EmbeddedSchemas).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"embedded resource {name} is missing from the build");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

/// <summary>A schema both as the evaluator needs it and as plain JSON, to read keyword values for messages.</summary>
internal sealed class LoadedSchema(string text)
{
    public JsonSchema Schema { get; } = JsonSchema.FromText(text);

    public JsonObject Json { get; } = JsonNode.Parse(text)!.AsObject();

    /// <summary>
    /// Follows an evaluation path (<c>/properties/vpc/$ref/properties/subnetIds</c>) through the
    /// schema JSON; a <c>$ref</c> segment jumps to the referenced definition.
    /// </summary>
    public JsonObject? At(IEnumerable<string> evaluationPath)
    {
        JsonNode? current = Json;
        foreach (var segment in evaluationPath)
        {
            if (segment == "$ref")
            {
                var reference = current?["$ref"]?.GetValue<string>();
                current = reference is null ? null : Resolve(reference);
                continue;
            }
            current = current switch
            {
                JsonObject obj => obj[segment],
                JsonArray array when int.TryParse(segment, out var index) && index < array.Count => array[index],
                _ => null,
            };
        }
        return current as JsonObject;
    }

    /// <summary>The definition a <c>{"$ref": "#/definitions/vpc"}</c> names, or the node itself.</summary>
    public JsonObject? Follow(JsonNode? node) =>
        node is JsonObject schema && schema["$ref"]?.GetValue<string>() is { } reference ? Resolve(reference) as JsonObject : node as JsonObject;

    private JsonNode? Resolve(string reference)
    {
        JsonNode? current = Json;
        foreach (var part in reference.TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            current = current?[part];
        }
        return current;
    }
}
