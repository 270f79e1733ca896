using System.Globalization;
using System.Text.Json.Nodes;

namespace ServerlessFargate.Tests;

/// <summary>
/// Whether an event matches an EventBridge pattern, as AWS documents it, so the tests can hold the
/// patterns we generate against real event shapes without an AWS account. From
/// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html and
/// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html:
/// - every field of the pattern must match (and); <c>$or</c> holds patterns of which one must;
/// - a pattern field's list matches when any of its items matches any of the event's values there;
/// - the event's arrays are flattened: <c>containers: {exitCode: [...]}</c> matches when any
///   container's exitCode does;
/// - a field the event lacks matches only <c>{"exists": false}</c>: not a value, and not
///   <c>anything-but</c>.
/// Only what the generated patterns and the tests use is here: values, prefix, suffix, wildcard,
/// anything-but (a value, a list, or a prefix), exists, numeric.
/// </summary>
internal static class EventPatternMatcher
{
    public static bool Matches(JsonObject pattern, JsonNode? @event) => MatchObject(pattern, [@event]);

    /// <summary>The pattern's fields against the event's values at this level (several, once arrays are flattened).</summary>
    private static bool MatchObject(JsonObject pattern, IReadOnlyList<JsonNode?> events)
    {
        foreach (var (key, expected) in pattern)
        {
            if (key == "$or")
            {
                if (!expected!.AsArray().Any(branch => MatchObject(branch!.AsObject(), events)))
                {
                    return false;
                }
                continue;
            }
            var values = Flatten(events.OfType<JsonObject>().Where(e => e.ContainsKey(key)).Select(e => e[key])).ToList();
            var present = events.OfType<JsonObject>().Any(e => e.ContainsKey(key));
            var matched = expected switch
            {
                JsonObject nested => present && MatchObject(nested, values),
                JsonArray alternatives => alternatives.Any(a => MatchLeaf(a, present, values)),
                _ => throw new ArgumentException($"pattern field {key} is neither a list nor a map"),
            };
            if (!matched)
            {
                return false;
            }
        }
        return true;
    }

    private static IEnumerable<JsonNode?> Flatten(IEnumerable<JsonNode?> values)
    {
        foreach (var value in values)
        {
            if (value is JsonArray array)
            {
                foreach (var item in Flatten(array))
                {
                    yield return item;
                }
            }
            else
            {
                yield return value;
            }
        }
    }

    private static bool MatchLeaf(JsonNode? alternative, bool present, IReadOnlyList<JsonNode?> values)
    {
        if (alternative is JsonObject { Count: 1 } filter && filter.First() is var (op, argument))
        {
            if (op == "exists")
            {
                return argument!.GetValue<bool>() == present;
            }
            // Every other filter, anything-but included, needs the field.
            return present && values.Any(v => Filter(op, argument, v));
        }
        return present && values.Any(v => JsonNode.DeepEquals(v, alternative));
    }

    private static bool Filter(string op, JsonNode? argument, JsonNode? value) => op switch
    {
        "prefix" => Text(value) is { } text && text.StartsWith(argument!.GetValue<string>(), StringComparison.Ordinal),
        "suffix" => Text(value) is { } text && text.EndsWith(argument!.GetValue<string>(), StringComparison.Ordinal),
        "wildcard" => Text(value) is { } text && Wildcard(argument!.GetValue<string>(), text),
        "anything-but" => argument switch
        {
            JsonArray list => !list.Any(item => JsonNode.DeepEquals(item, value)),
            JsonObject { Count: 1 } inner when inner.First() is var (innerOp, innerArgument) => !Filter(innerOp, innerArgument, value),
            _ => !JsonNode.DeepEquals(argument, value),
        },
        "numeric" => value is JsonValue number && number.TryGetValue<double>(out var n) && Numeric(argument!.AsArray(), n),
        _ => throw new ArgumentException($"the matcher does not know the filter {op}"),
    };

    private static string? Text(JsonNode? value) => value is JsonValue v && v.TryGetValue<string>(out var text) ? text : null;

    private static bool Numeric(JsonArray conditions, double value)
    {
        for (var i = 0; i + 1 < conditions.Count; i += 2)
        {
            var bound = conditions[i + 1]!.GetValue<double>();
            var holds = conditions[i]!.GetValue<string>() switch
            {
                "<" => value < bound,
                "<=" => value <= bound,
                "=" => value == bound,
                ">=" => value >= bound,
                ">" => value > bound,
                var other => throw new ArgumentException($"unknown numeric operator {other}"),
            };
            if (!holds)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary><c>*</c> matches any run of characters; <c>\*</c> and <c>\\</c> are the characters themselves.</summary>
    private static bool Wildcard(string pattern, string text)
    {
        var regex = new System.Text.StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] == '\\' && i + 1 < pattern.Length)
            {
                regex.Append(System.Text.RegularExpressions.Regex.Escape(pattern[++i].ToString(CultureInfo.InvariantCulture)));
            }
            else
            {
                regex.Append(pattern[i] == '*' ? ".*" : System.Text.RegularExpressions.Regex.Escape(pattern[i].ToString(CultureInfo.InvariantCulture)));
            }
        }
        return System.Text.RegularExpressions.Regex.IsMatch(text, regex.Append('$').ToString(), System.Text.RegularExpressions.RegexOptions.Singleline);
    }
}
