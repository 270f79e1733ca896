using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ServerlessFargate.Aws.Planning;

/// <summary>How two template values compare. <see cref="TooDeep"/>: nested past <see cref="JsonTree.MaxDepth"/>, not looked at.</summary>
internal enum Sameness
{
    Same,
    TooDeep,
    Different,
}

/// <summary>
/// Reads template values as the planner needs them. A deployed template comes from AWS and is
/// not trusted: every walk stops at <see cref="MaxDepth"/> levels (CloudFormation's own templates
/// are far shallower), so a deep document costs little and cannot overflow the stack.
/// </summary>
internal static class JsonTree
{
    public const int MaxDepth = 64;

    /// <summary>Deep equality of JSON values: objects by key (in any order), arrays by position, numbers by value.</summary>
    public static Sameness Compare(JsonNode? a, JsonNode? b) => Compare(a, b, 0);

    private static Sameness Compare(JsonNode? a, JsonNode? b, int depth)
    {
        if (depth > MaxDepth)
        {
            return Sameness.TooDeep;
        }
        switch (a, b)
        {
            case (null, null):
                return Sameness.Same;
            case (JsonObject x, JsonObject y):
                if (x.Count != y.Count)
                {
                    return Sameness.Different;
                }
                var objects = Sameness.Same;
                foreach (var (key, value) in x)
                {
                    if (!y.TryGetPropertyValue(key, out var other))
                    {
                        return Sameness.Different;
                    }
                    objects = Worse(objects, Compare(value, other, depth + 1));
                    if (objects == Sameness.Different)
                    {
                        return objects;
                    }
                }
                return objects;
            case (JsonArray x, JsonArray y):
                if (x.Count != y.Count)
                {
                    return Sameness.Different;
                }
                var arrays = Sameness.Same;
                for (var i = 0; i < x.Count && arrays != Sameness.Different; i++)
                {
                    arrays = Worse(arrays, Compare(x[i], y[i], depth + 1));
                }
                return arrays;
            case (JsonValue x, JsonValue y):
                return SameValue(x, y) ? Sameness.Same : Sameness.Different;
            default:
                return Sameness.Different;
        }
    }

    /// <summary>Of two parts' results, the whole's: a difference seen outranks one that is only possible deep down.</summary>
    public static Sameness Worse(Sameness a, Sameness b) => a > b ? a : b;

    private static bool SameValue(JsonValue a, JsonValue b)
    {
        var kind = a.GetValueKind();
        if (kind != b.GetValueKind())
        {
            return false;
        }
        return kind switch
        {
            JsonValueKind.String => string.Equals(a.GetValue<string>(), b.GetValue<string>(), StringComparison.Ordinal),
            // 1 and 1.0 are one number; CloudFormation passes both on as the same value.
            JsonValueKind.Number => Number(a) is { } x && Number(b) is { } y ? x == y : a.ToJsonString() == b.ToJsonString(),
            _ => true,
        };
    }

    private static decimal? Number(JsonValue value) =>
        decimal.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : null;

    /// <summary>
    /// True for <c>{"Ref": ...}</c> and <c>{"Fn::...": ...}</c>: a value CloudFormation computes, so
    /// its parts are not the property's parts (a <c>Fn::If</c> over a list is not the list).
    /// </summary>
    public static bool IsIntrinsic(JsonNode? node) =>
        node is JsonObject { Count: 1 } only && only.First().Key is var key && (key == "Ref" || key.StartsWith("Fn::", StringComparison.Ordinal));

    /// <summary>
    /// The logical IDs a value names: <c>{"Ref": "A"}</c>, <c>{"Fn::GetAtt": ["A", "Arn"]}</c> (or
    /// <c>"A.Arn"</c>), and <c>${A}</c> / <c>${A.Arn}</c> in a <c>Fn::Sub</c> string (not <c>${!A}</c>,
    /// which is the literal text, nor a name the Sub's own variable map defines). Pseudo parameters
    /// and parameters come along too; callers look up only resource IDs.
    /// </summary>
    public static HashSet<string> References(JsonNode? node)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        CollectReferences(node, found, 0);
        return found;
    }

    private static void CollectReferences(JsonNode? node, HashSet<string> found, int depth)
    {
        if (depth > MaxDepth)
        {
            return; // Compare reports such a value as TooDeep, hence changed, so nothing is missed.
        }
        switch (node)
        {
            case JsonObject obj:
                if (obj.Count == 1)
                {
                    var (key, value) = obj.First();
                    switch (key)
                    {
                        case "Ref" when value is JsonValue v && v.TryGetValue<string>(out var name):
                            found.Add(name);
                            break;
                        case "Fn::GetAtt" when value is JsonArray { Count: > 0 } args && args[0] is JsonValue first && first.TryGetValue<string>(out var target):
                            found.Add(target);
                            break;
                        case "Fn::GetAtt" when value is JsonValue v && v.TryGetValue<string>(out var dotted):
                            found.Add(dotted.Split('.')[0]);
                            break;
                        case "Fn::Sub":
                            SubReferences(value, found);
                            break;
                    }
                }
                foreach (var (_, child) in obj)
                {
                    CollectReferences(child, found, depth + 1);
                }
                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    CollectReferences(child, found, depth + 1);
                }
                break;
        }
    }

    private static void SubReferences(JsonNode? sub, HashSet<string> found)
    {
        // "Fn::Sub": "arn:${Queue.Arn}/${!Literal}" or ["${Name}-${Queue}", {"Name": {...}}]
        var (template, variables) = sub switch
        {
            JsonValue v when v.TryGetValue<string>(out var text) => (text, null),
            JsonArray { Count: > 0 } args when args[0] is JsonValue v && v.TryGetValue<string>(out var text) => (text, args.Count > 1 ? args[1] as JsonObject : null),
            _ => ((string?)null, (JsonObject?)null),
        };
        if (template is null)
        {
            return;
        }
        var start = 0;
        while ((start = template.IndexOf("${", start, StringComparison.Ordinal)) >= 0)
        {
            var end = template.IndexOf('}', start + 2);
            if (end < 0)
            {
                return;
            }
            var inner = template[(start + 2)..end].Trim();
            start = end + 1;
            if (inner.StartsWith('!'))
            {
                continue;
            }
            var name = inner.Split('.')[0];
            if (variables is null || !variables.ContainsKey(name))
            {
                found.Add(name);
            }
        }
    }

    /// <summary>
    /// Compares the values at a path such as <c>ConnectPeerConfiguration/BgpConfigurations/*/PeerAsn</c>
    /// below two property values (<c>*</c>: every array item, by position). Where the path meets
    /// an intrinsic or a value of another shape, the whole value there is compared: a change
    /// under it may reach the path. <paramref name="moved"/> says whether a value refers to a
    /// replaced resource, which changes it as surely as an edit.
    /// </summary>
    public static Sameness CompareAt(JsonNode? a, JsonNode? b, IReadOnlyList<string> path, int index, Func<JsonNode?, bool> moved)
    {
        if (index == path.Count || IsIntrinsic(a) || IsIntrinsic(b))
        {
            return moved(b) ? Sameness.Different : Compare(a, b);
        }
        if (path[index] == "*")
        {
            if (a is not (null or JsonArray) || b is not (null or JsonArray))
            {
                return moved(b) ? Sameness.Different : Compare(a, b);
            }
            var (x, y) = ((JsonArray?)a, (JsonArray?)b);
            var count = Math.Max(x?.Count ?? 0, y?.Count ?? 0);
            var result = Sameness.Same;
            for (var i = 0; i < count && result != Sameness.Different; i++)
            {
                result = Worse(result, CompareAt(x is not null && i < x.Count ? x[i] : null, y is not null && i < y.Count ? y[i] : null, path, index + 1, moved));
            }
            return result;
        }
        if (a is not (null or JsonObject) || b is not (null or JsonObject))
        {
            return moved(b) ? Sameness.Different : Compare(a, b);
        }
        return CompareAt(((JsonObject?)a)?[path[index]], ((JsonObject?)b)?[path[index]], path, index + 1, moved);
    }

    /// <summary>A value as a reason quotes it: strings in quotes, anything else as short JSON, cut at about 80 characters.</summary>
    public static string Brief(JsonNode? node)
    {
        const int limit = 80;
        var text = new StringBuilder();
        Write(node, text, 0, limit);
        return text.Length > limit ? text.ToString(0, limit) + "…" : text.ToString();
    }

    private static void Write(JsonNode? node, StringBuilder text, int depth, int limit)
    {
        if (text.Length > limit)
        {
            return;
        }
        switch (node)
        {
            case null:
                text.Append("null");
                break;
            case JsonObject obj when depth < 8:
                text.Append('{');
                var first = true;
                foreach (var (key, value) in obj)
                {
                    text.Append(first ? "" : ", ").Append(JsonValue.Create(key).ToJsonString()).Append(": ");
                    Write(value, text, depth + 1, limit);
                    first = false;
                    if (text.Length > limit)
                    {
                        return;
                    }
                }
                text.Append('}');
                break;
            case JsonArray array when depth < 8:
                text.Append('[');
                for (var i = 0; i < array.Count && text.Length <= limit; i++)
                {
                    text.Append(i == 0 ? "" : ", ");
                    Write(array[i], text, depth + 1, limit);
                }
                text.Append(']');
                break;
            case JsonValue value:
                text.Append(value.ToJsonString());
                break;
            default:
                text.Append('…');
                break;
        }
    }
}
