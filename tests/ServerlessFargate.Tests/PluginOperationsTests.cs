using System.Text.Json.Nodes;
using ServerlessFargate.Cli;

namespace ServerlessFargate.Tests;

/// <summary>
/// <c>serverless fargate run|logs|status|exec</c> and <c>serverless info</c> under
/// serverless@3.40.0 and osls@4.3.1, against moto. The framework resolves the stage, region and
/// credentials and the plugin hands them to the engine; the engine reaches moto through
/// AWS_ENDPOINT_URL. The framework's own AWS calls (in <c>info</c>) go to moto through a preloaded
/// script, since its AWS SDK v2 does not read that variable.
/// </summary>
public sealed class PluginOperationsTests(MotoServer moto) : IClassFixture<MotoServer>, IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("sls-fargate-plugin-ops-");

    public void Dispose() => _root.Delete(recursive: true);

    private static string Reference => PluginInstallTests.Reference;

    private static void RequireFramework(string framework)
    {
        var installed = File.Exists(Path.Combine(Reference, framework));
        if (Environment.GetEnvironmentVariable("SLS_FARGATE_REQUIRE_REFERENCE") == "1")
        {
            Assert.True(installed, $"{framework} is not installed in {Reference}");
        }
        Skip.IfNot(installed, $"{framework} is not installed (.ci/run installs it)");
    }

    /// <param name="fargate">More lines of the fargate block, indented as in it.</param>
    /// <param name="tail">More top-level sections.</param>
    private string Service(string name, string fargate = "", string tail = "")
    {
        var folder = Path.Combine(_root.FullName, name);
        Directory.CreateDirectory(Path.Combine(folder, "node_modules"));
        File.CreateSymbolicLink(Path.Combine(folder, "node_modules", "serverless-fargate-dotnet"),
            Path.Combine(RepositoryPaths.Root, "integrations", "serverless-plugin"));
        File.WriteAllText(Path.Combine(folder, "serverless.yml"), $$"""
            service: {{name}}
            frameworkVersion: '>=3'
            provider:
              name: aws
              region: eu-west-1
              stage: ${opt:stage, 'qa'}
            plugins:
              - serverless-fargate-dotnet
            fargate:
              # moto needs a memory on the container (see OperationsTests).
              cloudFormationResource:
                container:
                  Memory: 512
              tasks:
                migrate:
                  image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1.0
                  command: [./migrate]
                nightly:
                  image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1.0
                  schedule: cron(0 3 * * ? *)
            """.Replace("fargate:\n", "fargate:\n" + fargate, StringComparison.Ordinal) + "\n" + tail);
        // Tasks stay RUNNING until a test says otherwise (moto stops them at once by default).
        using (var http = new HttpClient())
        {
            http.PostAsync($"{moto.Endpoint}/moto-api/state-manager/set-transition",
                new StringContent("""{"model_name":"ecs::task","transition":{"progression":"manual","times":1000}}""")).Result.EnsureSuccessStatusCode();
        }
        // The stack as the framework would have deployed it, here through sls-fargate deploy of
        // the same configuration without the plugin (sls-fargate deploy leaves a service that
        // lists the plugin to the framework).
        var standalone = Directory.CreateDirectory(folder + "-standalone").FullName;
        File.WriteAllText(Path.Combine(standalone, "serverless.yml"),
            File.ReadAllText(Path.Combine(folder, "serverless.yml")).Replace("plugins:\n  - serverless-fargate-dotnet\n", ""));
        var deploy = CliRunner.Run(standalone, Engine(), "deploy", "--stage", "qa");
        Assert.True(deploy.ExitCode == 0, deploy.Output);
        return folder;
    }

    private Dictionary<string, string> Engine() => new()
    {
        ["AWS_ENDPOINT_URL"] = moto.Endpoint,
        ["AWS_ACCESS_KEY_ID"] = "testing",
        ["AWS_SECRET_ACCESS_KEY"] = "testing",
    };

    private ProcessResult Serverless(string framework, string folder, params string[] args) => ServerlessVia(moto.Endpoint, framework, folder, args);

    /// <param name="endpoint">Where AWS calls go: moto, or a <see cref="FaultProxy"/> in front of it.</param>
    private ProcessResult ServerlessVia(string endpoint, string framework, string folder, params string[] args)
    {
        // serverless@3 calls AWS through the AWS SDK v2, which takes a global endpoint; osls uses
        // the SDK v3, which reads AWS_ENDPOINT_URL itself.
        var preload = Path.Combine(_root.FullName, "endpoint.js");
        var frameworkFolder = JsonValue.Create(Path.GetDirectoryName(Path.Combine(Reference, framework))!)!.ToJsonString();
        File.WriteAllText(preload, $$"""
            let sdk;
            try { sdk = require(require.resolve('aws-sdk', { paths: [{{frameworkFolder}}] })); } catch (error) { sdk = null; }
            if (sdk) { sdk.config.update({ endpoint: '{{endpoint}}' }); }
            """);
        return ProcessRunner.Run("node", ["--require", preload, Path.Combine(Reference, framework), .. args],
            new Dictionary<string, string>(Configs.OfflineFramework(Path.Combine(_root.FullName, "home")))
            {
                ["SERVERLESS_FARGATE_CLI"] = CliRunner.ExecutableUnderTest ?? Path.Combine(AppContext.BaseDirectory, "sls-fargate"),
                ["AWS_ENDPOINT_URL"] = endpoint,
            }, folder);
    }

    [SkippableTheory]
    [MemberData(nameof(PluginInstallTests.Frameworks), MemberType = typeof(PluginInstallTests))]
    public void Fargate_run_through_the_framework_starts_the_task_in_every_subnet_of_a_list_parameter(string framework)
    {
        RequireFramework(framework);
        // Given subnets from a List parameter of the service's resources, deployed
        var name = $"plug{Guid.NewGuid():N}"[..12];
        var folder = Service(name, "  vpc:\n    subnetIds: !Ref PrivateSubnets\n",
            "resources:\n  Parameters:\n    PrivateSubnets:\n      Type: List<AWS::EC2::Subnet::Id>\n" +
            "      Default: subnet-0123456789abcdef0, subnet-0123456789abcdef1\n");

        // When the framework runs a task
        var injector = new FaultInjector();
        using var proxy = new FaultProxy(injector, moto.Endpoint);
        var run = ServerlessVia(proxy.Endpoint, framework, folder, "fargate", "run", "--task", "migrate", "--stage", "qa", "--detach");

        // Then ECS is asked for both subnets, not for one ID holding the parameter's whole value
        Assert.True(run.ExitCode == 0, run.Output);
        var network = JsonNode.Parse(injector.Bodies["RunTask"])!["networkConfiguration"]!["awsvpcConfiguration"]!;
        Assert.Equal("""["subnet-0123456789abcdef0","subnet-0123456789abcdef1"]""", network["subnets"]!.ToJsonString());
    }

    [SkippableTheory]
    [MemberData(nameof(PluginInstallTests.Frameworks), MemberType = typeof(PluginInstallTests))]
    public void Fargate_status_run_logs_and_exec_work_through_the_framework_with_its_stage_and_credentials(string framework)
    {
        RequireFramework(framework);
        var name = $"plug{Guid.NewGuid():N}"[..12];
        var folder = Service(name);

        var status = Serverless(framework, folder, "fargate", "status", "--stage", "qa");
        Assert.True(status.ExitCode == 0, status.Output);
        Assert.Contains($"Stack {name}-qa (eu-west-1)", status.Out);
        Assert.Contains("nightly: cron(0 3 * * ? *) (UTC), ENABLED", status.Out);

        File.WriteAllText(Path.Combine(folder, "run.env"), "FROM_FILE=1\nOVERRIDDEN=file\n");
        var run = Serverless(framework, folder, "fargate", "run", "--task", "migrate", "--stage", "qa", "--detach",
            "--env-file", "run.env", "--env", "OVERRIDDEN=option");
        Assert.True(run.ExitCode == 0, run.Output);
        var taskArn = run.Out.Trim();
        Assert.Matches($"^arn:aws:ecs:eu-west-1:123456789012:task/{name}-qa-FargateTasksCluster-[^/]+/[0-9a-f-]{{36}}$", taskArn);
        var started = JsonNode.Parse(moto.Aws("ecs", "describe-tasks", "--cluster", taskArn.Split('/')[1], "--tasks", taskArn).Out)!["tasks"]![0]!;
        Assert.Equal("""[{"name":"FROM_FILE","value":"1"},{"name":"OVERRIDDEN","value":"option"}]""",
            started["overrides"]!["containerOverrides"]![0]!["environment"]!.ToJsonString());

        var group = JsonNode.Parse(moto.Aws("cloudformation", "describe-stack-resource", "--stack-name", $"{name}-qa",
            "--logical-resource-id", "FargateTasksLogGroup").Out)!["StackResourceDetail"]!["PhysicalResourceId"]!.GetValue<string>();
        var stream = $"fargate/migrate/{taskArn.Split('/').Last()}";
        moto.Aws("logs", "create-log-stream", "--log-group-name", group, "--log-stream-name", stream);
        moto.Aws("logs", "put-log-events", "--log-group-name", group, "--log-stream-name", stream,
            "--log-events", $$"""[{"timestamp":{{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}},"message":"schema is up to date"}]""");
        var logs = Serverless(framework, folder, "fargate", "logs", "--task", "migrate", "--stage", "qa", "--since", "5m");
        Assert.True(logs.ExitCode == 0, logs.Output);
        Assert.EndsWith($"[{taskArn.Split('/').Last()[..8]}] schema is up to date\n", logs.Out);

        // A line with an escape sequence is printed visibly, and as it came with --raw.
        moto.Aws("logs", "put-log-events", "--log-group-name", group, "--log-stream-name", stream,
            "--log-events", $$"""[{"timestamp":{{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}},"message":"erased\u001b[2K"}]""");
        var escaped = Serverless(framework, folder, "fargate", "logs", "--task", "migrate", "--stage", "qa", "--since", "5m");
        var raw = Serverless(framework, folder, "fargate", "logs", "--task", "migrate", "--stage", "qa", "--since", "5m", "--raw");
        Assert.True(escaped.ExitCode == 0 && raw.ExitCode == 0, escaped.Output + raw.Output);
        Assert.EndsWith("] erased\\x1b[2K\n", escaped.Out);
        Assert.EndsWith("] erased\u001b[2K\n", raw.Out);

        // The engine's exit code and one-line message come through the framework unchanged.
        var exec = Serverless(framework, folder, "fargate", "exec", "--task", "migrate", "--stage", "qa");
        Assert.True(exec.ExitCode == ExitCodes.AwsFailure, exec.Output);
        Assert.True(exec.Error.Contains("ECS Exec is not enabled on task"), exec.Error);

        var unknown = Serverless(framework, folder, "fargate", "logs", "--task", "migrat", "--stage", "qa");
        Assert.Equal(ExitCodes.UsageError, unknown.ExitCode);
        Assert.Contains("did you mean `migrate`?", unknown.Error);
    }

    [SkippableTheory]
    [MemberData(nameof(PluginInstallTests.Frameworks), MemberType = typeof(PluginInstallTests))]
    public void Fargate_cost_estimates_with_the_frameworks_configuration_and_measures_through_its_credentials(string framework)
    {
        RequireFramework(framework);
        var name = $"cost{Guid.NewGuid():N}"[..12];
        var folder = Service(name);

        var cost = Serverless(framework, folder, "fargate", "cost", "--stage", "qa", "--duration", "nightly=30m");
        var measured = Serverless(framework, folder, "fargate", "cost", "--stage", "qa", "--measured", "--format", "json");

        // On the generated network each task has a public address: 0.25 × 0.04048 + 0.5 × 0.004445
        // + 0.005 = 0.0173425 an hour. migrate: × 730 = 12.66; nightly: 30.4375 runs × 0.5 h = 0.26
        Assert.True(cost.ExitCode == 0, cost.Output);
        Assert.Contains($"Estimated cost of {name}-qa in eu-west-1", cost.Out);
        Assert.Matches(@"\nmigrate +\$12\.66 +\$0\.0173\n", cost.Out);
        Assert.Matches(@"\nnightly +\$0\.26 +\$0\.0173\n", cost.Out);
        Assert.Matches(@"\nTOTAL +\$12\.92\n", cost.Out);
        // The stack has no runs of nightly yet: measured, its duration stays unknown.
        Assert.True(measured.ExitCode == 0, measured.Output);
        var nightly = JsonNode.Parse(measured.Out)!["items"]!.AsArray().Single(i => i!["name"]!.GetValue<string>() == "nightly")!;
        Assert.Null(nightly["monthly"]);
        Assert.StartsWith("duration unknown", nightly["assumptions"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [SkippableTheory]
    [MemberData(nameof(PluginInstallTests.Frameworks), MemberType = typeof(PluginInstallTests))]
    public void Serverless_info_shows_a_fargate_section(string framework)
    {
        RequireFramework(framework);
        var name = $"info{Guid.NewGuid():N}"[..12];
        var folder = Service(name);

        var info = Serverless(framework, folder, "info", "--stage", "qa");

        Assert.True(info.ExitCode == 0, info.Output);
        Assert.Contains("migrate: service, on-demand", info.Output);
        Assert.Contains("nightly: scheduled, on-demand, cron(0 3 * * ? *)", info.Output);
    }

    [SkippableTheory]
    [MemberData(nameof(PluginInstallTests.Frameworks), MemberType = typeof(PluginInstallTests))]
    public void Fargate_plan_packages_with_the_framework_and_plans_the_whole_stack_functions_included(string framework)
    {
        RequireFramework(framework);
        var name = $"plan{Guid.NewGuid():N}"[..12];
        var folder = Service(name);
        // The service gains a function and a table: the framework's template holds them beside the tasks.
        File.AppendAllText(Path.Combine(folder, "serverless.yml"), """

            functions:
              hello:
                handler: handler.hello
            resources:
              Resources:
                Orders:
                  Type: AWS::DynamoDB::Table
                  Properties:
                    BillingMode: PAY_PER_REQUEST
                    AttributeDefinitions: [{ AttributeName: id, AttributeType: S }]
                    KeySchema: [{ AttributeName: id, KeyType: HASH }]
            """);
        File.WriteAllText(Path.Combine(folder, "handler.js"), "exports.hello = async () => ({ statusCode: 200 });\n");
        // The framework resolves the tasks' ECR image to its digest when it packages: the image must exist.
        moto.Aws("ecr", "create-repository", "--repository-name", "app");
        moto.Aws("ecr", "put-image", "--repository-name", "app", "--image-tag", "1.0", "--image-manifest",
            """{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{"digest":"sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef","size":1,"mediaType":"application/vnd.docker.container.image.v1+json"},"layers":[]}""");

        var plan = Serverless(framework, folder, "fargate", "plan", "--stage", "qa", "--format", "json");

        Assert.True(plan.ExitCode == 0, plan.Output);
        var json = plan.Out[plan.Out.IndexOf("{\n", StringComparison.Ordinal)..];
        var changes = JsonNode.Parse(json)!["changes"]!.AsArray().ToDictionary(c => c!["logicalId"]!.GetValue<string>(), c => c!["action"]!.GetValue<string>());
        Assert.Equal("add", changes["HelloLambdaFunction"]);
        Assert.Equal("add", changes["Orders"]);
        Assert.Equal("add", changes["ServerlessDeploymentBucket"]);
        Assert.DoesNotContain("remove", changes.Values);
        Assert.Equal(name + "-qa", JsonNode.Parse(json)!["stack"]!.GetValue<string>());
    }
}
