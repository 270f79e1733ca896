using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ServerlessFargate.Diagnostics;
using ServerlessFargate.Variables;

namespace ServerlessFargate.CloudFormation;

/// <summary>
/// The template <c>package --merge-into</c> adds to (the framework's
/// <c>cloudformation-template-update-stack.json</c>): read strictly as JSON, with the logical IDs
/// it already holds, each located at its line so a collision message can point at it.
/// </summary>
public static partial class MergeTemplate
{
    public static readonly DiagnosticDescriptor NotJson = new("FG0009", "the template to merge into is not valid JSON", Severity.Error,
        "The template given to `package --merge-into` is not valid JSON. The framework writes strict JSON; a hand-edited copy may hold a trailing comma or a comment.",
        Source: null);

    public static readonly DiagnosticDescriptor NotATemplate = new("FG0010", "the template to merge into is not a CloudFormation template", Severity.Error,
        "The template given to `package --merge-into` is JSON but not a CloudFormation template: it has no `Resources` map.",
        Source: null);

    public static IReadOnlyList<DiagnosticDescriptor> Descriptors => [NotJson, NotATemplate];

    /// <summary>The parsed template, or null (with a diagnostic) when it cannot be merged into.</summary>
    public static JsonObject? Load(SourceFile file, DiagnosticBag diagnostics, List<TakenId> taken)
    {
        JsonNode? parsed;
        try
        {
            // Parsed once: checked as a document, then used as nodes built from it.
            using var document = JsonDocument.Parse(file.Text);
            if (JsonSyntax.FindProblem(document.RootElement) is { } problem)
            {
                diagnostics.Error(NotJson, file.Start, $"the template to merge into cannot be used: {problem}");
                return null;
            }
            parsed = document.RootElement.ValueKind == JsonValueKind.Object ? JsonObject.Create(document.RootElement.Clone()) : null;
        }
        catch (JsonException ex)
        {
            var (span, message) = JsonSyntax.Describe(file, ex);
            diagnostics.Error(NotJson, span, $"the template to merge into is not valid JSON: {message}");
            return null;
        }
        if (parsed is not JsonObject root || root["Resources"] is not JsonObject)
        {
            diagnostics.Error(NotATemplate, file.Start,
                "the template to merge into is not a CloudFormation template: it has no `Resources` map");
            return null;
        }

        // One pass finds where every key is written (a 5 MB template holds tens of thousands).
        var keys = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (Match key in PropertyName().Matches(file.Text))
        {
            keys.TryAdd(key.Groups["name"].Value, key.Index);
        }
        foreach (var section in new[] { "Parameters", "Resources", "Outputs" })
        {
            if (root[section] is not JsonObject map)
            {
                continue;
            }
            foreach (var (id, _) in map)
            {
                var at = keys.TryGetValue(id, out var offset) ? file.SpanAtOffset(offset) : file.Start;
                taken.Add(new TakenId(id, at, $"the template {file.DisplayPath} ({section})"));
            }
        }
        return root;
    }

    /// <summary>A JSON string followed by a colon: an object's key (logical IDs have no escapes).</summary>
    [GeneratedRegex(@"""(?<name>[^""\\]*)""\s*:")]
    private static partial Regex PropertyName();
}
