using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ServerlessFargate.Yaml;

/// <summary>Converts resolved nodes to JSON, for the schema validator and for raw CloudFormation values.</summary>
public static class YNodeJson
{
    /// <summary>Whether a one-key mapping with this key is a CloudFormation function (<c>Ref</c>, <c>Fn::…</c>), as the loader writes a tag such as <c>!Split</c>.</summary>
    public static bool IsFunctionKey(string key) => key == "Ref" || key.StartsWith("Fn::", StringComparison.Ordinal);

    public static JsonNode? ToJsonNode(YNode node) => node switch
    {
        YScalar scalar => ScalarToJson(scalar),
        YSequence sequence => new JsonArray([.. sequence.Items.Select(ToJsonNode)]),
        YMapping mapping => ToJsonObject(mapping),
        _ => null,
    };

    private static JsonObject ToJsonObject(YMapping mapping)
    {
        var result = new JsonObject();
        foreach (var entry in mapping.Entries)
        {
            result[entry.Key.Value] = ToJsonNode(entry.Value);
        }
        return result;
    }

    private static JsonValue? ScalarToJson(YScalar scalar) => scalar.Kind switch
    {
        ScalarKind.Null => null,
        ScalarKind.Boolean => JsonValue.Create(scalar.Value == "true"),
        ScalarKind.Integer when long.TryParse(scalar.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer)
            => JsonValue.Create(integer),
        ScalarKind.Integer or ScalarKind.Float when double.TryParse(scalar.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            && double.IsFinite(number) => JsonValue.Create(number),
        _ => JsonValue.Create(scalar.Value),
    };

    /// <summary>Deeper than any node the loader and resolver let through (64 levels), so converting never fails.</summary>
    private const int MaxDepth = 256;

    public static JsonElement ToJsonElement(YNode node)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { MaxDepth = MaxDepth }))
        {
            if (ToJsonNode(node) is { } json)
            {
                json.WriteTo(writer);
            }
            else
            {
                writer.WriteNullValue();
            }
        }
        using var document = JsonDocument.Parse(buffer.ToArray(), new JsonDocumentOptions { MaxDepth = MaxDepth });
        return document.RootElement.Clone();
    }
}
