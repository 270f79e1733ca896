using System.Text.Json.Nodes;
using ServerlessFargate.Schema;
using ServerlessFargate.Yaml;

namespace ServerlessFargate.Model;

/// <summary>
/// The one inheritance step, provider → fargate → task, done on the node tree before the model
/// reads a key. Which keys pass down is the schemas' to say: a task inherits the fargate-level keys
/// a task may also set (<see cref="EmbeddedSchemas.TaskKeys"/>); the fargate level inherits the
/// provider keys marked <c>x-inherited</c> that are fargate-level keys too, except the IAM
/// statements and managed policies, which only the shared task role takes (<see cref="ProviderIam"/>).
/// <para>
/// How a later level's value of a key combines with an earlier one's is the key's <c>x-merge</c>
/// in the fargate schema. With <c>{A: 1, B: 2}</c> then <c>{A: 3}</c>, or <c>[a]</c> then <c>[b]</c>:
/// no x-merge (cpu, roles, spot) gives the later value, <c>{A: 3}</c>; <c>mapByKey</c> gives
/// <c>{A: 3, B: 2}</c> (JavaScript's object spread, as the reference merges environment; each
/// key of the map combines by its own x-merge, so cloudFormationResource.task merges key by key);
/// <c>appendByKey</c> gives <c>{B: 2, A: 3}</c> (secrets: the order the container has always listed
/// them in, which a deploy would otherwise see as a new task definition); <c>concat</c> gives
/// <c>[a, b]</c>.
/// </para>
/// <para>
/// The rule sits in the schema, not in a table here, because it is a fact about the key, like its
/// type: the schema is already the one list of keys, and each key's <c>description</c> tells users
/// the same rule, so the two are read and changed together; a key added to both levels is
/// inherited with no code. Validators ignore keywords they do not know; the plugin strips
/// <c>x-</c> keywords for the framework's strict Ajv.
/// </para>
/// </summary>
internal static class Inheritance
{
    private enum Rule
    {
        Replace,
        MapByKey,
        AppendByKey,
        Concat,
    }

    private static LoadedSchema Schema => EmbeddedSchemas.Fargate.Value;

    private static JsonObject TaskSchema => Schema.Json["definitions"]!["task"]!.AsObject();

    /// <summary>
    /// The keys the provider spells like the fargate level's but which stay out of its merge:
    /// the Lambda functions' IAM statements and managed policies reach the shared task role only
    /// (<see cref="ProviderIam"/>), never a task's role of its own.
    /// </summary>
    private static readonly HashSet<string> ProviderIamKeys = new(StringComparer.Ordinal) { "iamRoleStatements", "iamManagedPolicies" };

    /// <summary>The fargate level over what it inherits from the provider (environment, tags, vpc…).</summary>
    public static YMapping Fargate(YMapping provider, YMapping fargate)
    {
        var fargateKeys = Schema.Json["properties"]!.AsObject();
        var own = new YMapping(provider.Span,
            [.. provider.Entries.Where(e => EmbeddedSchemas.InheritedProviderKeys.Contains(e.Key.Value) && fargateKeys.ContainsKey(e.Key.Value)
                && !ProviderIamKeys.Contains(e.Key.Value))]);
        return MapByKey(Respelled(own), Respelled(fargate), Schema.Json);
    }

    /// <summary>
    /// The provider's statements and managed policies, each with the key it is written under, in
    /// the order the shared task role lists them before the fargate level's: the framework's
    /// newer <c>iam.role.statements</c> and <c>iam.role.managedPolicies</c>, then the older
    /// <c>iamRoleStatements</c> and <c>iamManagedPolicies</c> (the order in which the reference
    /// plugin concatenates them).
    /// </summary>
    public static (IReadOnlyList<(YNode Node, string Path)> Statements, IReadOnlyList<(YNode Node, string Path)> ManagedPolicies) ProviderIam(YMapping provider)
    {
        var role = (provider.Get("iam") as YMapping)?.Get("role") as YMapping;
        return (
            [.. Indexed(role?.Get("statements"), "provider.iam.role.statements").Concat(Indexed(provider.Get("iamRoleStatements"), "provider.iamRoleStatements"))
                .Select(s => (ActionAsList(s.Node), s.Path))],
            [.. Indexed(role?.Get("managedPolicies"), "provider.iam.role.managedPolicies"), .. Indexed(provider.Get("iamManagedPolicies"), "provider.iamManagedPolicies")]);
    }

    /// <summary>The items of a list, each with its path: <c>fargate.iamRoleStatements[0]</c>.</summary>
    public static IEnumerable<(YNode Node, string Path)> Indexed(YNode? list, string path) =>
        list is YSequence sequence ? sequence.Items.Select((item, i) => (item, $"{path}[{i}]")) : [];

    /// <summary>A task over the fargate-level keys it inherits (the fargate level already holds the provider's).</summary>
    public static YMapping Task(YMapping fargate, YMapping task)
    {
        var shared = new YMapping(fargate.Span, [.. fargate.Entries.Where(e => EmbeddedSchemas.TaskKeys.Contains(e.Key.Value))]);
        return MapByKey(shared, Respelled(task), TaskSchema);
    }

    private static YNode Combine(YNode earlier, YNode later, JsonObject? schema)
    {
        var rule = RuleOf(schema);
        // A level whose value has another shape (null, a schema error already reported) adds nothing.
        bool Fits(YNode node) => rule == Rule.Concat ? node is YSequence : node is YMapping;
        if (rule == Rule.Replace || !Fits(earlier))
        {
            return later;
        }
        if (!Fits(later))
        {
            return earlier;
        }
        return rule switch
        {
            Rule.MapByKey => MapByKey((YMapping)earlier, (YMapping)later, schema),
            Rule.AppendByKey => new YMapping(later.Span,
                [.. ((YMapping)earlier).Entries.Where(e => ((YMapping)later).GetEntry(e.Key.Value) is null), .. ((YMapping)later).Entries]),
            _ => new YSequence(later.Span, [.. ((YSequence)earlier).Items, .. ((YSequence)later).Items]),
        };
    }

    private static YMapping MapByKey(YMapping earlier, YMapping later, JsonObject? schema)
    {
        var entries = earlier.Entries.ToList();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < entries.Count; i++)
        {
            index.TryAdd(entries[i].Key.Value, i);
        }
        foreach (var entry in later.Entries)
        {
            if (index.TryGetValue(entry.Key.Value, out var at))
            {
                entries[at] = entry with { Value = Combine(entries[at].Value, entry.Value, PropertyOf(schema, entry.Key.Value)) };
            }
            else
            {
                index[entry.Key.Value] = entries.Count;
                entries.Add(entry);
            }
        }
        return new YMapping(later.Span, entries);
    }

    /// <summary>The schema of a key in a map: its property, or what the map allows for any key.</summary>
    private static JsonObject? PropertyOf(JsonObject? schema, string key)
    {
        var map = Schema.Follow(schema);
        return (map?["properties"]?[key] ?? map?["additionalProperties"]) as JsonObject;
    }

    private static Rule RuleOf(JsonObject? schema) =>
        (schema?["x-merge"] ?? Schema.Follow(schema)?["x-merge"])?.GetValue<string>() switch
        {
            null => Rule.Replace,
            "mapByKey" => Rule.MapByKey,
            "appendByKey" => Rule.AppendByKey,
            "concat" => Rule.Concat,
            var other => throw new InvalidOperationException($"fargate.schema.json has an x-merge the merge step does not know: {other}"),
        };

    /// <summary>
    /// One level with older spellings under their current names, so that a key holds one value a
    /// level: <c>vpc.subnets</c> as <c>vpc.subnetIds</c> (where both are written the current name
    /// wins; FG1007 reports it), and the reference's <c>service.spot</c> as the task's <c>spot</c>
    /// unless the task sets that too.
    /// </summary>
    private static YMapping Respelled(YMapping level)
    {
        var entries = level.Entries.Select(e => e is { Key.Value: "vpc", Value: YMapping vpc } ? e with { Value = CurrentNames(vpc) } : e).ToList();
        if (level.GetEntry("spot") is null && (level.Get("service") as YMapping)?.GetEntry("spot") is { } spot)
        {
            entries.Add(spot);
        }
        return new YMapping(level.Span, entries);
    }

    private static YMapping CurrentNames(YMapping vpc) => new(vpc.Span,
        [.. vpc.Entries.SelectMany(e => DeprecatedKeys.Renamed.FirstOrDefault(r => r.Old == e.Key.Value) is { Current: { } current }
            ? vpc.GetEntry(current) is null ? Renamed(vpc, e.Key.Value, current) : []
            : [e])]);

    private static IEnumerable<YEntry> Renamed(YMapping? map, string from, string to) =>
        map?.GetEntry(from) is { } entry ? [new YEntry(YScalar.String(entry.Key.Span, to), entry.Value)] : [];

    /// <summary>
    /// The framework validates provider statements with type coercion; its schema declares
    /// <c>Action</c> a list (Resource may be a string), so <c>Action: sqs:SendMessage</c> becomes a
    /// list in place and the reference copies that. Doing the same keeps a migrated stack's task
    /// role policy unchanged.
    /// </summary>
    private static YNode ActionAsList(YNode statement) => statement is YMapping fields
        ? new YMapping(fields.Span, [.. fields.Entries.Select(e => e is { Key.Value: "Action" or "NotAction", Value: YScalar { Kind: not ScalarKind.Null } single }
            ? e with { Value = new YSequence(single.Span, [single]) }
            : e)])
        : statement;
}
