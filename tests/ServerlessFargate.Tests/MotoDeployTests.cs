using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace ServerlessFargate.Tests;

/// <summary>Starts moto_server (a local fake of the AWS APIs) on 127.0.0.1 for the tests of this class, and stops it.</summary>
public class MotoServer : IDisposable
{
    private readonly Process _process;

    public MotoServer()
        : this(null)
    {
    }

    /// <param name="environment">moto's settings, e.g. INITIAL_NO_AUTH_ACTION_COUNT to check credentials and signatures.</param>
    protected MotoServer(IReadOnlyDictionary<string, string>? environment)
    {
        Assert.True(ProcessRunner.IsOnPath("moto_server"), "moto_server is not on PATH; install it (pip install 'moto[server]') to run this test");
        Port = FreePort();
        _process = ProcessRunner.Start("moto_server", ["-H", "127.0.0.1", "-p", Port.ToString()], environment);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!Answers())
        {
            if (DateTime.UtcNow > deadline || _process.HasExited)
            {
                throw new InvalidOperationException($"moto_server did not start: {_process.StandardError.ReadToEnd()}");
            }
            Thread.Sleep(200);
        }
    }

    public int Port { get; }

    public string Endpoint => $"http://127.0.0.1:{Port}";

    /// <summary>Runs the aws CLI against moto with fake credentials.</summary>
    public ProcessResult Aws(params string[] args) => Aws(new Dictionary<string, string>(), args);

    /// <summary>Runs the aws CLI against moto with the variables given (credentials) over the fake ones.</summary>
    public ProcessResult Aws(IReadOnlyDictionary<string, string> variables, params string[] args)
    {
        var environment = new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = "testing",
            ["AWS_SECRET_ACCESS_KEY"] = "testing",
            ["AWS_DEFAULT_REGION"] = "eu-west-1",
            ["AWS_PAGER"] = "",
        };
        foreach (var (key, value) in variables)
        {
            environment[key] = value;
        }
        return ProcessRunner.Run("aws", ["--endpoint-url", Endpoint, "--output", "json", .. args], environment);
    }

    /// <summary>Waits (at most a minute) until <paramref name="stack"/> is no longer in progress; its description.</summary>
    public JsonObject WaitForStack(string stack)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var described = Aws("cloudformation", "describe-stacks", "--stack-name", stack);
            Assert.True(described.ExitCode == 0, described.Output);
            var status = JsonNode.Parse(described.Out)!["Stacks"]![0]!.AsObject();
            if (!status["StackStatus"]!.GetValue<string>().EndsWith("_IN_PROGRESS", StringComparison.Ordinal) || DateTime.UtcNow > deadline)
            {
                return status;
            }
            Thread.Sleep(250);
        }
    }

    /// <summary>The name CloudFormation gave the log group of <paramref name="stack"/>.</summary>
    public string LogGroup(string stack) =>
        JsonNode.Parse(Aws("cloudformation", "describe-stack-resource", "--stack-name", stack, "--logical-resource-id", "FargateTasksLogGroup").Out)!
            ["StackResourceDetail"]!["PhysicalResourceId"]!.GetValue<string>();

    /// <summary>Writes <paramref name="lines"/> to a new log stream, as a task's container would, a millisecond apart from now.</summary>
    public void PutLogLines(string group, string stream, params string[] lines)
    {
        Aws("logs", "create-log-stream", "--log-group-name", group, "--log-stream-name", stream);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var events = new JsonArray([.. lines.Select((line, i) => (JsonNode)new JsonObject { ["timestamp"] = now + i, ["message"] = line })]);
        var put = Aws("logs", "put-log-events", "--log-group-name", group, "--log-stream-name", stream, "--log-events", events.ToJsonString());
        Assert.True(put.ExitCode == 0, put.Output);
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (!disposing)
        {
            return;
        }
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        _process.Dispose();
    }

    private bool Answers()
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>A TCP port nothing listens on now, on 127.0.0.1.</summary>
    internal static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

/// <summary>Deploys packaged templates to moto's CloudFormation: create, then update in place.</summary>
public sealed class MotoDeployTests(MotoServer moto) : IClassFixture<MotoServer>
{
    private const string Config = """
        service: moto-deploy

        provider:
          name: aws
          region: eu-west-1
          ecr:
            images:
              app:
                path: ./

        fargate:
          vpc:
            subnetIds: [subnet-0123456789abcdef0]
            securityGroupIds: [sg-0123456789abcdef0]
          tasks:
            worker:
              image: app
              memory: MEMORY
              environment:
                VERSION: "VERSION"
            nightly:
              image: public.ecr.aws/docker/library/busybox:1.36
              schedule: rate(1 day)
            migrate:
              image: public.ecr.aws/docker/library/busybox:1.36
              service: false
        """;

    [Fact]
    public void Packaged_template_creates_then_updates_a_stack_with_the_reference_output_names_and_a_new_task_definition_revision()
    {
        // Given a packaged service with a service, a scheduled task and a standalone task
        var folder = Directory.CreateTempSubdirectory("sls-fargate-moto-");
        try
        {
            var template = Package(folder.FullName, "0.5GB", "1");
            var stack = $"sls-fargate-{Guid.NewGuid():N}"[..30];

            // When it is deployed
            var create = moto.Aws("cloudformation", "create-stack", "--stack-name", stack, "--template-body", $"file://{template}",
                "--capabilities", "CAPABILITY_IAM", "--parameters", "ParameterKey=FargateImageApp,ParameterValue=123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1");
            Assert.True(create.ExitCode == 0, create.Output);

            // Then the stack completes with the outputs SPEC §3 names
            var created = moto.WaitForStack(stack);
            Assert.Equal("CREATE_COMPLETE", created["StackStatus"]!.GetValue<string>());
            Assert.Equal(
                ["MigrateTaskArn", "NightlyScheduledTaskArn", "NightlyTaskArn", "WorkerServiceArn", "WorkerTaskArn"],
                OutputNames(created));
            var firstTaskArn = Output(created, "WorkerTaskArn");

            // When the task changes and the stack is updated
            template = Package(folder.FullName, "1GB", "2");
            var update = moto.Aws("cloudformation", "update-stack", "--stack-name", stack, "--template-body", $"file://{template}",
                "--capabilities", "CAPABILITY_IAM", "--parameters", "ParameterKey=FargateImageApp,UsePreviousValue=true");
            Assert.True(update.ExitCode == 0, update.Output);

            // Then the update completes with a new task definition revision, and the service is still there
            var updated = moto.WaitForStack(stack);
            Assert.Equal("UPDATE_COMPLETE", updated["StackStatus"]!.GetValue<string>());
            Assert.NotEqual(firstTaskArn, Output(updated, "WorkerTaskArn"));
            var service = moto.Aws("ecs", "describe-services", "--cluster", Output(updated, "WorkerServiceArn").Split('/')[1],
                "--services", Output(updated, "WorkerServiceArn"));
            Assert.Contains("\"serviceName\": \"worker\"", service.Out, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private const string ProductionFeatures = """
        service: moto-production

        provider:
          name: aws
          region: eu-west-1

        fargate:
          exec: true
          stopTimeout: 90
          vpc:
            subnetIds: [subnet-0123456789abcdef0]
          tasks:
            worker:
              image: public.ecr.aws/docker/library/busybox:1.36
              ephemeralStorage: 40
              secrets:
                DB_PASSWORD: arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-password-AbCdEf
                API_KEY: ssm:/api/key
              healthCheck:
                command: test -f /tmp/ready
                startPeriod: 30
              service:
                autoscaling:
                  min: 1
                  max: 4
                  cpu: 60
        """;

    /// <summary>
    /// moto models the task definition's secrets, health check and stop timeout, and accepts (without
    /// modelling) Application Auto Scaling resources, ephemeral storage, ECS Exec and the circuit breaker.
    /// </summary>
    [Fact]
    public void Production_template_creates_a_stack_whose_task_definition_has_the_secrets_health_check_and_stop_timeout()
    {
        var created = PackageAndCreate(ProductionFeatures);

        Assert.Equal("CREATE_COMPLETE", created["StackStatus"]!.GetValue<string>());
        var definition = moto.Aws("ecs", "describe-task-definition", "--task-definition", Output(created, "WorkerTaskArn"));
        var container = JsonNode.Parse(definition.Out)!["taskDefinition"]!["containerDefinitions"]![0]!;
        Assert.Equal(["API_KEY", "DB_PASSWORD"], container["secrets"]!.AsArray().Select(s => s!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.Equal("CMD-SHELL", container["healthCheck"]!["command"]![0]!.GetValue<string>());
        Assert.Equal(90, container["stopTimeout"]!.GetValue<int>());
    }

    /// <summary>
    /// moto accepts a Spot strategy (without reporting it back), creates the fallback's state
    /// machine, and skips AWS::Scheduler::Schedule, on whose attributes it fails; so this service
    /// turns the schedules' outputs off.
    /// </summary>
    [Fact]
    public void Spot_fallback_and_schedule_template_creates_a_stack_with_its_outputs_and_the_fallback_state_machine()
    {
        var created = PackageAndCreate("""
                service: moto-spot
                provider:
                  name: aws
                fargate:
                  outputs:
                    scheduledTaskArn: false
                  vpc:
                    subnetIds: [subnet-0123456789abcdef0]
                  tasks:
                    worker:
                      image: public.ecr.aws/docker/library/busybox:1.36
                      spot:
                        onDemandBase: 1
                        spotWeight: 3
                    spot-only:
                      image: public.ecr.aws/docker/library/busybox:1.36
                      spot:
                        fallback: true
                    nightly:
                      image: public.ecr.aws/docker/library/busybox:1.36
                      spot: true
                      schedule: cron(0 3 * * ? *)
                    sync:
                      image: public.ecr.aws/docker/library/busybox:1.36
                      spot: true
                      schedule:
                        rate: rate(1 hour)
                        timezone: Europe/London
                """);

        Assert.Equal("CREATE_COMPLETE", created["StackStatus"]!.GetValue<string>());
        Assert.Equal(["NightlyTaskArn", "SpotonlyFallbackServiceArn", "SpotonlyServiceArn", "SpotonlyTaskArn", "SyncTaskArn", "WorkerServiceArn", "WorkerTaskArn"],
            OutputNames(created));
        var machines = moto.Aws("stepfunctions", "list-state-machines");
        Assert.Contains("SpotonlyFallbackStateMachine", machines.Out, StringComparison.Ordinal);
    }

    /// <summary>
    /// moto's CloudFormation models EC2 networking: the generated VPC, its two subnets in two
    /// zones, the attached internet gateway and the security group are created. (moto does not
    /// keep an ECS service's network configuration from a template, so the service's subnets
    /// and public IP are checked in the golden template, not here.)
    /// </summary>
    [Fact]
    public void A_service_with_no_vpc_anywhere_creates_a_vpc_with_two_subnets_in_two_zones_a_gateway_and_a_closed_security_group()
    {
        var created = PackageAndCreate("""
                service: moto-no-vpc
                provider:
                  name: aws
                fargate:
                  tasks:
                    worker:
                      image: public.ecr.aws/docker/library/busybox:1.36
                """);

        Assert.Equal("CREATE_COMPLETE", created["StackStatus"]!.GetValue<string>());
        var vpc = Output(created, "FargateVpcId");
        var subnets = JsonNode.Parse(moto.Aws("ec2", "describe-subnets", "--filters", $"Name=vpc-id,Values={vpc}").Out)!["Subnets"]!.AsArray();
        Assert.Equal(["10.0.0.0/17", "10.0.128.0/17"], subnets.Select(s => s!["CidrBlock"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.Equal(2, subnets.Select(s => s!["AvailabilityZone"]!.GetValue<string>()).Distinct().Count());
        var gateways = JsonNode.Parse(moto.Aws("ec2", "describe-internet-gateways", "--filters", $"Name=attachment.vpc-id,Values={vpc}").Out)!["InternetGateways"]!.AsArray();
        Assert.Single(gateways);
        var groups = JsonNode.Parse(moto.Aws("ec2", "describe-security-groups", "--filters", $"Name=vpc-id,Values={vpc}", "Name=description,Values=Fargate tasks*").Out)!["SecurityGroups"]!.AsArray();
        var group = Assert.Single(groups);
        Assert.Empty(group!["IpPermissions"]!.AsArray());
        Assert.Contains("worker", Output(created, "WorkerServiceArn"), StringComparison.Ordinal);
    }

    /// <summary>
    /// moto's CloudFormation models ELBv2: two HTTP services share one load balancer, each with its
    /// ip target group and a listener rule by path or host, and the stack outputs their URLs.
    /// </summary>
    [Fact]
    public void Two_http_services_create_one_load_balancer_with_a_target_group_and_a_listener_rule_each()
    {
        var created = PackageAndCreate("""
                service: moto-web
                provider:
                  name: aws
                fargate:
                  tasks:
                    web:
                      image: public.ecr.aws/docker/library/nginx:1.27
                      http:
                        port: 80
                    api:
                      image: public.ecr.aws/docker/library/nginx:1.27
                      http:
                        port: 8080
                        path: /api/*
                        host: api.example.com
                """);

        Assert.Equal("CREATE_COMPLETE", created["StackStatus"]!.GetValue<string>());
        var balancers = JsonNode.Parse(moto.Aws("elbv2", "describe-load-balancers").Out)!["LoadBalancers"]!.AsArray();
        var balancer = Assert.Single(balancers, b => b!["VpcId"]!.GetValue<string>() == Output(created, "FargateVpcId"));
        Assert.Equal(Output(created, "FargateLoadBalancerDnsName"), balancer!["DNSName"]!.GetValue<string>());
        Assert.Equal("http://api.example.com/api/", Output(created, "ApiUrl"));
        var groups = JsonNode.Parse(moto.Aws("elbv2", "describe-target-groups", "--load-balancer-arn", balancer["LoadBalancerArn"]!.GetValue<string>()).Out)!["TargetGroups"]!.AsArray();
        Assert.Equal(["ip:80", "ip:8080"], groups.Select(g => $"{g!["TargetType"]}:{g["Port"]}").Order(StringComparer.Ordinal));
        var listener = JsonNode.Parse(moto.Aws("elbv2", "describe-listeners", "--load-balancer-arn", balancer["LoadBalancerArn"]!.GetValue<string>()).Out)!["Listeners"]!.AsArray().Single()!;
        var rules = JsonNode.Parse(moto.Aws("elbv2", "describe-rules", "--listener-arn", listener["ListenerArn"]!.GetValue<string>()).Out)!["Rules"]!.AsArray();
        Assert.Equal(["1", "2", "default"], rules.Select(r => r!["Priority"]!.GetValue<string>()).Order(StringComparer.Ordinal));
    }

    /// <summary>An HTTP service in a VPC of one's own: the internal load balancer goes into the public subnets given for it.</summary>
    [Fact]
    public void An_http_service_in_given_subnets_creates_an_internal_load_balancer_in_the_given_public_subnets()
    {
        // Given a VPC with two private and two public subnets
        var vpc = JsonNode.Parse(moto.Aws("ec2", "create-vpc", "--cidr-block", "10.42.0.0/16").Out)!["Vpc"]!["VpcId"]!.GetValue<string>();
        string Subnet(string cidr, string zone) => JsonNode.Parse(moto.Aws("ec2", "create-subnet", "--vpc-id", vpc, "--cidr-block", cidr,
            "--availability-zone", zone).Out)!["Subnet"]!["SubnetId"]!.GetValue<string>();
        var privateSubnets = new[] { Subnet("10.42.0.0/24", "us-east-1a"), Subnet("10.42.1.0/24", "us-east-1b") };
        var publicSubnets = new[] { Subnet("10.42.10.0/24", "us-east-1a"), Subnet("10.42.11.0/24", "us-east-1b") };

        // When a service serving HTTP in them is deployed
        var created = PackageAndCreate($$"""
                service: moto-own-vpc
                provider:
                  name: aws
                fargate:
                  loadBalancer:
                    public: false
                  vpc:
                    id: {{vpc}}
                    subnetIds: [{{string.Join(", ", privateSubnets)}}]
                    publicSubnetIds: [{{string.Join(", ", publicSubnets)}}]
                  tasks:
                    web:
                      image: public.ecr.aws/docker/library/nginx:1.27
                      http:
                        port: 80
                """);

        // Then the load balancer is internal, in that VPC, in the public subnets
        Assert.Equal("CREATE_COMPLETE", created["StackStatus"]!.GetValue<string>());
        var balancer = JsonNode.Parse(moto.Aws("elbv2", "describe-load-balancers").Out)!["LoadBalancers"]!.AsArray()
            .Single(b => b!["VpcId"]!.GetValue<string>() == vpc)!;
        Assert.Equal("internal", balancer["Scheme"]!.GetValue<string>());
        Assert.Equal(publicSubnets.Order(StringComparer.Ordinal), balancer["AvailabilityZones"]!.AsArray().Select(z => z!["SubnetId"]!.GetValue<string>()).Order(StringComparer.Ordinal));
    }

    /// <summary>Packages a configuration, creates a stack from it in moto, and waits for the result.</summary>
    private JsonObject PackageAndCreate(string yaml)
    {
        var folder = Directory.CreateTempSubdirectory("sls-fargate-moto-");
        try
        {
            File.WriteAllText(Path.Combine(folder.FullName, "serverless.yml"), yaml);
            var run = CliRunner.Run(folder.FullName, "package", ".", "--out", "out");
            Assert.True(run.ExitCode == 0, run.Error);
            var stack = $"sls-fargate-{Guid.NewGuid():N}"[..30];
            var create = moto.Aws("cloudformation", "create-stack", "--stack-name", stack,
                "--template-body", $"file://{Path.Combine(folder.FullName, "out", "cloudformation-template.json")}", "--capabilities", "CAPABILITY_IAM");
            Assert.True(create.ExitCode == 0, create.Output);
            return moto.WaitForStack(stack);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static string Package(string folder, string memory, string version)
    {
        File.WriteAllText(Path.Combine(folder, "serverless.yml"), Config.Replace("MEMORY", memory).Replace("VERSION", version));
        var run = CliRunner.Run(folder, "package", ".", "--out", "out");
        Assert.True(run.ExitCode == 0, run.Error);
        return Path.Combine(folder, "out", "cloudformation-template.json");
    }

    private static List<string> OutputNames(JsonObject stack) =>
        [.. stack["Outputs"]!.AsArray().Select(o => o!["OutputKey"]!.GetValue<string>()).Order(StringComparer.Ordinal)];

    private static string Output(JsonObject stack, string name) =>
        stack["Outputs"]!.AsArray().First(o => o!["OutputKey"]!.GetValue<string>() == name)!["OutputValue"]!.GetValue<string>();
}
