using ServerlessFargate.Diagnostics;
using ServerlessFargate.Model;

namespace ServerlessFargate.Rules;

/// <summary>FG3031: container ports are 1 to 65535 (ECS PortMapping), each port and protocol once.</summary>
internal sealed class PortRule() : TaskRule(new("FG3031", "a port ECS does not take", Severity.Error,
    "A container port ECS does not take: outside 1 to 65535, or the same port and protocol twice in `ports`.",
    Source: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_PortMapping.html"))
{
    protected override void Check(TaskModel task, RuleContext context, DiagnosticBag diagnostics)
    {
        var seen = new HashSet<(int, string)>();
        foreach (var port in task.Ports)
        {
            if (port.Port.Value is < 1 or > 65535)
            {
                diagnostics.Error(Descriptor, port.Port.Span,
                    $"port {port.Port.Value} is outside 1 to 65535", $"fargate.tasks.{task.Key}.ports");
            }
            else if (!seen.Add((port.Port.Value, port.Protocol)))
            {
                diagnostics.Error(Descriptor, port.Port.Span,
                    $"port {port.Port.Value}/{port.Protocol} is listed twice; ECS takes each container port once", $"fargate.tasks.{task.Key}.ports");
            }
        }
    }
}
