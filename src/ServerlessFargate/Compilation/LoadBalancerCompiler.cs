using System.Text.Json.Nodes;
using ServerlessFargate.CloudFormation;
using ServerlessFargate.Model;

namespace ServerlessFargate.Compilation;

/// <summary>
/// One Application Load Balancer for every `http` task: a listener on 80 (on 443 too with a
/// certificate, 80 then redirecting), a listener rule and an ip target group per task, and a
/// security group that lets the load balancer, and only it, reach the tasks' ports.
/// </summary>
internal static class LoadBalancerCompiler
{
    /// <summary>The tasks that serve HTTP, in the order their listener rules are evaluated.</summary>
    public static List<TaskModel> HttpTasks(ServiceModel model) =>
        [.. model.Tasks.Where(t => t.Http is not null && t.Kind is TaskKind.Service)
            // Most specific first: a host before none, a longer path before a shorter one
            // (/api/* before /*), then by key, so priorities do not depend on file order.
            .OrderBy(t => t.Http!.Host is null ? 1 : 0)
            .ThenByDescending(t => Path(t.Http!).Length)
            .ThenBy(t => t.Key, StringComparer.Ordinal)];

    public static string Path(HttpSettings http) => http.Path?.Value ?? "/*";

    public static void Add(CompiledTemplate template, ServiceModel model, List<TaskModel> tasks)
    {
        var settings = model.LoadBalancer;
        var generated = tasks.Exists(t => t.Network.Generated);
        JsonNode VpcId() => generated ? Fn.Ref(LogicalIds.Vpc) : settings.VpcId?.DeepClone() ?? JsonValue.Create("");
        var https = settings.CertificateArn is not null;

        var ingress = new JsonArray(Ingress(80, "HTTP"));
        if (https)
        {
            ingress.Add((JsonNode)Ingress(443, "HTTPS"));
        }
        template.Add(LogicalIds.LoadBalancerSecurityGroup, Properties.Tagged("AWS::EC2::SecurityGroup", model.Cluster.Tags, new JsonObject
        {
            ["GroupDescription"] = "Load balancer of the Fargate http tasks",
            ["VpcId"] = VpcId(),
            ["SecurityGroupIngress"] = ingress,
        }));
        template.Add(LogicalIds.HttpTasksSecurityGroup, Properties.Tagged("AWS::EC2::SecurityGroup", model.Cluster.Tags, new JsonObject
        {
            ["GroupDescription"] = "Fargate http tasks: their ports from the load balancer only",
            ["VpcId"] = VpcId(),
            ["SecurityGroupIngress"] = new JsonArray([.. tasks.Select(t => t.Http!.Port.Value).Distinct().Order().Select(port => (JsonNode)new JsonObject
            {
                ["IpProtocol"] = "tcp",
                ["FromPort"] = port,
                ["ToPort"] = port,
                ["SourceSecurityGroupId"] = Fn.GetAtt(LogicalIds.LoadBalancerSecurityGroup, "GroupId"),
                ["Description"] = "from the load balancer",
            })]),
        }));

        var balancer = new JsonObject
        {
            ["Type"] = "application",
            ["Scheme"] = settings.Public ? "internet-facing" : "internal",
            ["Subnets"] = generated
                ? new JsonArray(Fn.Ref(LogicalIds.PublicSubnet(1)), Fn.Ref(LogicalIds.PublicSubnet(2)))
                : settings.PublicSubnetIds.ToJson(),
            ["SecurityGroups"] = new JsonArray(Fn.GetAtt(LogicalIds.LoadBalancerSecurityGroup, "GroupId")),
        };
        if (settings.IdleTimeout is { } idle)
        {
            balancer["LoadBalancerAttributes"] = new JsonArray(Attribute("idle_timeout.timeout_seconds", idle));
        }
        Properties.AddTags(balancer, model.Cluster.Tags);
        // An internet-facing load balancer in the generated subnets needs the gateway attached first.
        template.Add(LogicalIds.LoadBalancer, new Resource("AWS::ElasticLoadBalancingV2::LoadBalancer", balancer,
            generated ? [LogicalIds.GatewayAttachment] : null));

        template.Add(LogicalIds.HttpListener, new Resource("AWS::ElasticLoadBalancingV2::Listener", new JsonObject
        {
            ["LoadBalancerArn"] = Fn.Ref(LogicalIds.LoadBalancer),
            ["Port"] = 80,
            ["Protocol"] = "HTTP",
            ["DefaultActions"] = new JsonArray(https ? Redirect() : NotFound()),
        }));
        if (settings.CertificateArn is { } certificate)
        {
            var listener = new JsonObject
            {
                ["LoadBalancerArn"] = Fn.Ref(LogicalIds.LoadBalancer),
                ["Port"] = 443,
                ["Protocol"] = "HTTPS",
                ["Certificates"] = new JsonArray(new JsonObject { ["CertificateArn"] = certificate.Value.DeepClone() }),
                ["DefaultActions"] = new JsonArray(NotFound()),
            };
            if (settings.SslPolicy is { } policy)
            {
                listener["SslPolicy"] = policy;
            }
            template.Add(LogicalIds.HttpsListener, new Resource("AWS::ElasticLoadBalancingV2::Listener", listener));
        }
        template.Add(LogicalIds.LoadBalancerDnsNameOutput, new Output(Fn.GetAtt(LogicalIds.LoadBalancer, "DNSName")));

        for (var index = 0; index < tasks.Count; index++)
        {
            template.CurrentTask = tasks[index].Key;
            AddTask(template, tasks[index], priority: index + 1, VpcId(), https);
        }
        template.CurrentTask = null;
    }

    private static void AddTask(CompiledTemplate template, TaskModel task, int priority, JsonNode vpcId, bool https)
    {
        var http = task.Http!;
        var group = new JsonObject
        {
            ["TargetType"] = "ip",
            ["Protocol"] = "HTTP",
            ["Port"] = http.Port.Value,
            ["VpcId"] = vpcId,
            ["HealthCheckPath"] = http.HealthCheckPath ?? "/",
        };
        Properties.AddIfSet(group, "HealthCheckIntervalSeconds", http.HealthCheckInterval);
        Properties.AddIfSet(group, "HealthCheckTimeoutSeconds", http.HealthCheckTimeout);
        Properties.AddIfSet(group, "HealthyThresholdCount", http.HealthyThreshold);
        Properties.AddIfSet(group, "UnhealthyThresholdCount", http.UnhealthyThreshold);
        // ELB waits 300 s by default before a stopping task's target is gone; 30 s suits most apps.
        group["TargetGroupAttributes"] = new JsonArray(Attribute("deregistration_delay.timeout_seconds", http.DeregistrationDelay ?? 30));
        template.Add(LogicalIds.TargetGroup(task.Id), new Resource("AWS::ElasticLoadBalancingV2::TargetGroup", group));

        var conditions = new JsonArray(new JsonObject
        {
            ["Field"] = "path-pattern",
            ["PathPatternConfig"] = new JsonObject { ["Values"] = new JsonArray(Path(http)) },
        });
        if (http.Host is { } host)
        {
            conditions.Add((JsonNode)new JsonObject
            {
                ["Field"] = "host-header",
                ["HostHeaderConfig"] = new JsonObject { ["Values"] = new JsonArray(host.Value) },
            });
        }
        template.Add(LogicalIds.ListenerRule(task.Id), new Resource("AWS::ElasticLoadBalancingV2::ListenerRule", new JsonObject
        {
            ["ListenerArn"] = Fn.Ref(https ? LogicalIds.HttpsListener : LogicalIds.HttpListener),
            ["Priority"] = priority,
            ["Conditions"] = conditions,
            ["Actions"] = new JsonArray(new JsonObject { ["Type"] = "forward", ["TargetGroupArn"] = Fn.Ref(LogicalIds.TargetGroup(task.Id)) }),
        }));

        // /api/* is reached at /api/; a host rule at that host, else at the load balancer's name.
        var prefix = Path(http).TrimEnd('*');
        var url = http.Host is { } named && !named.Value.Contains('*', StringComparison.Ordinal) && !named.Value.Contains('?', StringComparison.Ordinal)
            ? JsonValue.Create($"{(https ? "https" : "http")}://{named.Value}{prefix}")
            : (JsonNode)Fn.Sub($"{(https ? "https" : "http")}://${{{LogicalIds.LoadBalancer}.DNSName}}{prefix}");
        template.Add(LogicalIds.UrlOutput(task.Id), new Output(url));
    }

    /// <summary>What the service adds for its load balancer: the binding, and time to pass health checks.</summary>
    public static void AddToService(JsonObject service, TaskModel task)
    {
        service["LoadBalancers"] = new JsonArray(new JsonObject
        {
            ["ContainerName"] = task.Name.Value,
            ["ContainerPort"] = task.Http!.Port.Value,
            ["TargetGroupArn"] = Fn.Ref(LogicalIds.TargetGroup(task.Id)),
        });
        service["HealthCheckGracePeriodSeconds"] = task.Http.HealthCheckGracePeriod ?? 60;
    }

    private static JsonObject Ingress(int port, string what) => new()
    {
        ["IpProtocol"] = "tcp",
        ["FromPort"] = port,
        ["ToPort"] = port,
        ["CidrIp"] = "0.0.0.0/0",
        ["Description"] = what,
    };

    private static JsonObject Attribute(string key, int value) =>
        new() { ["Key"] = key, ["Value"] = value.ToString(System.Globalization.CultureInfo.InvariantCulture) };

    private static JsonObject Redirect() => new()
    {
        ["Type"] = "redirect",
        ["RedirectConfig"] = new JsonObject { ["Protocol"] = "HTTPS", ["Port"] = "443", ["StatusCode"] = "HTTP_301" },
    };

    private static JsonObject NotFound() => new()
    {
        ["Type"] = "fixed-response",
        ["FixedResponseConfig"] = new JsonObject { ["StatusCode"] = "404", ["ContentType"] = "text/plain", ["MessageBody"] = "Not found" },
    };
}
