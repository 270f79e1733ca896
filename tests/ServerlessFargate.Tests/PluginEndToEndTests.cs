using System.Text.Json.Nodes;

namespace ServerlessFargate.Tests;

/// <summary>
/// The Serverless Framework plugin (integrations/serverless-plugin) under the real framework,
/// serverless@3.40.0, offline: fake credentials, HOME in a temporary folder, telemetry off and
/// images given as digest URIs. Needs Node.js and the framework; .ci/run installs it and sets
/// SLS_FARGATE_REQUIRE_REFERENCE=1, so in CI these never skip.
/// </summary>
public sealed class PluginEndToEndTests : IDisposable
{
    private const string Image = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private const string Service = $$"""
        service: e2e
        frameworkVersion: '3'

        provider:
          name: aws
          region: eu-west-1
          runtime: provided.al2023
          ecr:
            images:
              app:
                uri: {{Image}}

        plugins:
          - serverless-fargate-dotnet

        functions:
          api:
            handler: bootstrap
            events:
              - httpApi: GET /
          worker:
            handler: bootstrap
            events:
              - httpApi: POST /jobs

        fargate:
          vpc:
            subnetIds: [subnet-0123456789abcdef0]
          tasks:
            worker:
              image: app
              service:
                desiredCount: 2
            nightly:
              image: app
              schedule: rate(1 day)
              command: [report]
            migrate:
              image: public.ecr.aws/docker/library/busybox:1.36
              service: false
        """;

    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("sls-fargate-e2e-");

    public void Dispose() => _root.Delete(recursive: true);

    private static string ReferenceDirectory =>
        Environment.GetEnvironmentVariable("SLS_FARGATE_REFERENCE_DIR") ?? Path.Combine(RepositoryPaths.Root, ".reference");

    private static string Cli => Path.Combine(AppContext.BaseDirectory, "sls-fargate");

    private static void RequireFramework()
    {
        var installed = File.Exists(Path.Combine(ReferenceDirectory, "node_modules", ".bin", "serverless"));
        if (Environment.GetEnvironmentVariable("SLS_FARGATE_REQUIRE_REFERENCE") == "1")
        {
            Assert.True(installed, $"serverless@3.40.0 is not installed in {ReferenceDirectory}");
        }
        Skip.IfNot(installed, "serverless@3.40.0 is not installed (scripts/compare-with-reference.sh installs it)");
    }

    /// <summary>A service folder with the plugin linked in, as `npm install` would put it.</summary>
    private string CreateService(string name, string yaml)
    {
        var folder = Path.Combine(_root.FullName, name);
        Directory.CreateDirectory(Path.Combine(folder, "node_modules"));
        File.CreateSymbolicLink(Path.Combine(folder, "node_modules", "serverless-fargate-dotnet"),
            Path.Combine(RepositoryPaths.Root, "integrations", "serverless-plugin"));
        File.WriteAllText(Path.Combine(folder, "serverless.yml"), yaml);
        File.WriteAllText(Path.Combine(folder, "bootstrap"), "#!/bin/sh\n");
        return folder;
    }

    private ProcessResult ServerlessPackage(string folder, string? cli = null) => Serverless(folder, "package", cli);

    private ProcessResult Serverless(string folder, string command, string? cli = null) =>
        ProcessRunner.Run(Path.Combine(ReferenceDirectory, "node_modules", ".bin", "serverless"), [command],
            new Dictionary<string, string>(Configs.OfflineFramework(Path.Combine(_root.FullName, "home")))
            {
                ["SERVERLESS_FARGATE_CLI"] = cli ?? Cli,
            }, folder);

    private static JsonObject CompiledTemplate(string folder) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(folder, ".serverless", "cloudformation-template-update-stack.json")))!.AsObject();

    [SkippableFact]
    public void Serverless_package_ships_functions_and_tasks_in_one_template_equal_to_merge_into()
    {
        RequireFramework();

        // Given a service with HTTP functions and a service, a scheduled and a standalone task,
        // one task named like a function
        var withPlugin = CreateService("with-plugin", Service);
        var withoutPlugin = CreateService("without-plugin", Service.Replace("plugins:\n  - serverless-fargate-dotnet\n", "", StringComparison.Ordinal));

        // When the framework packages it with the plugin
        var run = ServerlessPackage(withPlugin);

        // Then one template holds the functions and every task
        Assert.True(run.ExitCode == 0, run.Output);
        var template = CompiledTemplate(withPlugin);
        var resources = template["Resources"]!.AsObject();
        foreach (var id in new[] { "ApiLambdaFunction", "WorkerLambdaFunction", "HttpApi", "FargateTasksCluster", "WorkerTask", "WorkerService",
                     "NightlyTask", "NightlyScheduledTask", "MigrateTask", "FargateIamEventsRole" })
        {
            Assert.True(resources.ContainsKey(id), $"{id} is missing from the packaged template");
        }

        // And the function named like a task is intact
        Assert.Equal("bootstrap", resources["WorkerLambdaFunction"]!["Properties"]!["Handler"]!.GetValue<string>());
        Assert.Equal(Image, resources["WorkerTask"]!["Properties"]!["ContainerDefinitions"]![0]!["Image"]!.GetValue<string>());

        // And the template passes cfn-lint: no errors (exit bit 2), and no warning about our
        // resources (the framework's HTTP API resources draw a W3005 warning of their own)
        var lint = CfnLintTests.CfnLint([Path.Combine(withPlugin, ".serverless", "cloudformation-template-update-stack.json")]);
        Assert.True((lint.ExitCode & 2) == 0, lint.Output);
        var ours = resources.Select(r => r.Key).Where(id => id.StartsWith("Fargate", StringComparison.Ordinal) || id.EndsWith("Task", StringComparison.Ordinal) || id.EndsWith("Service", StringComparison.Ordinal));
        Assert.DoesNotContain(ours, id => lint.Output.Contains($"'{id}'", StringComparison.Ordinal) || lint.Output.Contains($"Resources/{id}/", StringComparison.Ordinal));

        // And its Fargate part equals what `sls-fargate package --merge-into` adds to the framework's own template
        var baseRun = ServerlessPackage(withoutPlugin);
        Assert.True(baseRun.ExitCode == 0, baseRun.Output);
        var baseTemplate = CompiledTemplate(withoutPlugin);
        var merged = CliRunner.Run(withoutPlugin, "package", ".", "--out", "-", "--merge-into", ".serverless/cloudformation-template-update-stack.json");
        Assert.True(merged.ExitCode == 0, merged.Error);
        var mergedTemplate = JsonNode.Parse(merged.Out)!.AsObject();
        foreach (var section in new[] { "Resources", "Outputs" })
        {
            var baseIds = baseTemplate[section]!.AsObject().Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
            var fromPlugin = FargatePart(template[section]!.AsObject(), baseIds);
            var fromMerge = FargatePart(mergedTemplate[section]!.AsObject(), baseIds);
            Assert.NotEmpty(fromPlugin);
            Assert.Equal(fromMerge, fromPlugin);
        }
    }

    private static Dictionary<string, string> FargatePart(JsonObject section, HashSet<string> frameworkIds) =>
        section.Where(p => !frameworkIds.Contains(p.Key)).ToDictionary(p => p.Key, p => p.Value!.ToJsonString(), StringComparer.Ordinal);

    [SkippableFact]
    public void An_s3_event_on_a_bucket_of_the_services_resources_makes_that_bucket_send_its_events()
    {
        RequireFramework();

        // Given a task started by uploads to a bucket of the service's resources
        var folder = CreateService("bucket-events", """
            service: e2e-events
            frameworkVersion: '3'
            provider:
              name: aws
              region: eu-west-1
            plugins:
              - serverless-fargate-dotnet
            fargate:
              vpc:
                subnetIds: [subnet-0123456789abcdef0]
              tasks:
                transcode:
                  image: public.ecr.aws/docker/library/busybox:1.36
                  events:
                    - s3:
                        bucket: !Ref Uploads
                        prefix: incoming/
            resources:
              Resources:
                Uploads:
                  Type: AWS::S3::Bucket
                  Properties:
                    Tags: [{Key: team, Value: media}]
            """);

        // When the framework packages it with the plugin
        var run = ServerlessPackage(folder);

        // Then the bucket sends its events to EventBridge, keeps what it had, and the rule is there
        Assert.True(run.ExitCode == 0, run.Output);
        var resources = CompiledTemplate(folder)["Resources"]!.AsObject();
        var bucket = resources["Uploads"]!["Properties"]!;
        Assert.True(bucket["NotificationConfiguration"]!["EventBridgeConfiguration"]!["EventBridgeEnabled"]!.GetValue<bool>());
        Assert.Equal("media", bucket["Tags"]![0]!["Value"]!.GetValue<string>());
        Assert.True(resources.ContainsKey("TranscodeEventRule1"));
    }

    [SkippableFact]
    public void Subnets_from_a_list_parameter_of_the_services_resources_reach_cloudformation_as_the_whole_list()
    {
        RequireFramework();

        // Given subnets from a List parameter that the service's resources declare
        var folder = CreateService("list-parameter", """
            service: e2e-params
            frameworkVersion: '3'
            provider:
              name: aws
              region: eu-west-1
            plugins:
              - serverless-fargate-dotnet
            fargate:
              vpc:
                subnetIds: !Ref PrivateSubnets
              tasks:
                nightly:
                  image: public.ecr.aws/docker/library/busybox:1.36
                  schedule: rate(1 day)
            resources:
              Parameters:
                PrivateSubnets:
                  Type: List<AWS::EC2::Subnet::Id>
                  Default: subnet-0123456789abcdef0,subnet-0123456789abcdef1
            """);

        // When the framework packages it with the plugin
        var run = ServerlessPackage(folder);

        // Then the rule's target takes the parameter itself as its subnets, and cfn-lint agrees
        Assert.True(run.ExitCode == 0, run.Output);
        var subnets = CompiledTemplate(folder)["Resources"]!["NightlyScheduledTask"]!["Properties"]!["Targets"]![0]!["EcsParameters"]!["NetworkConfiguration"]!["AwsVpcConfiguration"]!["Subnets"]!;
        Assert.Equal("""{"Ref":"PrivateSubnets"}""", subnets.ToJsonString());
        var lint = CfnLintTests.CfnLint([Path.Combine(folder, ".serverless", "cloudformation-template-update-stack.json")]);
        Assert.True(lint.ExitCode == 0, lint.Output);
    }

    [SkippableFact]
    public void An_engine_error_reaches_the_user_as_a_framework_error_with_file_line_and_column()
    {
        RequireFramework();
        var folder = CreateService("broken", Service.Replace("desiredCount: 2", "desiredCount: 2\n        cpu: 300", StringComparison.Ordinal)
            .Replace("schedule: rate(1 day)", "schedule: rate(1 days)", StringComparison.Ordinal));

        var run = ServerlessPackage(folder);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("sls-fargate found problems in the fargate configuration", run.Output, StringComparison.Ordinal);
        Assert.Contains("serverless.yml:3", run.Output, StringComparison.Ordinal);
        Assert.Contains("error FG3003: fargate.tasks.nightly.schedule: schedule `rate(1 days)` is not valid", run.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(folder, ".serverless", "cloudformation-template-update-stack.json")));
    }

    [SkippableFact]
    public void The_framework_checks_key_names_where_the_engine_runs_and_the_whole_block_elsewhere()
    {
        RequireFramework();
        var folder = CreateService("framework-schema", Service
            .Replace("schedule: rate(1 day)", "schedule: rate(1 day)\n      desiredCont: 2", StringComparison.Ordinal)
            .Replace("desiredCount: 2", "desiredCount: 2\n        circuitBreaker: maybe", StringComparison.Ordinal));

        // In package the framework flags the misspelled key, and the engine reports both mistakes
        // with their lines; the framework does not repeat the engine's check of values.
        var package = ServerlessPackage(folder);

        Assert.NotEqual(0, package.ExitCode);
        Assert.Contains("at 'fargate.tasks.nightly': unrecognized property 'desiredCont'", package.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("at 'fargate.tasks.worker.service", package.Output, StringComparison.Ordinal);
        Assert.Contains("error FG1001: fargate.tasks.nightly: unknown key `desiredCont`", package.Output, StringComparison.Ordinal);
        Assert.Contains(": fargate.tasks.worker.service.circuitBreaker:", package.Output, StringComparison.Ordinal);

        // Where the engine does not run, the framework's check is the only one: the whole schema.
        var print = Serverless(folder, "print");

        Assert.Contains("at 'fargate.tasks.nightly': unrecognized property 'desiredCont'", print.Output, StringComparison.Ordinal);
        Assert.Contains("at 'fargate.tasks.worker.service", print.Output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void A_missing_engine_gives_an_error_that_says_how_to_install_it()
    {
        RequireFramework();
        var folder = CreateService("no-engine", Service);

        var run = ServerlessPackage(folder, cli: Path.Combine(_root.FullName, "no-such-sls-fargate"));

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("dotnet tool install --global ServerlessFargate.Cli", run.Output, StringComparison.Ordinal);
    }
}
