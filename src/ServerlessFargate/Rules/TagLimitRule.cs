using ServerlessFargate.Diagnostics;
using ServerlessFargate.Model;

namespace ServerlessFargate.Rules;

/// <summary>
/// FG3052: more tags on one resource than AWS takes, once provider.tags, fargate.tags and a
/// task's own are merged. Each map may be well under the limit and their union over it: 31
/// provider tags and 20 fargate tags give the cluster 51, and ECS refuses the stack.
/// </summary>
internal sealed class TagLimitRule() : Rule(new("FG3052", "more than 50 tags on a resource", Severity.Error,
    "A resource would carry more than 50 tags once provider.tags, fargate.tags and a task's own tags are merged (a key set at two levels counts once). ECS, IAM and the other services refuse a 51st tag, and the stack fails to deploy.",
    Source: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Tag.html"))
{
    // "Maximum number of tags per resource - 50", the same for every service these tags reach.
    private const int MaxTags = 50;

    public override void Check(RuleContext context, DiagnosticBag diagnostics)
    {
        var cluster = context.Model.Cluster;
        if (cluster.Tags.Count > MaxTags && cluster.TagSections.Count > 0)
        {
            var at = cluster.TagSections[^1];
            var inheriting = context.Tasks.Where(t => !OwnTags(t)).Select(t => t.Key).ToList();
            var tasks = inheriting.Count > 0 ? $" (and the task definitions of {TaskList.Named(inheriting)})" : "";
            diagnostics.Error(Descriptor, at.Key,
                $"the cluster, its log group and the other shared resources{tasks} would carry {cluster.Tags.Count} tags ({Origins(cluster.TagSections)}); AWS takes at most {MaxTags} on a resource, so drop {cluster.Tags.Count - MaxTags}",
                at.Path);
        }
        foreach (var task in context.Tasks)
        {
            // A task without tags of its own carries the cluster's, reported above.
            if (task.Tags.Count <= MaxTags || !OwnTags(task))
            {
                continue;
            }
            var at = task.TagSections[^1];
            diagnostics.Error(Descriptor, at.Key,
                $"task `{task.Key}` would carry {task.Tags.Count} tags on its task definition and the resources it owns ({Origins(task.TagSections)}); AWS takes at most {MaxTags} on a resource, so drop {task.Tags.Count - MaxTags}",
                at.Path);
        }
    }

    private static bool OwnTags(TaskModel task) =>
        task.TagSections.Count > 0 && task.TagSections[^1].Path.StartsWith("fargate.tasks.", StringComparison.Ordinal);

    /// <summary>"31 from provider.tags, 20 from fargate.tags".</summary>
    private static string Origins(IReadOnlyList<TagSection> sections) =>
        string.Join(", ", sections.Where(s => s.Count > 0).Select(s => $"{s.Count} from {s.Path}"));
}
