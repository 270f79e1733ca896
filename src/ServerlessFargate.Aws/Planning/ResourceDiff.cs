using System.Text.Json.Nodes;

namespace ServerlessFargate.Aws.Planning;

/// <summary>A resource's change before its risks are weighed.</summary>
internal sealed record Assessment(string Type, string Action, string Replacement, IReadOnlyList<string> Properties, IReadOnlyList<string> Reasons,
    bool TypeChanged = false);

/// <summary>
/// Compares one resource between the deployed and the proposed template and decides, from the
/// schemas' create-only paths, whether CloudFormation updates it in place or replaces it.
/// </summary>
internal sealed class ResourceDiff(ReplacementData data, IReadOnlyDictionary<string, TemplateResource> deployed,
    IReadOnlyDictionary<string, TemplateResource> proposed)
{
    /// <summary>Attributes outside Properties that a deploy changes without touching the resource.</summary>
    private static readonly string[] Attributes = ["DeletionPolicy", "UpdateReplacePolicy", "Condition"];

    private readonly Dictionary<(string Id, string Key), Sameness> _edits = [];
    private readonly Dictionary<(string Id, string Key), HashSet<string>> _references = [];

    /// <summary>
    /// The change to <paramref name="id"/>, or null when there is none. <paramref name="replaced"/>:
    /// the resources already known to be replaced ("always" or "conditional"); a value that refers
    /// to one of them changes, because its physical ID does.
    /// </summary>
    public Assessment? Assess(string id, IReadOnlyDictionary<string, string> replaced)
    {
        deployed.TryGetValue(id, out var old);
        proposed.TryGetValue(id, out var now);
        switch (old, now)
        {
            case (null, null):
                return null;
            case (null, _):
                return new(now.Type ?? "", PlanWords.Add, PlanWords.Never, [], []);
            case (_, null):
                return new(old.Type ?? "", PlanWords.Remove, PlanWords.Never, [], []);
        }
        if (old.Problem is not null || now.Problem is not null)
        {
            return Unreadable(old, now);
        }
        if (old.Type != now.Type)
        {
            // CloudFormation fails the change set rather than replace: "Update of resource type is not permitted".
            return new(now.Type!, PlanWords.Replace, PlanWords.Always, ["Type"],
                [$"the type changes from {old.Type} to {now.Type}, which CloudFormation refuses (\"Update of resource type is not permitted\"): give the new resource a new logical ID"],
                TypeChanged: true);
        }
        return Compare(id, old, now, replaced);
    }

    private static Assessment? Unreadable(TemplateResource old, TemplateResource now)
    {
        if (old.Problem == now.Problem && old.Type == now.Type && JsonTree.Compare(old.Properties, now.Properties) == Sameness.Same)
        {
            return null;
        }
        var which = old.Problem is not null ? $"the deployed template's entry is unreadable ({old.Problem})" : $"the new template's entry is unreadable ({now.Problem})";
        return new(now.Type ?? old.Type ?? "", PlanWords.Modify, PlanWords.Unknown, [], [which + "; treat it as possibly replaced"]);
    }

    private Assessment? Compare(string id, TemplateResource old, TemplateResource now, IReadOnlyDictionary<string, string> replaced)
    {
        var type = now.Type!;
        var rules = data.Rules(type);
        var properties = new List<string>();
        var reasons = new List<string>();
        var replacement = PlanWords.Never;
        bool Moved(JsonNode? value) => MovedBy(JsonTree.References(value), id, replaced).Count > 0;

        foreach (var key in old.Properties.Select(p => p.Key).Union(now.Properties.Select(p => p.Key), StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var edit = Edit(id, key, old.Properties, now.Properties);
            var movedBy = MovedBy(References(id, key, now.Properties[key]), id, replaced);
            if (edit == Sameness.Same && movedBy.Count == 0)
            {
                continue;
            }
            if (edit == Sameness.Same)
            {
                reasons.AddRange(movedBy.Select(m => $"{key} refers to {m}, which {(replaced[m] == PlanWords.Always ? "is" : "may be")} replaced"));
            }
            else if (edit == Sameness.TooDeep)
            {
                reasons.Add($"{key} is nested deeper than {JsonTree.MaxDepth} levels, so it is taken as changed");
            }
            if (rules is null)
            {
                properties.Add(key);
                replacement = PlanWords.Unknown;
                continue;
            }
            var (level, decided) = Level(rules, key, old.Properties[key], now.Properties[key], Moved);
            properties.AddRange(decided);
            replacement = Stronger(replacement, level);
        }
        if (rules is null && properties.Count > 0)
        {
            reasons.Add(ReplacementData.IsCustom(type)
                ? $"{type} is a custom resource: its provider decides what an update does; treat it as possibly replaced"
                : $"no replacement data for {type}; treat it as possibly replaced");
        }
        if (type == "AWS::ECS::Service")
        {
            replacement = EcsServiceTraps(old.Properties, now.Properties, replacement, reasons);
        }
        foreach (var attribute in Attributes)
        {
            var (before, after) = (Attribute(old, attribute), Attribute(now, attribute));
            if (JsonTree.Compare(before, after) != Sameness.Same)
            {
                properties.Add(attribute);
                reasons.Add($"{attribute} changes from {Describe(before)} to {Describe(after)}" +
                    (attribute == "Condition" ? "; where the two conditions differ in value, the resource is created or deleted" : ""));
            }
        }
        if (properties.Count == 0)
        {
            return null;
        }
        var action = replacement is PlanWords.Always or PlanWords.Conditional ? PlanWords.Replace : PlanWords.Modify;
        return new(type, action, replacement, properties, reasons);
    }

    /// <summary>
    /// How a change under a top-level property reaches the resource: a create-only property
    /// replaces it ("always"), a conditionally create-only one may ("conditional"), else it is
    /// updated in place. Where only a nested path is create-only (ReplicationInfoList/*/
    /// SourceKafkaClusterArn), that path decides, and is what the plan names.
    /// </summary>
    private static (string Level, IReadOnlyList<string> Paths) Level(TypeRules rules, string key, JsonNode? old, JsonNode? now, Func<JsonNode?, bool> moved)
    {
        foreach (var (paths, level) in new[] { (rules.CreateOnly, PlanWords.Always), (rules.ConditionalCreateOnly, PlanWords.Conditional) })
        {
            if (paths.Contains(key, StringComparer.Ordinal))
            {
                return (level, [key]);
            }
            var nested = paths
                .Where(p => p.StartsWith(key + "/", StringComparison.Ordinal))
                .Where(p => JsonTree.CompareAt(old, now, p.Split('/')[1..], 0, moved) != Sameness.Same)
                .ToList();
            if (nested.Count > 0)
            {
                return (level, nested);
            }
        }
        return (PlanWords.Never, [key]);
    }

    /// <summary>
    /// A service that moves between a launch type and a capacity provider strategy (one removed,
    /// the other added) is replaced: CloudFormation creates a new service and deletes the old one.
    /// The schema marks LaunchType only conditionally create-only, which would say "may replace".
    /// </summary>
    private static string EcsServiceTraps(JsonObject old, JsonObject now, string replacement, List<string> reasons)
    {
        static bool Has(JsonObject properties, string key) =>
            properties[key] is { } value && value is not JsonArray { Count: 0 };
        var fromLaunchType = Has(old, "LaunchType") && !Has(now, "LaunchType") && Has(now, "CapacityProviderStrategy") && !Has(old, "CapacityProviderStrategy");
        var toLaunchType = Has(now, "LaunchType") && !Has(old, "LaunchType") && Has(old, "CapacityProviderStrategy") && !Has(now, "CapacityProviderStrategy");
        if (fromLaunchType || toLaunchType)
        {
            reasons.Add(fromLaunchType
                ? "moving from LaunchType to CapacityProviderStrategy replaces the service: a new service starts and the old one is deleted"
                : "moving from CapacityProviderStrategy to LaunchType replaces the service: a new service starts and the old one is deleted");
            return PlanWords.Always;
        }
        return replacement;
    }

    private Sameness Edit(string id, string key, JsonObject old, JsonObject now)
    {
        if (!_edits.TryGetValue((id, key), out var edit))
        {
            edit = old.ContainsKey(key) != now.ContainsKey(key) ? Sameness.Different : JsonTree.Compare(old[key], now[key]);
            _edits[(id, key)] = edit;
        }
        return edit;
    }

    private HashSet<string> References(string id, string key, JsonNode? value)
    {
        if (!_references.TryGetValue((id, key), out var references))
        {
            references = JsonTree.References(value);
            _references[(id, key)] = references;
        }
        return references;
    }

    private static List<string> MovedBy(HashSet<string> references, string id, IReadOnlyDictionary<string, string> replaced) =>
        [.. references.Where(r => r != id && replaced.ContainsKey(r)).Order(StringComparer.Ordinal)];

    private static JsonNode? Attribute(TemplateResource resource, string name) => name switch
    {
        "DeletionPolicy" => resource.DeletionPolicy,
        "UpdateReplacePolicy" => resource.UpdateReplacePolicy,
        _ => resource.Condition,
    };

    private static string Describe(JsonNode? value) => value is null ? "none" : JsonTree.Brief(value);

    private static string Stronger(string a, string b) => Rank(a) >= Rank(b) ? a : b;

    private static int Rank(string replacement) => replacement switch
    {
        PlanWords.Always => 3,
        PlanWords.Unknown => 2,
        PlanWords.Conditional => 1,
        _ => 0,
    };
}
