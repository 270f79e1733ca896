using ServerlessFargate.Diagnostics;

namespace ServerlessFargate.Rules;

/// <summary>FG3004: Fargate tasks use awsvpc networking, so each needs at least one subnet.</summary>
internal sealed class SubnetsRule() : Rule(new("FG3004", "task has no subnets"))
{
    public override void Check(RuleContext context, DiagnosticBag diagnostics)
    {
        foreach (var task in context.Tasks.Where(t => t.Network.SubnetIds.Count == 0))
        {
            diagnostics.Error(Descriptor, task.KeySpan,
                $"task `{task.Key}` has no subnets; Fargate tasks run in awsvpc mode and need at least one. Set vpc.subnetIds on the task, on fargate, or on provider, e.g. `subnetIds: [subnet-0123456789abcdef0]`",
                $"fargate.tasks.{task.Key}");
        }
    }
}
