using System.Text.Json;
using System.Text.Json.Nodes;
using ServerlessFargate.Compilation;
using ServerlessFargate.Diagnostics;
using ServerlessFargate.Model;
using ServerlessFargate.Variables;
using ServerlessFargate.Yaml;

namespace ServerlessFargate.Integration;

/// <summary>
/// The JSON contract between the Serverless Framework plugin and the engine
/// (<c>sls-fargate compile --stdin</c>), version 1; docs/plugin-contract.md describes it. The
/// framework has already resolved the variables, so the engine takes the values as given and
/// borrows positions from the configuration file, key by key, for its diagnostics.
/// </summary>
public static class PluginExchange
{
    public const int Version = 1;

    /// <summary>Thrown for a request that does not follow the contract: a usage error, not an input problem.</summary>
    public sealed class ContractException(string message) : Exception(message);

    public static ResolvedConfig ReadRequest(string json, EngineOptions options)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(json);
            root = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new ContractException($"the request is not JSON: {ex.Message}");
        }
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new ContractException("the request must be a JSON object");
        }
        if (JsonSyntax.FindProblem(root) is { } problem)
        {
            throw new ContractException($"the request cannot be used: {problem}");
        }
        if (!root.TryGetProperty("version", out var version) || version.ValueKind != JsonValueKind.Number
            || !version.TryGetInt32(out var number) || number != Version)
        {
            throw new ContractException($"the request's version must be {Version}; update the plugin and sls-fargate together");
        }
        // Every other field has one shape; a wrong one is the plugin's mistake, never ignored.
        Expect(root, "configFile", JsonValueKind.String);
        Expect(root, "service", JsonValueKind.String);
        Expect(root, "stage", JsonValueKind.String);
        Expect(root, "region", JsonValueKind.String);
        Expect(root, "stackName", JsonValueKind.String);
        Expect(root, "provider", JsonValueKind.Object);
        Expect(root, "existingIds", JsonValueKind.Array, JsonValueKind.String);
        Expect(root, "images", JsonValueKind.Object, JsonValueKind.String);
        Expect(root, "existingCounts", JsonValueKind.Object, JsonValueKind.Number);
        Expect(root, "stackBuckets", JsonValueKind.Object, JsonValueKind.Object);
        Expect(root, "stackParameters", JsonValueKind.Object, JsonValueKind.Object);

        // Positions come from the configuration file as written; values from the request.
        var file = new SourceFile("serverless.yml", "");
        YMapping? original = null;
        if (Text(root, "configFile") is { } configFile)
        {
            // Read as validate reads files: `"configFile": "/dev/zero"` would otherwise be read
            // until memory runs out. A file that is not there only costs the positions.
            var fullPath = Path.GetFullPath(configFile, options.BaseDirectory);
            switch (InputFile.Read(fullPath))
            {
                case InputFile.Result.Found found:
                    file = new SourceFile(options.DisplayPath(fullPath), found.Text);
                    original = YamlLoader.Load(file, new DiagnosticBag()) as YMapping;
                    break;
                case InputFile.Result.Refused refused:
                    throw new ContractException($"the request's `configFile` {configFile} {refused.Reason}");
            }
        }
        var fargateEntry = original?.GetEntry("fargate");
        var fallback = fargateEntry?.Key.Span ?? file.Start;

        var provider = root.TryGetProperty("provider", out var providerJson) && providerJson.ValueKind == JsonValueKind.Object
            ? (YMapping)FromJson(providerJson, original?.Get("provider"), original?.GetEntry("provider")?.Key.Span ?? fallback)
            : new YMapping(fallback, []);
        var fargate = root.TryGetProperty("fargate", out var fargateJson) && fargateJson.ValueKind != JsonValueKind.Null
            ? FromJson(fargateJson, fargateEntry?.Value, fallback)
            : null;

        var taken = new List<TakenId>();
        if (root.TryGetProperty("existingIds", out var existing) && existing.ValueKind == JsonValueKind.Array)
        {
            taken.AddRange(existing.EnumerateArray().Select(id => new TakenId(id.GetString()!, fallback, "the framework's template")));
        }
        var images = new Dictionary<string, string>(StringComparer.Ordinal);
        if (root.TryGetProperty("images", out var imageMap) && imageMap.ValueKind == JsonValueKind.Object)
        {
            foreach (var image in imageMap.EnumerateObject())
            {
                images[image.Name] = image.Value.GetString()!;
            }
        }

        return new ResolvedConfig(
            file,
            Text(root, "service"),
            Text(root, "stage") ?? Defaults.Stage,
            Text(root, "region") ?? FrameworkRegion.Default,
            provider,
            fargate,
            fargateEntry?.Key,
            taken,
            new Dictionary<string, string>(StringComparer.Ordinal))
        {
            ResolvedImages = images,
            ExistingCounts = ReadCounts(root),
            StackBuckets = ReadBuckets(root),
            ListParameters = root.TryGetProperty("stackParameters", out var parameters) && parameters.ValueKind == JsonValueKind.Object
                ? StackParameters.ListsIn(JsonNode.Parse(parameters.GetRawText()))
                : StackParameters.None,
            StackName = Text(root, "stackName"),
        };
    }

    /// <summary>The response: our resources, outputs and parameters, or the diagnostics that stopped us.</summary>
    public static string WriteResponse(EngineResult result)
    {
        var response = new JsonObject
        {
            ["version"] = Version,
            ["succeeded"] = result.Succeeded,
        };
        var template = result.Template;
        response["resources"] = template?.ResourcesJson() ?? [];
        response["outputs"] = template?.OutputsJson() ?? [];
        response["parameters"] = template?.ParametersJson() ?? [];
        // Buckets of the framework's template that `s3` events need to send their events to
        // EventBridge: the plugin sets their NotificationConfiguration.EventBridgeConfiguration.
        response["bucketEvents"] = new JsonArray([.. (result.Succeeded ? EventsCompiler.BucketsToSend(result.Model) : []).Select(id => (JsonNode)JsonValue.Create(id))]);
        response["diagnostics"] = JsonNode.Parse(DiagnosticFormatter.Json(result.Diagnostics))!["diagnostics"]!.DeepClone();
        // What the framework prints, as `package` would: notices only where they speak of cost.
        response["text"] = DiagnosticFormatter.PackageText(result.Diagnostics);
        return CloudFormation.TemplateWriter.Write(response);
    }

    /// <summary>
    /// <c>stackBuckets</c>: the AWS::S3::Bucket resources of the framework's template (the
    /// service's <c>resources</c>), by logical ID, as they are written there.
    /// </summary>
    private static IReadOnlyList<StackBucket> ReadBuckets(JsonElement root) =>
        root.TryGetProperty("stackBuckets", out var buckets) && buckets.ValueKind == JsonValueKind.Object
            ? [.. buckets.EnumerateObject().Select(b => StackBucket.Of(b.Name, JsonNode.Parse(b.Value.GetRawText()))).OfType<StackBucket>()]
            : [];

    /// <summary><c>existingCounts</c>: how many resources, outputs and parameters the framework's template holds, and its size.</summary>
    private static StackCounts ReadCounts(JsonElement root)
    {
        if (!root.TryGetProperty("existingCounts", out var counts) || counts.ValueKind != JsonValueKind.Object)
        {
            return StackCounts.None;
        }
        int Number(string name) => !counts.TryGetProperty(name, out var value) ? 0
            : value.TryGetInt32(out var number) && number >= 0 ? number
            : throw new ContractException($"existingCounts.{name} must be a whole number from 0 to {int.MaxValue}");
        return new StackCounts(Number("resources"), Number("outputs"), Number("parameters"), Number("bytes"));
    }

    /// <summary>A field, when present, is of <paramref name="kind"/>, and its items or values of <paramref name="items"/>.</summary>
    private static void Expect(JsonElement root, string name, JsonValueKind kind, JsonValueKind? items = null)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return;
        }
        var children = value.ValueKind switch
        {
            JsonValueKind.Array => value.EnumerateArray().ToList(),
            JsonValueKind.Object => value.EnumerateObject().Select(p => p.Value).ToList(),
            _ => [],
        };
        if (value.ValueKind != kind || (items is { } itemKind && children.Exists(c => c.ValueKind != itemKind)))
        {
            var what = $"{Describe(kind)}{(items is { } each ? $" of {Plural(each)}" : "")}";
            throw new ContractException($"the request's `{name}` must be {what}; update the plugin and sls-fargate together");
        }
    }

    private static string Plural(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "objects",
        JsonValueKind.Array => "lists",
        _ => $"{Describe(kind)}s",
    };

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        _ => kind.ToString().ToLowerInvariant(),
    };

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>Turns a resolved JSON value into nodes, each placed where the same path is written in the file.</summary>
    private static YNode FromJson(JsonElement element, YNode? original, SourceSpan fallback)
    {
        var span = original?.Span ?? fallback;
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var entries = new List<YEntry>();
                foreach (var property in element.EnumerateObject())
                {
                    var entry = (original as YMapping)?.GetEntry(property.Name);
                    var keySpan = entry?.Key.Span ?? span;
                    entries.Add(new YEntry(YScalar.String(keySpan, property.Name), FromJson(property.Value, entry?.Value, keySpan)));
                }
                return new YMapping(span, entries);
            case JsonValueKind.Array:
                var items = new List<YNode>();
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    var originalItem = original is YSequence sequence && index < sequence.Items.Count ? sequence.Items[index] : null;
                    items.Add(FromJson(item, originalItem, span));
                    index++;
                }
                return new YSequence(span, items);
            case JsonValueKind.String:
                return YScalar.String(span, element.GetString()!);
            case JsonValueKind.Number:
                return new YScalar(span, element.GetRawText(), element.TryGetInt64(out _) ? ScalarKind.Integer : ScalarKind.Float);
            case JsonValueKind.True:
                return new YScalar(span, "true", ScalarKind.Boolean);
            case JsonValueKind.False:
                return new YScalar(span, "false", ScalarKind.Boolean);
            default:
                return new YScalar(span, "", ScalarKind.Null);
        }
    }
}
