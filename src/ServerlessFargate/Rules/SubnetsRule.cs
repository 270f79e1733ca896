using ServerlessFargate.Diagnostics;
using ServerlessFargate.Model;

namespace ServerlessFargate.Rules;

/// <summary>
/// FG3004: a `subnetIds` written but empty. (With no subnets anywhere a service or scheduled task
/// runs in the generated network, and a standalone task definition needs none until it is run.)
/// </summary>
internal sealed class SubnetsRule() : TaskRule(new("FG3004", "task has an empty subnet list", Severity.Error,
    "A task whose `subnetIds` is written but empty. Fargate tasks run in awsvpc mode and need at least one subnet.",
    Source: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_AwsVpcConfiguration.html"))
{
    protected override void Check(TaskModel task, RuleContext context, DiagnosticBag diagnostics)
    {
        if (task.Kind is not TaskKind.Standalone && !task.Network.Generated && task.Network.SubnetIds.IsEmpty)
        {
            diagnostics.Error(Descriptor, task.Network.SubnetsSpan ?? task.KeySpan,
                $"task `{task.Key}` has an empty subnet list; Fargate tasks run in awsvpc mode and need at least one subnet, e.g. `subnetIds: [subnet-0123456789abcdef0]`, or no `subnetIds` at all for a generated network",
                $"fargate.tasks.{task.Key}");
        }
    }
}
