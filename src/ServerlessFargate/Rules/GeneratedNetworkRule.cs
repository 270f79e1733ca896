using ServerlessFargate.Diagnostics;
using ServerlessFargate.Model;

namespace ServerlessFargate.Rules;

/// <summary>
/// FG3030 (a notice, printed by `package` too, since it costs money): the template generates a
/// network, what it holds and what it costs. Public IPv4 addresses are billed per hour
/// (checked 2026-11: https://aws.amazon.com/vpc/pricing/); no NAT gateway is made.
/// </summary>
internal sealed class GeneratedNetworkRule() : Rule(new("FG3030", "the template generates a network", Severity.Notice,
    "No subnets are given for these tasks, so the template creates a network for them, in which each running task has a public IPv4 address that AWS bills per hour. `package` prints it too, since it costs money.",
    Source: "https://aws.amazon.com/vpc/pricing/"))
{
    public override void Check(RuleContext context, DiagnosticBag diagnostics)
    {
        if (context.Model.Network is not { } network)
        {
            return;
        }
        diagnostics.Notice(Descriptor, network.Cidr.Span,
            $"no subnets are given for {TaskList.Named(network.TaskKeys)}, so the template creates a network for {(network.TaskKeys.Count == 1 ? "it" : "them")}: a VPC ({network.Cidr.Value}) with two public subnets in the region's first two availability zones, an internet gateway, and a security group that admits nothing inbound. Each running task gets a public IPv4 address, which AWS bills per hour; there is no NAT gateway. Give `vpc.subnetIds` to use your own network instead",
            "fargate.vpc");
    }
}
