using System.Globalization;
using System.Text.Json.Nodes;
using Json.Schema;
using ServerlessFargate.Diagnostics;
using ServerlessFargate.Yaml;

namespace ServerlessFargate.Schema;

/// <summary>
/// Validates a node against an embedded JSON Schema and words each failure as a diagnostic at the
/// offending key or value. Messages are built from the schema's own keyword values (the allowed
/// enum, the expected types, the known keys), so they never drift from the schema users see.
/// </summary>
internal static class SchemaValidator
{
    private sealed record Failure(string[] Evaluation, string[] Instance, string Keyword, string Message)
    {
        /// <summary>For type mismatches: what would have been accepted ("a string", "false").</summary>
        public List<string>? Expected { get; init; }

        public bool IsMismatchAt(string[] instance) => Expected is not null && Instance.AsSpan().SequenceEqual(instance);
    }

    private static readonly EvaluationOptions FlagOnly = new() { OutputFormat = OutputFormat.Flag };

    public static void Validate(LoadedSchema schema, YNode node, string rootPath, DiagnosticBag diagnostics)
    {
        // The flag format only answers valid or not, and is several times faster than the list
        // format, which records every evaluated node; most configurations are valid.
        var json = YNodeJson.ToJsonElement(node);
        if (schema.Schema.Evaluate(json, FlagOnly).IsValid)
        {
            return;
        }
        var results = schema.Schema.Evaluate(json, new EvaluationOptions { OutputFormat = OutputFormat.List });

        // When a subschema fails, the evaluator also lists errors from inside anyOf branches that
        // passed (the string branch of "string or intrinsic" reports "not a map"). Those are not
        // problems: drop every error beneath a node that is valid.
        var validNodes = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var detail in results.Details ?? [])
        {
            if (detail.IsValid)
            {
                var key = detail.EvaluationPath.ToString();
                if (!validNodes.TryGetValue(key, out var locations))
                {
                    validNodes[key] = locations = [];
                }
                locations.Add(detail.InstanceLocation.ToString());
            }
        }

        var failures = new List<Failure>();
        foreach (var detail in results.Details ?? [])
        {
            if (detail.Errors is null || BeneathValidNode(validNodes, detail.EvaluationPath.ToString(), detail.InstanceLocation.ToString()))
            {
                continue;
            }
            var evaluation = Segments(detail.EvaluationPath.ToString());
            // An `if` that fails only picks `else`: its own failures are no problem of the value.
            if (Array.IndexOf(evaluation, "if") >= 0)
            {
                continue;
            }
            var instance = Segments(detail.InstanceLocation.ToString());
            foreach (var (keyword, message) in detail.Errors)
            {
                var failure = new Failure(evaluation, instance, keyword, message);
                failures.Add(failure with { Expected = ExpectedFor(schema, failure) });
            }
        }

        var reduced = ReduceAnyOf(schema, failures, 0);

        // A value of the wrong type also fails its enum or pattern; the type is the news.
        var mistyped = reduced.Where(f => f.Keyword == "type").Select(f => string.Join('/', f.Instance)).ToHashSet(StringComparer.Ordinal);
        foreach (var failure in reduced)
        {
            if (failure.Keyword is "enum" or "const" or "pattern" && mistyped.Contains(string.Join('/', failure.Instance)))
            {
                continue;
            }
            diagnostics.Add(ToDiagnostic(schema, node, rootPath, failure));
        }
    }

    private static bool BeneathValidNode(Dictionary<string, List<string>> validNodes, string evaluation, string instance)
    {
        for (var end = evaluation.Length; end > 0; end = evaluation.LastIndexOf('/', end - 1))
        {
            if (validNodes.TryGetValue(evaluation[..end], out var locations)
                && locations.Exists(location => instance == location || instance.StartsWith(location + "/", StringComparison.Ordinal)))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>JSON pointer segments; <c>/</c> is one empty segment (the key ""), not none.</summary>
    private static string[] Segments(string pointer) =>
        pointer.Length == 0 ? [] :
        [.. pointer[1..].Split('/').Select(s => s.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal))];

    /// <summary>What a type or const failure would have accepted, in words.</summary>
    private static List<string>? ExpectedFor(LoadedSchema schema, Failure failure)
    {
        if (failure.Keyword is not ("type" or "const"))
        {
            return null;
        }
        var at = schema.At(failure.Evaluation);
        if (failure.Keyword == "const")
        {
            return [at?["const"]?.ToJsonString() ?? "another value"];
        }
        if (IsIntrinsic(at))
        {
            return [at!["title"]!.GetValue<string>()];
        }
        return at?["type"] switch
        {
            JsonArray types => [.. types.Select(t => TypeWord(t!.GetValue<string>()))],
            JsonValue single => [TypeWord(single.GetValue<string>())],
            _ => ["another type"],
        };
    }

    /// <summary>The intrinsic-function definition is the one object schema whose title names CloudFormation functions.</summary>
    private static bool IsIntrinsic(JsonObject? schemaNode) =>
        schemaNode?["title"]?.GetValue<string>().Contains("CloudFormation function", StringComparison.Ordinal) == true
        && schemaNode["propertyNames"] is not null;

    private static string TypeWord(string type) => type switch
    {
        "string" => "a string",
        "integer" => "an integer",
        "number" => "a number",
        "boolean" => "true or false",
        "array" => "a list",
        "object" => "a map",
        "null" => "null",
        _ => type,
    };

    /// <summary>
    /// An <c>anyOf</c> fails with one error per branch, most of them noise ("should be a list"
    /// when the user clearly wrote a map). Keep the errors of the branches whose type matched;
    /// when no branch's type matched, say once which types would have been accepted.
    /// </summary>
    private static List<Failure> ReduceAnyOf(LoadedSchema schema, List<Failure> failures, int from)
    {
        var result = new List<Failure>();
        var groups = new Dictionary<string, List<(int Index, Failure Failure)>>(StringComparer.Ordinal);
        foreach (var failure in failures)
        {
            var index = Array.IndexOf(failure.Evaluation, "anyOf", from);
            if (index < 0 || index + 1 >= failure.Evaluation.Length)
            {
                result.Add(failure);
                continue;
            }
            var key = string.Join('/', failure.Evaluation[..(index + 1)]);
            if (!groups.TryGetValue(key, out var list))
            {
                groups[key] = list = [];
            }
            list.Add((index, failure));
        }

        foreach (var group in groups.Values)
        {
            var index = group[0].Index;
            var anyOfInstance = group.Select(g => g.Failure.Instance).MinBy(i => i.Length)!;
            var branches = group
                .GroupBy(g => g.Failure.Evaluation[index + 1], StringComparer.Ordinal)
                .Select(b => ReduceAnyOf(schema, [.. b.Select(g => g.Failure)], index + 2))
                .ToList();
            var first = group[0].Failure;
            var matching = branches.Where(b => !b.Exists(f => f.IsMismatchAt(anyOfInstance))).ToList();
            if (matching.Count > 1 && matching.TrueForAll(b => b.TrueForAll(f => f.Keyword == "required")))
            {
                // Several object shapes, each missing its own key ({uri} or {path}): say so once.
                var keys = matching.SelectMany(b => b.SelectMany(f => RequiredKeys(schema, f))).Distinct(StringComparer.Ordinal).ToList();
                result.Add(new Failure(first.Evaluation[..index], anyOfInstance, "required-any", "") { Expected = keys });
                continue;
            }
            if (matching.Count > 0)
            {
                result.AddRange(matching.MinBy(b => b.Count)!);
                continue;
            }
            var title = schema.At(first.Evaluation[..index])?["title"]?.GetValue<string>();
            var expected = title is not null
                ? [title]
                : branches.SelectMany(b => b.Where(f => f.IsMismatchAt(anyOfInstance)).SelectMany(f => f.Expected!))
                    .Distinct(StringComparer.Ordinal).ToList();
            result.Add(new Failure(first.Evaluation[..index], anyOfInstance, "type", "") { Expected = expected });
        }
        return result;
    }

    private static IEnumerable<string> RequiredKeys(LoadedSchema schema, Failure failure) =>
        (schema.At(failure.Evaluation)?["required"] as JsonArray)?.Select(r => r!.GetValue<string>()) ?? [];

    private static Diagnostic ToDiagnostic(LoadedSchema schema, YNode root, string rootPath, Failure failure)
    {
        var (node, key) = Find(root, failure.Instance);
        var path = DottedPath(rootPath, failure.Instance);
        var value = node is YScalar scalar ? scalar.Value : null;
        var shown = value is null ? node?.KindName ?? "the value" : $"`{value}`";
        var at = schema.At(failure.Evaluation);
        var span = node?.Span ?? root.Span;

        switch (failure.Keyword)
        {
            case "" when failure.Evaluation.LastOrDefault() == "additionalProperties":
                {
                    var name = failure.Instance[^1];
                    var parent = schema.At(failure.Evaluation[..^1]);
                    var known = (parent?["properties"] as JsonObject)?.Select(p => p.Key).ToList() ?? [];
                    var suggestion = OtherNames.TryGetValue(name, out var renamed) && known.Contains(renamed) ? renamed : DidYouMean.Closest(name, known);
                    var hint = suggestion is not null ? $"; did you mean `{suggestion}`?"
                        : known.Count > 0 ? $"; known keys are {string.Join(", ", known)}" : "";
                    return Error(SchemaDiagnostics.UnknownKey, key?.Span ?? span, $"unknown key `{name}`{hint}",
                        DottedPath(rootPath, failure.Instance[..^1]), suggestion);
                }
            case "type" or "const":
                return Error(SchemaDiagnostics.WrongType, span,
                    $"expected {JoinOr(failure.Expected ?? [])}, found {(node is YScalar s && s.Kind != ScalarKind.Null ? $"{s.KindName} {shown}" : node?.KindName ?? "nothing")}"
                    + QuotedScalarHint(node, failure.Expected), path);
            case "required-any":
                return Error(SchemaDiagnostics.Required, key?.Span ?? span,
                    $"needs one of {JoinOr([.. (failure.Expected ?? []).Select(k => $"`{k}`")])}", path);
            case "enum":
                {
                    var allowed = (at?["enum"] as JsonArray)?.Select(v => v is JsonValue jv && jv.TryGetValue<string>(out var text) ? text : v!.ToJsonString()).ToList() ?? [];
                    var suggestion = node is YScalar { Kind: ScalarKind.String } ? DidYouMean.Closest(value!, allowed) : null;
                    return Error(SchemaDiagnostics.NotAllowed, span,
                        $"{shown} is not one of {string.Join(", ", allowed)}" + (suggestion is not null ? $"; did you mean `{suggestion}`?" : ""), path, suggestion);
                }
            case "required":
                {
                    var present = node is YMapping mapping ? mapping.Entries.Select(e => e.Key.Value).ToHashSet(StringComparer.Ordinal) : [];
                    var missing = (at?["required"] as JsonArray)?.Select(r => r!.GetValue<string>()).Where(r => !present.Contains(r)).ToList() ?? [];
                    return Error(SchemaDiagnostics.Required, key?.Span ?? span,
                        $"missing required key {string.Join(", ", missing.Select(m => $"`{m}`"))}", path);
                }
            case "pattern" when failure.Evaluation.Contains("propertyNames"):
                {
                    var name = failure.Instance[^1];
                    var description = at?["description"]?.GetValue<string>();
                    return Error(SchemaDiagnostics.Pattern, key?.Span ?? span,
                        $"`{name}` is not allowed as a key here: " + (description ?? $"it must match {PatternOf(schema, failure)}"),
                        DottedPath(rootPath, failure.Instance[..^1]));
                }
            case "pattern":
                return Error(SchemaDiagnostics.Pattern, span,
                    at?["x-message"]?.GetValue<string>() is { } expected ? $"{shown} is not allowed here: {expected}"
                        : $"{shown} does not match {at?["pattern"]?.GetValue<string>()}", path);
            case "maxLength":
                return Error(SchemaDiagnostics.Range, span,
                    $"{(value is { Length: > 60 } ? $"`{value[..40]}…`" : shown)} is {value?.Length} characters long, over the {at?["maxLength"]?.ToJsonString()} allowed"
                    + (at?["x-message"]?.GetValue<string>() is { } most ? $"; {most}" : ""), path);
            case "minimum" or "maximum" or "exclusiveMinimum" or "exclusiveMaximum":
                return Error(SchemaDiagnostics.Range, span,
                    $"{shown} is {(failure.Keyword.Contains("inimum", StringComparison.Ordinal) ? "below the minimum" : "above the maximum")} {at?[failure.Keyword]?.ToJsonString()}", path);
            case "minItems" or "minLength":
                return Error(SchemaDiagnostics.Range, span,
                    $"{shown} is empty; give at least {at?[failure.Keyword]?.ToJsonString() ?? "one"} {(failure.Keyword == "minItems" ? "item" : "character")}"
                    + (at?["x-message"]?.GetValue<string>() is { } least ? $": {least}" : ""), path);
            case "minProperties" or "maxProperties" when IsIntrinsic(at):
                return Error(SchemaDiagnostics.WrongType, span,
                    "a CloudFormation intrinsic function is a map with exactly one key, such as `{Ref: MyResource}` or `!GetAtt MyRole.Arn`", path);
            default:
                return Error(SchemaDiagnostics.Other, span, $"{failure.Keyword}: {failure.Message}", path);
        }
    }

    /// <summary>A number or boolean written in quotes is a string in YAML; say how to write it.</summary>
    private static string QuotedScalarHint(YNode? node, List<string>? expected)
    {
        if (node is not YScalar { Kind: ScalarKind.String } scalar || expected is null)
        {
            return "";
        }
        var (_, kind) = YamlLoader.TypePlainScalar(scalar.Value);
        var fits = kind switch
        {
            ScalarKind.Integer => expected.Contains("an integer") || expected.Contains("a number"),
            ScalarKind.Float => expected.Contains("a number"),
            ScalarKind.Boolean => expected.Contains("true or false"),
            _ => false,
        };
        return fits ? $"; write it without quotes: `{scalar.Value}`" : "";
    }

    /// <summary>
    /// Keys other tools and the reference's unreleased versions use for what a key here does,
    /// too far in spelling for a did-you-mean to find.
    /// </summary>
    private static readonly Dictionary<string, string> OtherNames = new(StringComparer.Ordinal)
    {
        ["portMappings"] = "ports",
    };

    private static string PatternOf(LoadedSchema schema, Failure failure) =>
        schema.At(failure.Evaluation)?["pattern"]?.GetValue<string>() ?? "the allowed pattern";

    private static Diagnostic Error(DiagnosticDescriptor id, SourceSpan span, string message, string path, string? suggestion = null) =>
        new(id, Severity.Error, message, span, path) { Suggestion = suggestion };

    private static (YNode? Node, YScalar? Key) Find(YNode root, string[] instance)
    {
        YNode? current = root;
        YScalar? key = null;
        foreach (var segment in instance)
        {
            switch (current)
            {
                case YMapping mapping:
                    var entry = mapping.GetEntry(segment);
                    key = entry?.Key;
                    current = entry?.Value;
                    break;
                case YSequence sequence when int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < sequence.Items.Count:
                    // An item has no key of its own; the list's key would point at every item at once.
                    key = null;
                    current = sequence.Items[index];
                    break;
                default:
                    return (current, key);
            }
        }
        return (current, key);
    }

    internal static string DottedPath(string rootPath, IEnumerable<string> segments)
    {
        var path = rootPath;
        foreach (var segment in segments)
        {
            path = int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out _) ? $"{path}[{segment}]" : $"{path}.{segment}";
        }
        return path;
    }

    private static string JoinOr(List<string> words) => words.Count switch
    {
        0 => "another value",
        1 => words[0],
        _ => string.Join(", ", words.Take(words.Count - 1)) + " or " + words[^1],
    };

    /// <summary>The closest known name, when it is close enough to be a likely typo.</summary>
}
