using System.Text.Json.Nodes;
using ServerlessFargate.Diagnostics;

namespace ServerlessFargate.Rules;

/// <summary>
/// FG3028: in a standalone template the whole stack is known, so every <c>dependsOn</c>,
/// <c>!Ref</c> and <c>!GetAtt</c> a task's resources hold must name a resource or parameter in
/// it; otherwise CloudFormation rejects the template only when it is deployed. (Merged into the
/// framework's template, or through the plugin, the rest of the stack is not ours to check.)
/// </summary>
internal sealed class DanglingReferenceRule() : TemplateRule(new("FG3028", "a reference to nothing in the stack", Severity.Error,
    "In a standalone template, where the whole stack is known, a task's `dependsOn`, `!Ref` or `!GetAtt` names no resource or parameter of it; CloudFormation would reject the template only at deploy time.",
    Source: null))
{
    public override void Check(TemplateContext context, DiagnosticBag diagnostics)
    {
        if (!context.Standalone)
        {
            return;
        }
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var section in new[] { "Resources", "Parameters" })
        {
            known.UnionWith((context.Json[section] as JsonObject)?.Select(e => e.Key) ?? []);
        }
        var compiled = context.Compiled;
        var byKey = context.Model.Tasks.ToDictionary(t => t.Key, StringComparer.Ordinal);
        var reported = new HashSet<(string Task, string Name)>();
        foreach (var (id, resource) in compiled.Template.Resources)
        {
            if (compiled.Owners.GetValueOrDefault(id) is not { } owner || !byKey.TryGetValue(owner, out var task))
            {
                continue;
            }
            foreach (var name in resource.DependsOn ?? [])
            {
                if (!known.Contains(name) && reported.Add((owner, name)))
                {
                    diagnostics.Error(Descriptor, task.KeySpan,
                        $"task `{task.Key}` depends on `{name}`, which is no resource in this stack; add it under `resources.Resources` or correct the name",
                        $"fargate.tasks.{task.Key}.dependsOn");
                }
            }
            foreach (var name in References(resource.Properties))
            {
                if (!known.Contains(name) && !name.StartsWith("AWS::", StringComparison.Ordinal) && reported.Add((owner, name)))
                {
                    diagnostics.Error(Descriptor, task.KeySpan,
                        $"task `{task.Key}` refers to `{name}` (with Ref or GetAtt), which is no resource or parameter in this stack; add it under `resources.Resources` or correct the name",
                        $"fargate.tasks.{task.Key}");
                }
            }
        }
    }

    /// <summary>The logical IDs that <c>Ref</c> and <c>Fn::GetAtt</c> name anywhere in a value.</summary>
    private static IEnumerable<string> References(JsonNode root)
    {
        var pending = new Stack<JsonNode>([root]);
        while (pending.TryPop(out var node))
        {
            switch (node)
            {
                case JsonObject { Count: 1 } single when single["Ref"] is JsonValue reference && reference.TryGetValue<string>(out var name):
                    yield return name;
                    break;
                case JsonObject { Count: 1 } single when single["Fn::GetAtt"] is { } attribute:
                    // ["Resource", "Attribute"], or "Resource.Attribute" as the short form writes it.
                    var target = attribute is JsonArray { Count: > 0 } list ? list[0]?.GetValueKind() == System.Text.Json.JsonValueKind.String ? list[0]!.GetValue<string>() : null
                        : attribute is JsonValue text && text.TryGetValue<string>(out var dotted) ? dotted.Split('.')[0] : null;
                    if (target is not null)
                    {
                        yield return target;
                    }
                    break;
                case JsonObject map:
                    foreach (var (_, child) in map)
                    {
                        if (child is not null)
                        {
                            pending.Push(child);
                        }
                    }
                    break;
                case JsonArray array:
                    foreach (var child in array)
                    {
                        if (child is not null)
                        {
                            pending.Push(child);
                        }
                    }
                    break;
            }
        }
    }
}
