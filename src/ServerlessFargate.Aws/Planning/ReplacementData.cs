using System.Text.Json.Nodes;

namespace ServerlessFargate.Aws.Planning;

/// <summary>What changing a resource type's properties does: the paths whose change replaces it.</summary>
internal sealed record TypeRules(IReadOnlyList<string> CreateOnly, IReadOnlyList<string> ConditionalCreateOnly, string? NameProperty);

/// <summary>
/// A hand-curated fact about a type, with why and where AWS says so; it does not hold for a
/// resource that sets <see cref="UnlessSet"/> (an Aurora DB instance keeps its data in its cluster).
/// </summary>
internal sealed record CuratedType(string Reason, string? Source, string? UnlessSet)
{
    public bool AppliesTo(TemplateResource? resource) => UnlessSet is null || resource?.Properties.ContainsKey(UnlessSet) != true;
}

/// <summary>
/// resource-replacement.json, as scripts/generate-replacement-data.py writes it from the resource
/// schemas cfn-lint bundles: read once, on first use.
/// </summary>
internal sealed class ReplacementData
{
    private static readonly Lazy<ReplacementData> Embedded = new(Load);

    public static ReplacementData Shipped => Embedded.Value;

    public required string Source { get; init; }
    public required IReadOnlyDictionary<string, TypeRules> Types { get; init; }
    public required IReadOnlyDictionary<string, CuratedType> Stateful { get; init; }
    public required IReadOnlyDictionary<string, CuratedType> Downtime { get; init; }
    public required IReadOnlyDictionary<string, CuratedType> Benign { get; init; }

    /// <summary>The DeletionPolicy CloudFormation applies when a template gives none, where it is not Delete.</summary>
    public required IReadOnlyDictionary<string, string> DefaultDeletion { get; init; }

    /// <summary>
    /// The type's rules, or null when nothing is known: a type the schemas lack, or a custom
    /// resource, whose Lambda alone decides what an update does.
    /// </summary>
    public TypeRules? Rules(string type) =>
        IsCustom(type) ? null : Types.GetValueOrDefault(type);

    public static bool IsCustom(string type) =>
        type.StartsWith("Custom::", StringComparison.Ordinal) || type == "AWS::CloudFormation::CustomResource";

    internal static ReplacementData Parse(JsonNode root)
    {
        return new ReplacementData
        {
            Source = root["source"]!.GetValue<string>(),
            Types = root["types"]!.AsObject().ToDictionary(t => t.Key, t => new TypeRules(
                Strings(t.Value!["createOnly"]), Strings(t.Value["conditionalCreateOnly"]), t.Value["nameProperty"]?.GetValue<string>()), StringComparer.Ordinal),
            Stateful = Curated(root["stateful"]!),
            Downtime = Curated(root["downtime"]!),
            Benign = Curated(root["benign"]!),
            DefaultDeletion = root["defaultDeletionPolicy"]!.AsObject().ToDictionary(t => t.Key, t => t.Value!["policy"]!.GetValue<string>(), StringComparer.Ordinal),
        };
    }

    private static ReplacementData Load()
    {
        using var stream = typeof(ReplacementData).Assembly.GetManifestResourceStream("resource-replacement.json")!;
        return Parse(JsonNode.Parse(stream)!);
    }

    private static string[] Strings(JsonNode? list) => list is JsonArray array ? [.. array.Select(p => p!.GetValue<string>())] : [];

    private static Dictionary<string, CuratedType> Curated(JsonNode section) =>
        section.AsObject().ToDictionary(t => t.Key, t => new CuratedType(t.Value!["reason"]!.GetValue<string>(), t.Value["source"]?.GetValue<string>(),
            t.Value["unlessSet"]?.GetValue<string>()),
            StringComparer.Ordinal);
}
