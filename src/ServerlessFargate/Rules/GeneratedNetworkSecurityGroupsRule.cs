using ServerlessFargate.Diagnostics;
using ServerlessFargate.Model;

namespace ServerlessFargate.Rules;

/// <summary>
/// FG3029: security groups given without subnets. The task would run in the generated network,
/// and a security group belongs to the VPC it was made in, so ECS would refuse it.
/// </summary>
internal sealed class GeneratedNetworkSecurityGroupsRule() : TaskRule(new("FG3029", "security groups without subnets", Severity.Error,
    "Security groups given without subnets: the task would run in the network sls-fargate generates, and security groups must belong to the VPC of the task's subnets.",
    Source: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_AwsVpcConfiguration.html"))
{
    protected override void Check(TaskModel task, RuleContext context, DiagnosticBag diagnostics)
    {
        if (task.Network.Generated && !task.Network.SecurityGroupIds.IsEmpty)
        {
            diagnostics.Error(Descriptor, task.Network.SubnetsSpan ?? task.KeySpan,
                $"task `{task.Key}` names security groups but no subnets; without subnets it runs in the network sls-fargate generates, where security groups of another VPC cannot be used. Give `subnetIds` of the groups' VPC, or remove `securityGroupIds`",
                $"fargate.tasks.{task.Key}.vpc");
        }
    }
}
