using ServerlessFargate.Compilation;
using ServerlessFargate.Diagnostics;
using ServerlessFargate.Model;

namespace ServerlessFargate.Rules;

/// <summary>
/// FG3035 (a notice): services behind the load balancer with no certificate are served over plain
/// HTTP on port 80. With an ACM certificate the load balancer listens for HTTPS on 443 and port 80
/// redirects to it (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/create-https-listener.html).
/// Plain HTTP stays the default, as before; the notice says how to change it.
/// </summary>
internal sealed class PlainHttpRule() : Rule(new("FG3035", "an HTTP service without a certificate", Severity.Notice,
    "Services with `http` are served over plain HTTP on port 80 when `fargate.loadBalancer.certificateArn` is not set. With an ACM certificate the load balancer adds HTTPS on 443 and redirects port 80 to it. `validate` prints it, `package` does not.",
    Source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/create-https-listener.html") { QuietInPackage = true })
{
    public override void Check(RuleContext context, DiagnosticBag diagnostics)
    {
        var tasks = LoadBalancerCompiler.HttpTasks(context.Model);
        if (tasks.Count == 0 || context.Model.LoadBalancer.CertificateArn is not null)
        {
            return;
        }
        diagnostics.Notice(Descriptor, tasks[0].Http!.Span,
            $"{TaskList.Named([.. tasks.Select(t => t.Key)])} {(tasks.Count == 1 ? "is" : "are")} served over plain HTTP on port 80: the load balancer has no certificate. " +
            "For HTTPS on 443, with port 80 redirecting to it, set `fargate.loadBalancer.certificateArn` to an ACM certificate (arn:aws:acm:eu-west-1:123456789012:certificate/…)",
            $"fargate.tasks.{tasks[0].Key}.http");
    }
}
