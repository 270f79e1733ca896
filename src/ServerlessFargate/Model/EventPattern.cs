using System.Text.Json.Nodes;
using ServerlessFargate.Diagnostics;
using ServerlessFargate.Yaml;

namespace ServerlessFargate.Model;

/// <summary>
/// An EventBridge event pattern as written (<see cref="Json"/>, which the rule carries unchanged),
/// read once where the model is built, with what EventBridge would refuse in it. The shape,
/// from https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html and
/// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html:
/// a field holds a map of nested fields or a list of one or more values and filters; a filter is
/// a map of one operator; <c>$or</c> holds a list of patterns. <c>source: aws.s3</c> is the
/// mistake this catches most: EventBridge refuses the rule at deploy time with "Event pattern is
/// not valid", after the rest of the stack has waited for it.
/// </summary>
public sealed record EventPattern(JsonNode Json, IReadOnlyList<PatternProblem> Problems)
{
    /// <summary>The comparison operators a filter may use.</summary>
    public static readonly IReadOnlyList<string> Operators =
        ["prefix", "suffix", "anything-but", "numeric", "exists", "cidr", "equals-ignore-case", "wildcard"];

    public static EventPattern Parse(YMapping pattern)
    {
        var problems = new List<PatternProblem>();
        if (pattern.Entries.Count == 0)
        {
            problems.Add(new PatternProblem(pattern.Span, "the pattern is empty, and EventBridge needs at least one field to match, such as `source: [my.app]`", null));
        }
        Fields(pattern, "", problems);
        return new EventPattern(YNodeJson.ToJsonNode(pattern) ?? new JsonObject(), problems);
    }

    private static void Fields(YMapping fields, string prefix, List<PatternProblem> problems)
    {
        foreach (var (key, value) in fields.Entries.Select(e => (e.Key, e.Value)))
        {
            var name = prefix + key.Value;
            if (key.Value == "$or")
            {
                if (value is not YSequence { Items.Count: > 0 } branches || branches.Items.Any(b => b is not YMapping { Entries.Count: > 0 }))
                {
                    problems.Add(new PatternProblem(value.Span, $"`{name}` holds a list of patterns, each a map of fields, such as `$or: [{{source: [a]}}, {{source: [b]}}]`", null));
                    continue;
                }
                foreach (var branch in branches.Items.Cast<YMapping>())
                {
                    Fields(branch, prefix, problems);
                }
                continue;
            }
            switch (value)
            {
                case YMapping { Entries.Count: 0 }:
                    problems.Add(new PatternProblem(value.Span, $"field `{name}` is an empty map; give the nested fields to match, or leave the field out", null));
                    break;
                case YMapping nested:
                    Fields(nested, name + ".", problems);
                    break;
                case YSequence { Items.Count: 0 }:
                    problems.Add(new PatternProblem(value.Span, $"field `{name}` has an empty list; EventBridge matches a field against a list of one or more values, so give some or leave the field out", null));
                    break;
                case YSequence values:
                    foreach (var item in values.Items.OfType<YMapping>())
                    {
                        Filter(item, name, problems);
                    }
                    break;
                case YScalar { Kind: ScalarKind.Null }:
                    problems.Add(new PatternProblem(key.Span, $"field `{name}` has no value; give a list of values, such as `{key.Value}: [a, b]`", null));
                    break;
                case YScalar scalar:
                    problems.Add(new PatternProblem(scalar.Span,
                        $"field `{name}` holds `{scalar.Value}`, and EventBridge matches a field against a list of values: write `[{scalar.Value}]`",
                        PlainWord(scalar) ? $"[{scalar.Value}]" : null));
                    break;
            }
        }
    }

    /// <summary>A filter is one operator (or a CloudFormation function, which CloudFormation replaces by its value).</summary>
    private static void Filter(YMapping filter, string field, List<PatternProblem> problems)
    {
        if (filter.Entries.Count != 1)
        {
            problems.Add(new PatternProblem(filter.Span,
                $"a filter of field `{field}` has {filter.Entries.Count} keys; a filter is one operator, such as `{{prefix: uploads/}}`; list several filters to match any of them", null));
            return;
        }
        var key = filter.Entries[0].Key;
        if (YNodeJson.IsFunctionKey(key.Value))
        {
            return;
        }
        if (Operators.Contains(key.Value))
        {
            if (OperandProblem(key.Value, filter.Entries[0].Value) is { } expected)
            {
                problems.Add(new PatternProblem(filter.Entries[0].Value.Span, $"`{key.Value}` in field `{field}` takes {expected}", null));
            }
            return;
        }
        var closest = DidYouMean.Closest(key.Value, Operators);
        problems.Add(new PatternProblem(key.Span,
            $"`{key.Value}` in field `{field}` is not an operator EventBridge knows" + (closest is null ? $"; it knows {string.Join(", ", Operators)}" : $"; did you mean `{closest}`?"),
            closest));
    }

    /// <summary>
    /// What an operator takes, when the value written is not that (null: it is). EventBridge
    /// refuses the rule otherwise, e.g. <c>{prefix: 1}</c> or <c>{exists: "yes"}</c>; the forms
    /// are those of eb-create-pattern-operators.html.
    /// </summary>
    private static string? OperandProblem(string op, YNode value)
    {
        static bool Text(YNode node) => node is YScalar { Kind: ScalarKind.String };
        static bool OneOf(YNode node, params string[] operators) =>
            node is YMapping { Entries.Count: 1 } map && operators.Contains(map.Entries[0].Key.Value) && Text(map.Entries[0].Value);
        return op switch
        {
            "prefix" or "suffix" when !Text(value) && !OneOf(value, "equals-ignore-case") =>
                "a string (quote a number), or `{equals-ignore-case: TEXT}`",
            "equals-ignore-case" or "wildcard" or "cidr" when !Text(value) => "a string (quote a number)",
            "exists" when value is not YScalar { Kind: ScalarKind.Boolean } => "true or false",
            "numeric" when value is not YSequence { Items.Count: > 0 } => "a list of comparisons, such as `['>', 0, '<=', 5]`",
            "anything-but" when value switch
            {
                YScalar { Kind: ScalarKind.String or ScalarKind.Integer or ScalarKind.Float } => false,
                YSequence { Items.Count: > 0 } list => !list.Items.All(i => i is YScalar { Kind: ScalarKind.String or ScalarKind.Integer or ScalarKind.Float }),
                YMapping => !OneOf(value, "prefix", "suffix", "equals-ignore-case", "wildcard"),
                _ => true,
            } => "a value, a list of values, or one of `{prefix: TEXT}`, `{suffix: TEXT}`, `{equals-ignore-case: TEXT}`, `{wildcard: TEXT}`",
            _ => null,
        };
    }

    /// <summary>A value that reads the same inside <c>[ ]</c>, so the fix can be offered as is.</summary>
    private static bool PlainWord(YScalar scalar) =>
        scalar.Kind == ScalarKind.String && scalar.Value.Length > 0 && scalar.Value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '/');
}

/// <summary>Something EventBridge would refuse in a pattern: where, what, and the fixed text when one fix is plain.</summary>
public sealed record PatternProblem(SourceSpan Span, string Message, string? Suggestion);
