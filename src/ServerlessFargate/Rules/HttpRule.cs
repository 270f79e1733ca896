using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ServerlessFargate.Compilation;
using ServerlessFargate.Diagnostics;
using ServerlessFargate.Model;

namespace ServerlessFargate.Rules;

/// <summary>
/// FG3032: `http` settings the load balancer cannot serve. Path patterns and host names take the
/// characters and lengths ELB documents, a listener holds at most 100 rules, a certificate comes
/// from ACM, and the load balancer needs public subnets and its VPC:
/// https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html,
/// https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html
/// </summary>
internal sealed partial class HttpRule() : Rule(new("FG3032", "HTTP settings the load balancer cannot serve", Severity.Error,
    "`http` settings the load balancer cannot serve: `http` on a task that is not a service, a path or host ELB does not match, a health check timeout not shorter than its interval, two tasks on one route, more than 100 http tasks, a certificate not from ACM, subnets that leave the load balancer without its VPC, or fewer than two public subnets.",
    Source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html"))
{
    private const int MaxRules = 100;

    // A target group's health check needs a timeout shorter than its interval; for HTTP they
    // default to 6 and 30 seconds, so `interval: 5` alone is refused too. CreateTargetGroup:
    // https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html
    private const int DefaultTimeout = 6;
    private const int DefaultInterval = 30;

    [GeneratedRegex(@"^/[A-Za-z0-9_\-.$/~""'@:+&*?]{0,127}$")]
    private static partial Regex PathPattern();

    [GeneratedRegex(@"^[A-Za-z0-9\-.*?]{1,128}$")]
    private static partial Regex HostName();

    [GeneratedRegex(@"^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/.+$")]
    private static partial Regex CertificateArn();

    public override void Check(RuleContext context, DiagnosticBag diagnostics)
    {
        foreach (var task in context.Tasks.Where(t => t.Http is not null && t.Kind is not TaskKind.Service))
        {
            diagnostics.Error(Descriptor, task.Http!.Span,
                $"task `{task.Key}` is not a service, and only a service has tasks running for the load balancer to send requests to; remove `http` or `schedule`/`service: false`",
                $"fargate.tasks.{task.Key}.http");
        }
        var tasks = LoadBalancerCompiler.HttpTasks(context.Model);
        var routes = new Dictionary<(string, string?), TaskModel>();
        foreach (var task in tasks)
        {
            var http = task.Http!;
            var path = $"fargate.tasks.{task.Key}.http";
            if (http.Path is { } pattern && !PathPattern().IsMatch(pattern.Value))
            {
                diagnostics.Error(Descriptor, pattern.Span,
                    $"path `{pattern.Value}` is not a path pattern ELB takes: it starts with `/`, has at most 128 characters, and uses letters, digits, `*`, `?` and `_-.$/~\"'@:+&`",
                    path + ".path");
            }
            if (http.Host is { } host && !HostName().IsMatch(host.Value))
            {
                diagnostics.Error(Descriptor, host.Span,
                    $"host `{host.Value}` is not a host name ELB matches: at most 128 letters, digits, `-`, `.`, `*` and `?` (no scheme, port or path)",
                    path + ".host");
            }
            if (http.HealthCheckTimingSpan is { } timing && (http.HealthCheckTimeout ?? DefaultTimeout) >= (http.HealthCheckInterval ?? DefaultInterval))
            {
                var timeout = http.HealthCheckTimeout is { } given ? $"timeout {given}" : $"the default timeout {DefaultTimeout}";
                var interval = http.HealthCheckInterval is { } every ? $"interval {every}" : $"the default interval {DefaultInterval}";
                diagnostics.Error(Descriptor, timing,
                    $"health check {timeout} is not shorter than {interval}; ELB waits for one check's answer before the next, so the timeout must be shorter, e.g. `timeout: {Math.Max(2, (http.HealthCheckInterval ?? DefaultInterval) / 2)}`",
                    path + ".healthCheck." + (http.HealthCheckTimeout is null ? "interval" : "timeout"));
            }
            if (routes.TryGetValue((LoadBalancerCompiler.Path(http), http.Host?.Value), out var first))
            {
                diagnostics.Error(Descriptor, http.Span,
                    $"tasks `{first.Key}` and `{task.Key}` both serve path `{LoadBalancerCompiler.Path(http)}`{(http.Host is null ? "" : $" on `{http.Host.Value}`")}; the second would never get a request. Give one another `path` or `host`",
                    path);
            }
            else
            {
                routes[(LoadBalancerCompiler.Path(http), http.Host?.Value)] = task;
            }
        }
        if (tasks.Count > MaxRules)
        {
            diagnostics.Error(Descriptor, tasks[MaxRules].Http!.Span,
                $"{tasks.Count} tasks serve HTTP, and a listener holds at most {MaxRules} rules; move some to another service (each has its own load balancer)",
                $"fargate.tasks.{tasks[MaxRules].Key}.http");
        }
        if (tasks.Count == 0)
        {
            return;
        }
        var settings = context.Model.LoadBalancer;
        if (settings.CertificateArn is { Value: JsonValue literal } certificate && literal.TryGetValue<string>(out var arn) && !CertificateArn().IsMatch(arn))
        {
            diagnostics.Error(Descriptor, certificate.Span,
                $"`{arn}` is not an ACM certificate ARN (arn:aws:acm:REGION:ACCOUNT:certificate/ID); the HTTPS listener takes certificates from ACM",
                "fargate.loadBalancer.certificateArn");
        }
        var own = tasks.Where(t => !t.Network.Generated).ToList();
        if (own.Count > 0 && own.Count < tasks.Count)
        {
            diagnostics.Error(Descriptor, own[0].Http!.Span,
                $"http tasks `{own[0].Key}` (with subnets) and `{tasks.First(t => t.Network.Generated).Key}` (without, so in the generated network) would share one load balancer across two VPCs; give them all subnets, or none",
                $"fargate.tasks.{own[0].Key}.http");
        }
        else if (own.Count > 0 && (settings.PublicSubnetIds.IsEmpty || settings.VpcId is null))
        {
            diagnostics.Error(Descriptor, own[0].Http!.Span,
                $"task `{own[0].Key}` serves HTTP in your own subnets, so the load balancer needs your VPC too: set `fargate.vpc.publicSubnetIds` (subnets routed to an internet gateway, in two or more zones) and `fargate.vpc.id`",
                $"fargate.tasks.{own[0].Key}.http");
        }
        else if (own.Count > 0 && settings.PublicSubnetIds.KnownCount == 1)
        {
            // https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#availability-zones
            diagnostics.Error(Descriptor, settings.PublicSubnetIds.Span ?? own[0].Http!.Span,
                "the load balancer needs public subnets in at least two Availability Zones, and `publicSubnetIds` lists one; add a public subnet of another zone",
                "fargate.vpc.publicSubnetIds");
        }
    }
}
