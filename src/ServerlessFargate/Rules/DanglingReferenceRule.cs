using System.Text.Json;
using System.Text.Json.Nodes;
using ServerlessFargate.Diagnostics;
using ServerlessFargate.Model;

namespace ServerlessFargate.Rules;

/// <summary>
/// FG3028: in a standalone template the whole stack is known, so every <c>dependsOn</c>,
/// <c>!Ref</c>, <c>!GetAtt</c>, <c>${Name}</c> in <c>!Sub</c> and condition of <c>!If</c> that our
/// resources hold must name something of it; otherwise CloudFormation rejects the template only
/// when it is deployed. (Merged into the framework's template, or through the plugin, the rest of
/// the stack is not ours to check.)
/// </summary>
internal sealed class DanglingReferenceRule() : TemplateRule(new("FG3028", "a reference to nothing in the stack", Severity.Error,
    "In a standalone template, where the whole stack is known, a task's `dependsOn`, `!Ref`, `!GetAtt`, `${Name}` in `!Sub` or `!If` condition names no resource, parameter or condition of it (or `dependsOn` or `!GetAtt` names a parameter, which only `!Ref` can read); CloudFormation would reject the template only at deploy time.",
    Source: "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-sub.html"))
{
    /// <summary>How a value names another part of the stack.</summary>
    internal enum Kind
    {
        Ref,
        GetAtt,

        /// <summary><c>${Name}</c> in a Sub string: a Ref.</summary>
        SubRef,

        /// <summary><c>${Name.Attribute}</c> in a Sub string: a GetAtt.</summary>
        SubGetAtt,

        /// <summary>The condition of an <c>Fn::If</c>.</summary>
        Condition,
    }

    public override void Check(TemplateContext context, DiagnosticBag diagnostics)
    {
        if (!context.Standalone)
        {
            return;
        }
        var resources = Keys(context.Json["Resources"]);
        var parameters = Keys(context.Json["Parameters"]);
        var conditions = Keys(context.Json["Conditions"]);
        var compiled = context.Compiled;
        var byKey = context.Model.Tasks.ToDictionary(t => t.Key, StringComparer.Ordinal);
        var reported = new HashSet<(string Owner, string Name)>();
        foreach (var (id, resource) in compiled.Template.Resources)
        {
            var task = compiled.Owners.GetValueOrDefault(id) is { } owner ? byKey.GetValueOrDefault(owner) : null;
            var where = Where(context.Model, task, id);
            foreach (var name in resource.DependsOn ?? [])
            {
                if (resources.Contains(name) || !reported.Add((where.Owner, name)))
                {
                    continue;
                }
                var dependsOn = task is null ? "fargate" : $"fargate.tasks.{task.Key}.dependsOn";
                var span = task?.KeySpan ?? context.Model.FargateKeySpan;
                diagnostics.Error(Descriptor, span, parameters.Contains(name)
                    ? $"{where.Subject} depends on `{name}`, which is a parameter; `dependsOn` names resources only (a parameter is there before any resource), so remove it"
                    : $"{where.Subject} depends on `{name}`, which is no resource in this stack; add it under `resources.Resources` or correct the name",
                    dependsOn);
            }
            foreach (var (kind, name) in References(resource.Properties))
            {
                if (Problem(kind, name, resources, parameters, conditions) is not { } problem || !reported.Add((where.Owner, name)))
                {
                    continue;
                }
                var (span, path) = Located(context.Model, name, where);
                diagnostics.Error(Descriptor, span, $"{where.Subject} {problem}", path);
            }
        }
    }

    private static HashSet<string> Keys(JsonNode? section) =>
        new((section as JsonObject)?.Select(e => e.Key) ?? [], StringComparer.Ordinal);

    /// <summary>What is wrong with one reference, worded to follow "task `worker`"; null when nothing is.</summary>
    private static string? Problem(Kind kind, string name, HashSet<string> resources, HashSet<string> parameters, HashSet<string> conditions)
    {
        const string Fix = "add it under `resources.Resources` or correct the name";
        switch (kind)
        {
            case Kind.Condition:
                return conditions.Contains(name) ? null
                    : $"uses the condition `{name}` (in !If), which is no condition in this stack; add it under `resources.Conditions` or correct the name";
            case Kind.GetAtt or Kind.SubGetAtt:
                if (resources.Contains(name))
                {
                    return null;
                }
                var written = kind == Kind.GetAtt ? "with GetAtt" : $"as `${{{name}.…}}` in !Sub";
                // Parameters have a value but no attributes: Fn::GetAtt takes a resource only.
                return parameters.Contains(name)
                    ? $"reads an attribute of `{name}` ({written}), which is a parameter, and only resources have attributes; write `!Ref {name}` for its value"
                    : $"refers to `{name}` ({written}), which is no resource in this stack; {Fix}";
            default:
                if (resources.Contains(name) || parameters.Contains(name) || name.StartsWith("AWS::", StringComparison.Ordinal))
                {
                    return null;
                }
                return kind == Kind.Ref
                    ? $"refers to `{name}` (with Ref or GetAtt), which is no resource or parameter in this stack; {Fix}"
                    : $"refers to `{name}` (as `${{{name}}}` in !Sub), which is no resource or parameter in this stack; {Fix} (`${{!{name}}}` writes the text `${{{name}}}`)";
        }
    }

    /// <summary>Who a resource's references are reported as: its task, or the shared resource itself.</summary>
    private sealed record Place(string Owner, string Subject, TaskModel? Task);

    private static Place Where(ServiceModel model, TaskModel? task, string id) => task is not null
        ? new(task.Key, $"task `{task.Key}`", task)
        : new(id, model.Tasks.Count == 1 ? $"{id} (used by task `{model.Tasks[0].Key}`)" : $"{id}, which tasks share,", null);

    /// <summary>
    /// Where to point: the IAM statement or managed policy written with the reference, when one
    /// was (roles shared by tasks belong to no task); else the task's key, or the fargate key.
    /// </summary>
    private static (Diagnostics.SourceSpan Span, string Path) Located(ServiceModel model, string name, Place where)
    {
        IEnumerable<IamEntry> entries = where.Task is { } task
            ? [.. task.Iam.Statements, .. task.Iam.ManagedPolicies]
            : [.. model.Iam.Statements, .. model.Iam.ManagedPolicies, .. model.Tasks.SelectMany(t => t.Iam.Statements.Concat(t.Iam.ManagedPolicies))];
        if (entries.FirstOrDefault(e => References(e.Value).Any(r => r.Name == name)) is { } entry && (where.Task is null || entry.Source == IamSource.Task))
        {
            return (entry.Span, entry.Path);
        }
        return where.Task is { } owner ? (owner.KeySpan, $"fargate.tasks.{owner.Key}") : (model.FargateKeySpan, "fargate");
    }

    /// <summary>What <c>Ref</c>, <c>Fn::GetAtt</c>, <c>Fn::Sub</c> and <c>Fn::If</c> name anywhere in a value.</summary>
    internal static IEnumerable<(Kind Kind, string Name)> References(JsonNode root)
    {
        var pending = new Stack<JsonNode>([root]);
        while (pending.TryPop(out var node))
        {
            switch (node)
            {
                case JsonObject { Count: 1 } single when single["Ref"] is JsonValue reference && reference.TryGetValue<string>(out var name):
                    yield return (Kind.Ref, name);
                    break;
                case JsonObject { Count: 1 } single when single["Fn::GetAtt"] is { } attribute:
                    // ["Resource", "Attribute"], or "Resource.Attribute" as the short form writes it.
                    var target = attribute is JsonArray { Count: > 0 } list ? list[0]?.GetValueKind() == JsonValueKind.String ? list[0]!.GetValue<string>() : null
                        : attribute is JsonValue text && text.TryGetValue<string>(out var dotted) ? dotted.Split('.')[0] : null;
                    if (target is not null)
                    {
                        yield return (Kind.GetAtt, target);
                    }
                    Push(pending, attribute);
                    break;
                case JsonObject { Count: 1 } single when single["Fn::Sub"] is { } sub:
                    // "text", or ["text", {Variable: value}]: the variables are names of their own.
                    var (format, variables) = sub switch
                    {
                        JsonValue value when value.TryGetValue<string>(out var only) => (only, null),
                        JsonArray { Count: > 0 } pair when pair[0] is JsonValue first && first.TryGetValue<string>(out var written) => (written, pair.Count > 1 ? pair[1] as JsonObject : null),
                        _ => ((string?)null, (JsonObject?)null),
                    };
                    foreach (var (kind, named) in SubNames(format))
                    {
                        if (variables?.ContainsKey(named) != true)
                        {
                            yield return (kind, named);
                        }
                    }
                    Push(pending, variables);
                    break;
                case JsonObject { Count: 1 } single when single["Fn::If"] is JsonArray { Count: > 0 } branches:
                    if (branches[0] is JsonValue condition && condition.TryGetValue<string>(out var conditionName))
                    {
                        yield return (Kind.Condition, conditionName);
                    }
                    foreach (var branch in branches.Skip(1))
                    {
                        Push(pending, branch);
                    }
                    break;
                case JsonObject map:
                    foreach (var (_, child) in map)
                    {
                        Push(pending, child);
                    }
                    break;
                case JsonArray array:
                    foreach (var child in array)
                    {
                        Push(pending, child);
                    }
                    break;
            }
        }
    }

    private static void Push(Stack<JsonNode> pending, JsonNode? node)
    {
        if (node is not null)
        {
            pending.Push(node);
        }
    }

    /// <summary>
    /// The names a Sub string reads: <c>${Queue}</c> a Ref, <c>${Queue.Arn}</c> a GetAtt of
    /// Queue; <c>${!Queue}</c> is the text <c>${Queue}</c> and <c>${AWS::Region}</c> a pseudo parameter.
    /// </summary>
    private static IEnumerable<(Kind Kind, string Name)> SubNames(string? format)
    {
        var at = 0;
        while (format is not null && (at = format.IndexOf("${", at, StringComparison.Ordinal)) >= 0)
        {
            var end = format.IndexOf('}', at + 2);
            if (end < 0)
            {
                yield break;
            }
            var inside = format[(at + 2)..end].Trim();
            at = end + 1;
            if (inside.Length == 0 || inside[0] == '!' || inside.StartsWith("AWS::", StringComparison.Ordinal))
            {
                continue;
            }
            var dot = inside.IndexOf('.');
            yield return dot < 0 ? (Kind.SubRef, inside) : (Kind.SubGetAtt, inside[..dot]);
        }
    }
}
