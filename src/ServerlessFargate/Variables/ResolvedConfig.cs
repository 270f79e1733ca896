using System.Text.Json.Nodes;
using ServerlessFargate.Diagnostics;
using ServerlessFargate.Yaml;

namespace ServerlessFargate.Variables;

/// <summary>
/// The parts of <c>serverless.yml</c> the engine reads, with variables resolved: the
/// <c>fargate</c> block, the provider settings it reads, and the names already taken in
/// the stack (functions, <c>resources</c>).
/// </summary>
public sealed record ResolvedConfig(
    SourceFile File,
    string? ServiceName,
    string Stage,
    string Region,
    YMapping Provider,
    YNode? Fargate,
    YScalar? FargateKey,
    IReadOnlyList<TakenId> TakenIds,
    IReadOnlyDictionary<string, string> FunctionImages)
{
    /// <summary>Where <c>custom.fargate</c> is written: the form of the reference's first releases, which nothing reads now.</summary>
    public SourceSpan? LegacyFargateKey { get; init; }

    /// <summary><c>provider.stackName</c>, when written: the stack's name instead of <c>&lt;service&gt;-&lt;stage&gt;</c>.</summary>
    public string? StackName { get; init; }

    /// <summary>The service's functions (name and where it is declared): the framework derives logical IDs from them.</summary>
    public IReadOnlyList<Located<string>> Functions { get; init; } = [];

    /// <summary>The framework plugins the service lists (<c>plugins: [...]</c>, or <c>plugins.modules</c>).</summary>
    public IReadOnlyList<string> Plugins { get; init; } = [];

    /// <summary>
    /// Image URIs the Serverless Framework already resolved, by task key (the plugin builds and
    /// pushes images through the framework); these tasks skip the engine's own image resolution.
    /// </summary>
    public IReadOnlyDictionary<string, string> ResolvedImages { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>What the framework's template already holds (plugin mode), for CloudFormation's limits.</summary>
    public StackCounts ExistingCounts { get; init; } = StackCounts.None;

    /// <summary>
    /// The S3 buckets the stack's own resources hold (the service's <c>resources</c>, or the
    /// template merged into): an <c>s3</c> event on one of them turns its EventBridge events on.
    /// </summary>
    public IReadOnlyList<StackBucket> StackBuckets { get; init; } = [];

    /// <summary>
    /// The stack's parameters whose value is a list (<see cref="StackParameters.IsList"/>), from the
    /// service's <c>resources</c> and the template merged into: a <c>!Ref</c> to one is a whole
    /// list, not one item of a list.
    /// </summary>
    public IReadOnlySet<string> ListParameters { get; init; } = StackParameters.None;

    /// <summary>
    /// The user's <c>resources</c> section, fully resolved, as one map (the framework also takes
    /// a list of maps and merges them). A standalone template includes it, because tasks refer
    /// to these resources (<c>dependsOn</c>, <c>!Ref Queue</c>) and the stack must hold them.
    /// </summary>
    public static YMapping? UserResources(VariableResolver resolver)
    {
        var resources = resolver.NavigateShallow("resources") is { } shallow ? resolver.ResolveBounded(shallow, shallow.Span) : null;
        var parts = resources switch
        {
            YMapping single => [single],
            YSequence list => list.Items.OfType<YMapping>().ToList(),
            _ => [],
        };
        if (parts.Count == 0)
        {
            return null;
        }
        var sections = new List<YEntry>();
        foreach (var part in parts)
        {
            foreach (var entry in part.Entries)
            {
                var index = sections.FindIndex(e => e.Key.Value == entry.Key.Value);
                if (index < 0)
                {
                    sections.Add(entry);
                }
                else if (sections[index].Value is YMapping existing && entry.Value is YMapping more)
                {
                    sections[index] = sections[index] with { Value = new YMapping(existing.Span, [.. existing.Entries, .. more.Entries]) };
                }
            }
        }
        return new YMapping(parts[0].Span, sections);
    }

    /// <param name="providerKeys">
    /// The <c>provider</c> keys the engine reads (the provider schema lists them); the rest of
    /// <c>provider</c> is the framework's, left unresolved.
    /// </param>
    public static ResolvedConfig Resolve(SourceFile file, YMapping root, VariableResolver resolver, IEnumerable<string> providerKeys)
    {
        var providerEntries = new List<YEntry>();
        var provider = resolver.NavigateShallow("provider") as YMapping;
        if (provider is not null)
        {
            foreach (var key in providerKeys)
            {
                if (provider.GetEntry(key) is { } entry && resolver.ResolveBounded(entry.Value, entry.Key.Span) is { } value)
                {
                    providerEntries.Add(entry with { Value = value });
                }
            }
        }
        var providerSpan = provider?.Span ?? file.Start;

        var service = root.Get("service") is { } serviceNode ? resolver.Resolve(serviceNode) as YScalar : null;
        var fargateEntry = root.GetEntry("fargate");
        var fargate = fargateEntry is null ? null : resolver.ResolveBounded(fargateEntry.Value, fargateEntry.Key.Span);

        return new ResolvedConfig(
            file,
            service?.Value,
            resolver.Stage,
            resolver.Region,
            new YMapping(providerSpan, providerEntries),
            fargate,
            fargateEntry?.Key,
            FindTakenIds(resolver),
            FindFunctionImages(resolver))
        {
            LegacyFargateKey = (root.Get("custom") as YMapping)?.GetEntry("fargate")?.Key.Span,
            StackName = provider?.Get("stackName") is { } stackName ? (resolver.Resolve(stackName) as YScalar)?.Value : null,
            Functions = root.GetEntry("functions") is { Value: YMapping functions }
                ? [.. functions.Entries.Select(f => new Located<string>(f.Key.Value, f.Key.Span))]
                : [],
            StackBuckets = FindStackBuckets(resolver),
            ListParameters = FindListParameters(resolver),
            Plugins = (root.Get("plugins") switch
            {
                YSequence list => list,
                YMapping { } withPath => withPath.Get("modules") as YSequence,
                _ => null,
            })?.Items.OfType<YScalar>().Select(p => p.Value).ToList() ?? [],
        };
    }

    /// <summary>
    /// For each image name in provider.ecr.images, the name of a function that uses it
    /// (<c>image: app</c> or <c>image: {name: app}</c>); the first such function in the file wins.
    /// </summary>
    private static Dictionary<string, string> FindFunctionImages(VariableResolver resolver)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (resolver.NavigateShallow("functions") is not YMapping functions)
        {
            return result;
        }
        foreach (var function in functions.Entries)
        {
            var image = resolver.NavigateShallow("functions", function.Key.Value, "image") switch
            {
                YScalar scalar => scalar.Value,
                YMapping mapping => (resolver.NavigateShallow("functions", function.Key.Value, "image", "name") as YScalar)?.Value,
                _ => null,
            };
            if (image is not null)
            {
                result.TryAdd(image, function.Key.Value);
            }
        }
        return result;
    }

    /// <summary>
    /// Logical IDs the user already uses: <c>resources.Resources</c> and <c>resources.Outputs</c>
    /// keys (the section may be a list of maps, or come from files). The functions' IDs are the
    /// model's to derive (<see cref="Functions"/>).
    /// </summary>
    private static List<TakenId> FindTakenIds(VariableResolver resolver)
    {
        var ids = new List<TakenId>();

        foreach (var part in ResourceParts(resolver))
        {
            foreach (var section in new[] { "Resources", "Outputs" })
            {
                if (part.GetEntry(section) is { } entry && resolver.Shallow(entry.Value) is YMapping map)
                {
                    ids.AddRange(map.Entries.Select(e => new TakenId(e.Key.Value, e.Key.Span, $"resources.{section}")));
                }
            }
        }
        return ids;
    }

    /// <summary>The maps <c>resources</c> is made of: itself, or the items of its list.</summary>
    private static List<YMapping> ResourceParts(VariableResolver resolver) => resolver.NavigateShallow("resources") switch
    {
        YMapping single => [single],
        YSequence list => [.. list.Items.Select((_, index) => resolver.NavigateShallow("resources", index.ToString(System.Globalization.CultureInfo.InvariantCulture))).OfType<YMapping>()],
        _ => [],
    };

    /// <summary>The parameters under <c>resources.Parameters</c> of a list type, reading only their <c>Type</c>.</summary>
    private static HashSet<string> FindListParameters(VariableResolver resolver)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var part in ResourceParts(resolver))
        {
            if (part.Get("Parameters") is { } section && resolver.Shallow(section) is YMapping parameters)
            {
                foreach (var entry in parameters.Entries)
                {
                    if (resolver.Shallow(entry.Value) is YMapping parameter && parameter.Get("Type") is { } type
                        && resolver.Shallow(type) is YScalar { Value: var typeName } && StackParameters.IsList(typeName))
                    {
                        names.Add(entry.Key.Value);
                    }
                }
            }
        }
        return names;
    }

    /// <summary>
    /// The buckets under <c>resources.Resources</c>, reading only their type, name and EventBridge
    /// setting, so a variable elsewhere in a resource (an <c>${ssm:}</c> validate cannot resolve)
    /// does not get in the way.
    /// </summary>
    private static List<StackBucket> FindStackBuckets(VariableResolver resolver)
    {
        var buckets = new List<StackBucket>();
        foreach (var part in ResourceParts(resolver))
        {
            if (part.Get("Resources") is not { } section || resolver.Shallow(section) is not YMapping resources)
            {
                continue;
            }
            foreach (var entry in resources.Entries)
            {
                YNode? At(params string[] path)
                {
                    YNode? node = entry.Value;
                    foreach (var key in path)
                    {
                        node = node is null ? null : (resolver.Shallow(node) as YMapping)?.Get(key);
                    }
                    return node is null ? null : resolver.Shallow(node);
                }
                var sketch = new JsonObject
                {
                    ["Type"] = (At("Type") as YScalar)?.Value,
                    ["Properties"] = new JsonObject
                    {
                        ["BucketName"] = At("Properties", "BucketName") is YScalar { Kind: ScalarKind.String } name ? name.Value : null,
                        // Whole, as far as the events setting: an `!If` there decides whether sls-fargate may write into it.
                        ["NotificationConfiguration"] = Sketch(resolver, At("Properties", "NotificationConfiguration"), 0),
                    },
                };
                if (StackBucket.Of(entry.Key.Value, sketch) is { } bucket)
                {
                    buckets.Add(bucket);
                }
            }
        }
        return buckets;
    }

        // The shape of a value, each node resolved only as far as needed to read it; deep enough
        // for EventBridgeConfiguration under an `!If` (NotificationConfiguration → Fn::If → [ … ] → {…} → …).
    private static JsonNode? Sketch(VariableResolver resolver, YNode? node, int depth)
    {
        return (node is null || depth > 8 ? null : resolver.Shallow(node)) switch
        {
            YMapping map => Map(map),
            YSequence list => new JsonArray([.. list.Items.Select(item => Sketch(resolver, item, depth + 1))]),
            YScalar scalar => YNodeJson.ToJsonNode(scalar),
            _ => null,
        };

        JsonObject Map(YMapping map)
        {
            var json = new JsonObject();
            foreach (var entry in map.Entries)
            {
                json[entry.Key.Value] = Sketch(resolver, entry.Value, depth + 1);
            }
            return json;
        }
    }
}

/// <summary>What the engine needs to know of a stack's <c>Parameters</c>.</summary>
public static class StackParameters
{
    public static readonly IReadOnlySet<string> None = new HashSet<string>(StringComparer.Ordinal);

    private const string SsmValue = "AWS::SSM::Parameter::Value<";

    /// <summary>
    /// Whether a parameter of this type is a list of strings when referred to: <c>CommaDelimitedList</c>,
    /// <c>List&lt;Number&gt;</c>, <c>List&lt;AWS::EC2::Subnet::Id&gt;</c> and the other AWS-specific
    /// lists, and the same types read from Systems Manager (<c>AWS::SSM::Parameter::Value&lt;List&lt;String&gt;&gt;</c>).
    /// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html
    /// </summary>
    public static bool IsList(string type)
    {
        var valueType = type.StartsWith(SsmValue, StringComparison.Ordinal) && type.EndsWith('>') ? type[SsmValue.Length..^1] : type;
        return valueType == "CommaDelimitedList" || valueType.StartsWith("List<", StringComparison.Ordinal);
    }

    /// <summary>The names of the list parameters in a template's <c>Parameters</c> section, as JSON.</summary>
    public static HashSet<string> ListsIn(JsonNode? parameters)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, parameter) in parameters as JsonObject ?? [])
        {
            if (parameter?["Type"] is JsonValue type && type.TryGetValue<string>(out var typeName) && IsList(typeName))
            {
                names.Add(name);
            }
        }
        return names;
    }
}

/// <summary>Sizes of a template the engine adds to but does not see whole.</summary>
public sealed record StackCounts(int Resources, int Outputs, int Parameters, int Bytes)
{
    public static readonly StackCounts None = new(0, 0, 0, 0);
}

/// <summary>A logical ID already used in the stack, and what uses it ("function `api`", "resources.Resources").</summary>
public sealed record TakenId(string Id, SourceSpan Span, string Owner);

/// <summary>
/// An AWS::S3::Bucket the stack's own resources hold: its logical ID, its <c>BucketName</c> when
/// written as a string, and whether it already sends its events to EventBridge.
/// </summary>
public sealed record StackBucket(string LogicalId, string? BucketName, bool SendsEvents)
{
    /// <summary>
    /// Where a function (<c>!If</c>, <c>!Ref</c>…) stands on the way to <c>EventBridgeEnabled</c>
    /// (<c>NotificationConfiguration</c>, or deeper), so sls-fargate cannot write the setting
    /// beside it: CloudFormation takes no key next to a function. Null when there is none, or
    /// when every branch of an <c>!If</c> turns the events on already.
    /// </summary>
    public string? Intrinsic { get; init; }

    private static readonly string[] EventsPath = ["Properties", "NotificationConfiguration", "EventBridgeConfiguration", "EventBridgeEnabled"];

    /// <summary>The bucket a resource's JSON describes, or null when the resource is no bucket.</summary>
    public static StackBucket? Of(string logicalId, JsonNode? resource)
    {
        if (resource is not JsonObject bucket || Text(bucket["Type"]) != "AWS::S3::Bucket")
        {
            return null;
        }
        var (enabled, intrinsic) = Events(bucket, 0);
        return new StackBucket(logicalId, Text((bucket["Properties"] as JsonObject)?["BucketName"]), enabled) { Intrinsic = intrinsic };
    }

    /// <summary>
    /// Whether <paramref name="node"/>, the value at the first <paramref name="level"/> steps of
    /// <see cref="EventsPath"/> (0: the resource), turns the events on; and the path of a value
    /// sls-fargate cannot write into, when there is one.
    /// </summary>
    private static (bool Enabled, string? Intrinsic) Events(JsonNode? node, int level)
    {
        var at = string.Join('.', EventsPath.Take(level));
        if (node is JsonObject { Count: 1 } function && YNodeJson.IsFunctionKey(function.First().Key))
        {
            // A condition whose every branch turns the events on needs nothing from us.
            return function["Fn::If"] is JsonArray { Count: 3 } choice && choice.Skip(1).All(branch => Events(branch, level).Enabled)
                ? (true, null)
                : (false, at);
        }
        if (level == EventsPath.Length)
        {
            return (node is JsonValue flag && ((flag.TryGetValue<bool>(out var on) && on) || Text(flag) == "true"), null);
        }
        return node switch
        {
            null => (false, null),
            JsonObject map => Events(map[EventsPath[level]], level + 1),
            // A string or a list where a mapping belongs: CloudFormation refuses it anyway, and writing there would hide it.
            _ => (false, at),
        };
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
