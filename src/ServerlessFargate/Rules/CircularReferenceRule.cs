using System.Text.Json.Nodes;
using ServerlessFargate.Diagnostics;

namespace ServerlessFargate.Rules;

/// <summary>
/// FG3058: a task's settings that name its own generated resources (<c>environment: {SERVICE:
/// !GetAtt WorkerService.Name}</c> in the task definition, which the service itself refers to)
/// make the resources wait on each other; CloudFormation refuses the template (cfn-lint E3004).
/// Read on the written template, so a circle through the user's resources counts too.
/// </summary>
internal sealed class CircularReferenceRule() : TemplateRule(new("FG3058", "resources that depend on each other in a circle", Severity.Error,
    "A task's settings (`environment`, `dependsOn`, `iamRoleStatements`, …) name a resource that itself depends, directly or through others, on the resource those settings are written into; CloudFormation creates each resource after those it names, so it refuses a circle.",
    Source: "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-dependson.html"))
{
    public override void Check(TemplateContext context, DiagnosticBag diagnostics)
    {
        if (context.Json["Resources"] is not JsonObject resources)
        {
            return;
        }
        var edges = Edges(resources);
        var owners = context.Compiled.Owners;
        var byKey = context.Model.Tasks.ToDictionary(t => t.Key, StringComparer.Ordinal);
        var reported = new HashSet<string>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        // Our resources in the order they were compiled, so the report is the same run to run.
        foreach (var start in context.Compiled.Template.Resources.Keys)
        {
            if (seen.Contains(start) || Circle(start, edges) is not { } circle)
            {
                continue;
            }
            seen.UnionWith(circle.Select(step => step.From));
            var task = circle.Select(step => owners.GetValueOrDefault(step.From)).FirstOrDefault(o => o is not null && byKey.ContainsKey(o));
            if (!reported.Add(task ?? ""))
            {
                continue;
            }
            // "WorkerTask names WorkerService (GetAtt), which names WorkerTask (Ref)"
            var path = $"{circle[0].From} names {circle[0].To} ({circle[0].How})" + string.Concat(circle.Skip(1).Select(step => $", which names {step.To} ({step.How})"));
            var subject = task is null ? "the stack's resources" : $"task `{task}`'s resources";
            diagnostics.Error(Descriptor, task is null ? context.Model.FargateKeySpan : byKey[task].KeySpan,
                $"{subject} depend on each other in a circle: {path}; CloudFormation creates a resource only after those it names, so it refuses the template. " +
                "A task's settings cannot name its own generated resources; a container finds its own task and cluster through the ECS task metadata endpoint (ECS_CONTAINER_METADATA_URI_V4)",
                task is null ? "fargate" : $"fargate.tasks.{task}");
        }
    }

    /// <summary>One dependency: <paramref name="From"/> names <paramref name="To"/> with <paramref name="How"/> (Ref, GetAtt, Sub or DependsOn).</summary>
    private sealed record Step(string From, string How, string To);

    /// <summary>For each resource, the resources of the stack it names and how.</summary>
    private static Dictionary<string, List<Step>> Edges(JsonObject resources)
    {
        var edges = new Dictionary<string, List<Step>>(StringComparer.Ordinal);
        foreach (var (id, value) in resources)
        {
            var steps = new List<Step>();
            // A resource that is no mapping is the user's mistake, which CloudFormation reports; it names nothing.
            var node = value as JsonObject;
            var dependsOn = node?["DependsOn"];
            foreach (var name in dependsOn is JsonArray list ? list.Select(n => n?.ToString()) : dependsOn is JsonValue one ? [one.ToString()] : [])
            {
                if (name is not null && resources.ContainsKey(name))
                {
                    steps.Add(new(id, "DependsOn", name));
                }
            }
            if (node?["Properties"] is { } properties)
            {
                foreach (var (kind, name) in DanglingReferenceRule.References(properties))
                {
                    if (kind != DanglingReferenceRule.Kind.Condition && resources.ContainsKey(name))
                    {
                        steps.Add(new(id, kind is DanglingReferenceRule.Kind.Ref ? "Ref" : kind is DanglingReferenceRule.Kind.GetAtt ? "GetAtt" : "Sub", name));
                    }
                }
            }
            edges[id] = steps;
        }
        return edges;
    }

    /// <summary>The shortest circle from <paramref name="start"/> back to itself, as its steps; null when there is none.</summary>
    private static List<Step>? Circle(string start, Dictionary<string, List<Step>> edges)
    {
        var cameBy = new Dictionary<string, Step>(StringComparer.Ordinal);
        var queue = new Queue<string>([start]);
        while (queue.TryDequeue(out var at))
        {
            foreach (var step in edges.GetValueOrDefault(at) ?? [])
            {
                if (step.To == start)
                {
                    var circle = new List<Step> { step };
                    for (var back = step.From; back != start; back = cameBy[back].From)
                    {
                        circle.Insert(0, cameBy[back]);
                    }
                    return circle;
                }
                if (cameBy.TryAdd(step.To, step))
                {
                    queue.Enqueue(step.To);
                }
            }
        }
        return null;
    }
}
