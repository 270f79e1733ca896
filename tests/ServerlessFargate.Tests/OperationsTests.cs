using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ServerlessFargate.Cli;

namespace ServerlessFargate.Tests;

/// <summary>
/// The commands that operate a deployed service (deploy, run, logs, status, exec, remove),
/// against moto_server: one server for this class, one stack per test.
/// </summary>
public sealed class OperationsTests(MotoServer moto) : IClassFixture<MotoServer>
{
    // moto works a task's memory out from its containers' and fails on a container without one
    // (Fargate puts it on the task), so these configurations give the container a memory too.
    private const string Config = """
        service: SERVICE
        provider:
          name: aws
          region: eu-west-1
        fargate:
          cloudFormationResource:
            container:
              Memory: 512
          tasks:
            migrate:
              image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1.0
              command: ["./migrate"]
              exec: EXEC
            nightly:
              image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1.0
              schedule: cron(0 3 * * ? *)
            web:
              image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1.0
              environment:
                VERSION: "VERSION"
        """;

    private static DirectoryInfo Service(string name, string version = "1", bool exec = false)
    {
        var folder = Directory.CreateTempSubdirectory("sls-fargate-ops-");
        Write(folder, name, version, exec);
        return folder;
    }

    private static void Write(DirectoryInfo folder, string name, string version, bool exec = false) =>
        File.WriteAllText(Path.Combine(folder.FullName, "serverless.yml"),
            Config.Replace("SERVICE", name).Replace("VERSION", version).Replace("EXEC", exec ? "true" : "false"));

    /// <summary>A service of <see cref="Config"/> under a name of its own, deployed to moto.</summary>
    private (string Name, DirectoryInfo Folder) Deployed(string prefix)
    {
        var name = Unique(prefix);
        var folder = Service(name);
        var deploy = Cli(folder, "deploy");
        Assert.True(deploy.ExitCode == 0, deploy.Error);
        return (name, folder);
    }

    private static string Unique(string prefix) => MotoCli.Unique(prefix);

    private CliRun Cli(DirectoryInfo folder, FaultInjector? injector, CancellationToken interrupt, Dictionary<string, string>? extra, params string[] args) =>
        new MotoCli(moto).Run(folder, injector ?? new FaultInjector(), interrupt, extra, args);

    private CliRun Cli(DirectoryInfo folder, params string[] args) => Cli(folder, null, default, null, args);

    private void ManualTaskProgress(int callsPerStep)
    {
        using var http = new HttpClient();
        var body = new JsonObject { ["model_name"] = "ecs::task", ["transition"] = new JsonObject { ["progression"] = "manual", ["times"] = callsPerStep } };
        http.PostAsync($"{moto.Endpoint}/moto-api/state-manager/set-transition", new StringContent(body.ToJsonString())).Result.EnsureSuccessStatusCode();
    }

    [Fact]
    public void Deploy_creates_the_stack_then_updates_it_then_finds_nothing_to_change_and_remove_deletes_it()
    {
        var name = Unique("deploy");
        var folder = Service(name);
        // moto deletes a generated VPC before its subnets and fails; this stack uses a subnet of its own.
        var vpc = JsonNode.Parse(moto.Aws("ec2", "create-vpc", "--cidr-block", "10.1.0.0/16").Out)!["Vpc"]!["VpcId"]!.GetValue<string>();
        var subnet = JsonNode.Parse(moto.Aws("ec2", "create-subnet", "--vpc-id", vpc, "--cidr-block", "10.1.0.0/24").Out)!["Subnet"]!["SubnetId"]!.GetValue<string>();
        var ownNetwork = "fargate:\n  vpc:\n    subnetIds: [" + subnet + "]\n";
        void WithOwnNetwork() => File.WriteAllText(Path.Combine(folder.FullName, "serverless.yml"),
            File.ReadAllText(Path.Combine(folder.FullName, "serverless.yml")).Replace("fargate:\n", ownNetwork));
        WithOwnNetwork();

        // A first deploy creates the stack through a change set and prints its outputs. (moto
        // gives a stack made from a change set no outputs; the test adds one to its answer.)
        var injector = new FaultInjector();
        injector.RewriteText["DescribeStacks"] = xml => xml.Replace("<StackStatus>CREATE_COMPLETE</StackStatus>",
            "<StackStatus>CREATE_COMPLETE</StackStatus><Outputs><member><OutputKey>WebServiceArn</OutputKey><OutputValue>arn:aws:ecs:eu-west-1:123456789012:service/c/web</OutputValue></member></Outputs>");
        var create = Cli(folder, injector, default, null, "deploy");
        Assert.True(create.ExitCode == 0, create.Error);
        Assert.Contains($"Creating the stack {name}-dev in eu-west-1", create.Error);
        Assert.Contains($"Deployed {name}-dev (CREATE_COMPLETE)", create.Error);
        Assert.Equal("WebServiceArn: arn:aws:ecs:eu-west-1:123456789012:service/c/web\n", create.Out);
        var stack = JsonNode.Parse(moto.Aws("cloudformation", "describe-stacks", "--stack-name", $"{name}-dev").Out)!["Stacks"]![0]!;
        Assert.Equal("CREATE_COMPLETE", stack["StackStatus"]!.GetValue<string>());

        // A changed configuration updates it.
        Write(folder, name, "2");
        WithOwnNetwork();
        var update = Cli(folder, "deploy");
        Assert.True(update.ExitCode == 0, update.Error);
        Assert.Contains($"Updating the stack {name}-dev", update.Error);
        Assert.Contains("UPDATE_COMPLETE", update.Error);
        Assert.DoesNotContain("CREATE_COMPLETE", update.Error);
        Assert.Contains("\"2\"", moto.Aws("cloudformation", "get-template", "--stack-name", $"{name}-dev").Out);

        // The same configuration again changes nothing, and says so.
        var again = Cli(folder, "deploy");
        Assert.True(again.ExitCode == 0, again.Error);
        Assert.Contains($"No changes: the stack {name}-dev already runs this template.", again.Error);

        // remove deletes the stack; a second remove has nothing to do.
        var remove = Cli(folder, "remove", "--yes");
        Assert.True(remove.ExitCode == 0, remove.Error);
        Assert.Contains($"Removed {name}-dev", remove.Error);
        Assert.Contains("does not exist", moto.Aws("cloudformation", "describe-stacks", "--stack-name", $"{name}-dev").Output);
        var removeAgain = Cli(folder, "remove", "--yes");
        Assert.Equal(0, removeAgain.ExitCode);
        Assert.Contains("nothing to remove", removeAgain.Error);
    }

    [Fact]
    public void Run_starts_the_task_in_the_stacks_network_prints_its_log_lines_waits_for_it_to_stop_and_exits_with_its_exit_code()
    {
        var (name, folder) = Deployed("run");
        var group = moto.LogGroup($"{name}-dev");
        ManualTaskProgress(2);

        // The container writes two lines once it runs, and exits with 3.
        var injector = new FaultInjector();
        injector.After["RunTask"] = answer =>
        {
            var taskId = answer["tasks"]![0]!["taskArn"]!.GetValue<string>().Split('/').Last();
            moto.PutLogLines(group, $"fargate/migrate/{taskId}", "migrating 1 of 2", "migrating 2 of 2");
        };
        injector.RewriteTasks(task =>
        {
            if (task["lastStatus"]!.GetValue<string>() == "STOPPED")
            {
                task["stoppedReason"] = "Essential container in task exited";
                task["containers"]![0]!["name"] = "migrate";
                task["containers"]![0]!["exitCode"] = 3;
            }
        });

        // Variables from a file, then from the command line (which wins), one taken from here by name.
        File.WriteAllText(Path.Combine(folder.FullName, "migrate.env"), """
            # settings of the migration
            export DRY_RUN=0
            GREETING="hello\nworld"
            PATTERN='$HOME is not expanded'

            """);

        var run = Cli(folder, injector, default, new() { ["MIGRATE_TOKEN"] = "t0ken" }, "run", "migrate", "--command", "./migrate --to 'v 2'",
            "--env-file", "migrate.env", "--env", "DRY_RUN=1", "--env", "MIGRATE_TOKEN");

        Assert.True(run.ExitCode == 3, run.Output);
        var lines = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z \[[0-9a-f]{8}\] migrating 1 of 2$", lines[0]);
        Assert.EndsWith("migrating 2 of 2", lines[1]);
        Assert.Contains("Started migrate: arn:aws:ecs:eu-west-1:", run.Error);
        Assert.Contains("https://eu-west-1.console.aws.amazon.com/ecs/v2/clusters/", run.Error);
        Assert.Contains("migrate stopped (Essential container in task exited): container migrate exited with 3", run.Error);

        // The task ran with the command, the variable, and the generated network's subnets.
        var request = JsonNode.Parse(injector.Bodies["RunTask"])!;
        Assert.Matches("^sls-fargate-run-[0-9a-f]{32}$", request["startedBy"]!.GetValue<string>());
        Assert.EndsWith(request["clientToken"]!.GetValue<string>(), request["startedBy"]!.GetValue<string>());
        var tasks = JsonNode.Parse(moto.Aws("ecs", "list-tasks", "--cluster", Cluster($"{name}-dev"), "--started-by", request["startedBy"]!.GetValue<string>()).Out)!["taskArns"]!.AsArray();
        Assert.Single(tasks);
        var described = JsonNode.Parse(moto.Aws(["ecs", "describe-tasks", "--cluster", Cluster($"{name}-dev"), "--tasks", .. tasks.Select(t => t!.GetValue<string>())]).Out)!["tasks"]![0]!;
        var overrides = described["overrides"]!["containerOverrides"]![0]!;
        Assert.Equal("""["./migrate","--to","v 2"]""", overrides["command"]!.ToJsonString());
        Assert.Equal(
            """[{"name":"DRY_RUN","value":"1"},{"name":"GREETING","value":"hello\nworld"},{"name":"PATTERN","value":"$HOME is not expanded"},{"name":"MIGRATE_TOKEN","value":"t0ken"}]""",
            overrides["environment"]!.ToJsonString());
        var network = JsonNode.Parse(injector.Bodies["RunTask"])!["networkConfiguration"]!["awsvpcConfiguration"]!;
        Assert.Equal(new[] { Physical($"{name}-dev", "FargateVpcPublicSubnet1"), Physical($"{name}-dev", "FargateVpcPublicSubnet2") },
            network["subnets"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal([Physical($"{name}-dev", "FargateTasksSecurityGroup")], network["securityGroups"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal("ENABLED", network["assignPublicIp"]!.GetValue<string>());
        Assert.Equal("FARGATE", JsonNode.Parse(injector.Bodies["RunTask"])!["launchType"]!.GetValue<string>());
    }

    [Fact]
    public void A_template_over_51200_bytes_goes_through_the_s3_bucket_given_and_without_one_deploy_says_how()
    {
        var name = Unique("large");
        var folder = Directory.CreateTempSubdirectory("sls-fargate-ops-");
        File.WriteAllText(Path.Combine(folder.FullName, "serverless.yml"), Configs.OverInlineLimit(name));

        var refused = Cli(folder, "deploy");
        Assert.Equal(ExitCodes.AwsFailure, refused.ExitCode);
        Assert.Matches(@"sls-fargate: the template is \d{2},\d{3} bytes, over CloudFormation's 51,200-byte limit for templates sent inline: name an S3 bucket to upload it to with --bucket\n$", refused.Error);

        var noBucket = Cli(folder, "deploy", "--bucket", "no-such-bucket");
        Assert.Equal(ExitCodes.AwsFailure, noBucket.ExitCode);
        Assert.Matches(@"sls-fargate: cannot upload the template to s3://no-such-bucket/sls-fargate/.+: S3 PutObject failed: NoSuchBucket: ", noBucket.Error);

        Assert.Equal(0, moto.Aws("s3api", "create-bucket", "--bucket", "deploys", "--create-bucket-configuration", "LocationConstraint=eu-west-1").ExitCode);
        var deploy = Cli(folder, "deploy", "--bucket", "deploys");

        Assert.True(deploy.ExitCode == 0, deploy.Error);
        Assert.Matches($@"Uploaded the template \([\d,]+ bytes\) to s3://deploys/sls-fargate/{name}-dev/\d{{8}}T\d{{9}}Z/cloudformation-template.json", deploy.Error);
        Assert.Contains($"Deployed {name}-dev (CREATE_COMPLETE)", deploy.Error);
        Assert.Contains("Worker40Task", moto.Aws("cloudformation", "list-stack-resources", "--stack-name", $"{name}-dev").Out);
    }

    [Fact]
    public void A_failed_deploy_names_the_first_resource_that_failed_and_why_and_exits_3()
    {
        var name = Unique("failed");
        var folder = Service(name);
        // CloudFormation rolls the new stack back: a failed service, then the cancelled rest.
        var injector = new FaultInjector();
        var executed = false;
        injector.RewriteText["ExecuteChangeSet"] = xml =>
        {
            executed = true;
            return xml;
        };
        injector.RewriteText["DescribeStacks"] = xml => executed
            ? xml.Replace("<StackStatus>CREATE_COMPLETE</StackStatus>", "<StackStatus>ROLLBACK_COMPLETE</StackStatus>")
            : xml;
        injector.RewriteText["DescribeStackEvents"] = xml => executed
            ? xml.Replace("<StackEvents>", "<StackEvents>" +
                Event("e4", "ROLLBACK_COMPLETE", "AWS::CloudFormation::Stack", name + "-dev", null) +
                Event("e3", "CREATE_FAILED", "AWS::ECS::TaskDefinition", "NightlyTask", "Resource creation cancelled") +
                Event("e2", "CREATE_FAILED", "AWS::ECS::Service", "WebService", "Invalid request provided: CreateService error: subnet not found") +
                Event("e1", "CREATE_IN_PROGRESS", "AWS::ECS::Service", "WebService", null) +
                Event("e0", "CREATE_COMPLETE", "AWS::ECS::Cluster", "FargateTasksCluster", null))
            : xml;

        var deploy = Cli(folder, injector, default, null, "deploy");

        Assert.Equal(ExitCodes.AwsFailure, deploy.ExitCode);
        Assert.Matches(@"  \d\d:\d\d:\d\d  \[1/\d+\] +CREATE_FAILED         AWS::ECS::Service                     WebService  Invalid request provided: CreateService error: subnet not found\n", deploy.Error);
        Assert.Matches(@"  \d\d:\d\d:\d\d  {6,} ROLLBACK_COMPLETE     AWS::CloudFormation::Stack", deploy.Error);
        Assert.EndsWith($"sls-fargate: the deploy of {name}-dev failed (ROLLBACK_COMPLETE): WebService (AWS::ECS::Service): Invalid request provided: CreateService error: subnet not found\n", deploy.Error);
    }

    private static string Event(string id, string status, string type, string logicalId, string? reason) =>
        $"<member><EventId>{id}</EventId><LogicalResourceId>{logicalId}</LogicalResourceId><ResourceType>{type}</ResourceType>" +
        $"<Timestamp>{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ}</Timestamp><ResourceStatus>{status}</ResourceStatus>" +
        (reason is null ? "" : $"<ResourceStatusReason>{reason}</ResourceStatusReason>") + "</member>";

    [Fact]
    public void Run_stops_waiting_at_its_timeout_with_124_and_on_interrupt_with_130_stopping_the_task_when_asked()
    {
        var (name, folder) = Deployed("waits");
        ManualTaskProgress(1000);

        var timedOut = Cli(folder, "run", "migrate", "--timeout", "1s");
        Assert.Equal(124, timedOut.ExitCode);
        Assert.Matches(@"Stopped waiting after 1s; the task is still RUNNING: arn:aws:ecs:", timedOut.Error);

        // Interrupted while it runs: the task is left running, or stopped with --stop-on-interrupt.
        foreach (var stop in new[] { false, true })
        {
            using var interrupt = new CancellationTokenSource();
            var injector = new FaultInjector();
            injector.After["DescribeTasks"] = _ => interrupt.Cancel();
            var interrupted = Cli(folder, injector, interrupt.Token, null, ["run", "migrate", .. stop ? new[] { "--stop-on-interrupt" } : []]);
            Assert.Equal(130, interrupted.ExitCode);
            Assert.Equal(stop, injector.Calls.Contains("StopTask"));
            Assert.Contains(stop ? "Interrupted: asked ECS to stop" : "Interrupted: stopped waiting; the task goes on running", interrupted.Error);
        }
    }

    [Fact]
    public void What_the_container_and_ecs_said_is_printed_with_its_control_characters_escaped_unless_raw()
    {
        var (name, folder) = Deployed("escape");
        var group = moto.LogGroup($"{name}-dev");
        ManualTaskProgress(1);
        // The container logs a line that would retitle the terminal, and ECS's reason holds a C1 CSI.
        string RunWith(params string[] options)
        {
            var injector = new FaultInjector();
            injector.After["RunTask"] = answer =>
                moto.PutLogLines(group, $"fargate/migrate/{answer["tasks"]![0]!["taskArn"]!.GetValue<string>().Split('/').Last()}", "\u001b]0;pwned\u0007done\r");
            injector.RewriteTasks(task =>
            {
                task["stoppedReason"] = "Essential container exited\u009b2K";
                task["containers"]![0]!["name"] = "migrate";
                task["containers"]![0]!["exitCode"] = 0;
            });
            var run = Cli(folder, injector, default, null, ["run", "migrate", .. options]);
            Assert.True(run.ExitCode == 0, run.Output);
            return run.Output;
        }

        var escaped = RunWith();
        var raw = RunWith("--raw");

        // (A line's trailing CR is the line end's, as before, not part of what is shown.)
        Assert.Contains("] \\x1b]0;pwned\\x07done\n", escaped);
        Assert.Contains("migrate stopped (Essential container exited\\x9b2K): container migrate exited with 0", escaped);
        Assert.DoesNotContain(escaped, Aws.TerminalText.IsEscaped);
        Assert.Contains("] \u001b]0;pwned\u0007done\n", raw);
        Assert.Contains("(Essential container exited\u009b2K)", raw);
    }

    [Fact]
    public void Status_deploy_events_and_error_messages_escape_what_aws_said()
    {
        var (name, folder) = Deployed("escapes");

        // A service event with a bidi override, shown by status as text and kept as data in JSON.
        var events = new FaultInjector();
        events.Rewrite["DescribeServices"] = answer =>
        {
            foreach (var service in answer["services"]!.AsArray())
            {
                service!["events"] = new JsonArray(new JsonObject { ["createdAt"] = 1764200000, ["message"] = "(service web) failed: user\u202e \u2066nimda\u2069" });
            }
        };
        var text = Cli(folder, events, default, null, "status");
        var json = Cli(folder, events, default, null, "status", "--format", "json");
        Assert.True(text.ExitCode == 0 && json.ExitCode == 0, text.Error + json.Error);
        Assert.Contains("(service web) failed: user\\u202e \\u2066nimda\\u2069", text.Out);
        Assert.DoesNotContain(text.Out, Aws.TerminalText.IsEscaped);
        Assert.DoesNotContain(json.Out, Aws.TerminalText.IsEscaped);
        Assert.Equal("2025-11-26 23:33 UTC (service web) failed: user\u202e \u2066nimda\u2069",
            JsonNode.Parse(json.Out)!["tasks"]![2]!["failures"]![0]!.GetValue<string>());

        // A stack event's reason (XML 1.0 cannot carry C0 controls; C1 and bidi it can), in the
        // event's line and in the error that ends the deploy.
        Write(folder, name, "2");
        var rollback = new FaultInjector();
        var executed = false;
        rollback.RewriteText["ExecuteChangeSet"] = xml =>
        {
            executed = true;
            return xml;
        };
        rollback.RewriteText["DescribeStacks"] = xml => executed
            ? System.Text.RegularExpressions.Regex.Replace(xml, "<StackStatus>[A-Z_]+</StackStatus>", "<StackStatus>UPDATE_ROLLBACK_COMPLETE</StackStatus>")
            : xml;
        rollback.RewriteText["DescribeStackEvents"] = xml => executed
            ? xml.Replace("<StackEvents>", "<StackEvents>" + Event("x1", "UPDATE_FAILED", "AWS::ECS::Service", "WebService", "bad value \u009b2K\u202e"))
            : xml;
        var deploy = Cli(folder, rollback, default, null, "deploy");
        Assert.Equal(ExitCodes.AwsFailure, deploy.ExitCode);
        Assert.Contains("WebService  bad value \\x9b2K\\u202e\n", deploy.Error);
        Assert.EndsWith("WebService (AWS::ECS::Service): bad value \\x9b2K\\u202e\n", deploy.Error);
        Assert.DoesNotContain(deploy.Error, Aws.TerminalText.IsEscaped);

        // ECS's reason for not starting a task, in the one line the command ends with, --raw or not.
        var refused = new FaultInjector();
        refused.Replace["RunTask"] = () => new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StringContent("""{"tasks":[],"failures":[{"reason":"RESOURCE:\u001b[2KMEMORY"}]}"""),
        };
        foreach (var raw in new[] { false, true })
        {
            var run = Cli(folder, refused, default, null, ["run", "migrate", .. raw ? new[] { "--raw" } : []]);
            Assert.Equal("sls-fargate: ECS did not start migrate: RESOURCE:\\x1b[2KMEMORY\n", run.Error);
        }
    }

    [Fact]
    public void A_task_that_stops_before_its_container_runs_exits_125_with_ecs_reason()
    {
        var (name, folder) = Deployed("nopull");
        ManualTaskProgress(1);
        var injector = new FaultInjector();
        injector.RewriteTasks(task =>
        {
            task["stopCode"] = "TaskFailedToStart";
            task["stoppedReason"] = "CannotPullContainerError: pull image manifest has been retried 5 time(s): not found";
            task["containers"]![0]!.AsObject().Remove("exitCode");
        });

        var run = Cli(folder, injector, default, null, "run", "migrate");

        Assert.Equal(ExitCodes.RunFailed, run.ExitCode);
        Assert.EndsWith("migrate stopped before its container ran (CannotPullContainerError: pull image manifest has been retried 5 time(s): not found)\n", run.Error);
    }

    [Fact]
    public void Deploy_refuses_images_the_framework_builds_and_says_to_use_the_framework()
    {
        var folder = Directory.CreateTempSubdirectory("sls-fargate-ops-");
        File.WriteAllText(Path.Combine(folder.FullName, "serverless.yml"), """
            service: built
            provider:
              name: aws
              ecr:
                images:
                  app:
                    path: ./
            fargate:
              vpc:
                subnetIds: [subnet-0123456789abcdef0]
              tasks:
                worker:
                  image: app
            """);

        var deploy = Cli(folder, "deploy");

        Assert.Equal(ExitCodes.UsageError, deploy.ExitCode);
        Assert.EndsWith("sls-fargate: the image `app` (built from ./) is built by the Serverless Framework, which sls-fargate deploy does not do: deploy with serverless deploy, or give the task an image URI\n", deploy.Error);
        Assert.DoesNotContain("DescribeStacks", deploy.Error);
    }

    [Fact]
    public void A_change_set_that_cloudformation_finds_empty_is_no_changes_and_is_deleted()
    {
        var (name, folder) = Deployed("empty");
        // The deployed template reads differently (as after a deploy by another tool), so a
        // change set is made, and CloudFormation answers that it holds no changes.
        var injector = new FaultInjector();
        injector.RewriteText["GetTemplate"] = xml => xml.Replace("<TemplateBody>", "<TemplateBody> ");
        injector.RewriteText["DescribeChangeSet"] = xml => System.Text.RegularExpressions.Regex.Replace(
            xml, "<Status>[A-Z_]+</Status>",
            "<Status>FAILED</Status><StatusReason>The submitted information didn't contain changes. Submit different information to create a change set.</StatusReason>");

        var deploy = Cli(folder, injector, default, null, "deploy");

        Assert.True(deploy.ExitCode == 0, deploy.Error);
        Assert.EndsWith($"No changes: the stack {name}-dev already holds what this template describes.\n", deploy.Error);
        Assert.Contains("DeleteChangeSet", injector.Calls);
        Assert.DoesNotContain("ExecuteChangeSet", injector.Calls);
    }

    [Fact]
    public void Ctrl_c_during_a_deploy_stops_waiting_with_130_and_says_the_stack_operation_goes_on()
    {
        var name = Unique("cut");
        var folder = Service(name);
        using var interrupt = new CancellationTokenSource();
        var injector = new FaultInjector();
        injector.RewriteText["ExecuteChangeSet"] = xml =>
        {
            interrupt.Cancel();
            return xml;
        };

        var deploy = Cli(folder, injector, interrupt.Token, null, "deploy");

        Assert.Equal(130, deploy.ExitCode);
        Assert.EndsWith($"sls-fargate: interrupted; CloudFormation goes on creating the stack {name}-dev to its end (sls-fargate status, or the CloudFormation console, shows how it ends)\n", deploy.Error);
        Assert.DoesNotContain("internal error", deploy.Error);
    }

    [Fact]
    public void Run_detached_prints_the_task_arn_and_returns_at_once()
    {
        var (name, folder) = Deployed("detach");

        var run = Cli(folder, "run", "web", "--detach");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Matches(@"^arn:aws:ecs:eu-west-1:123456789012:task/.+/[0-9a-f-]{36}\n$", run.Out);
    }

    [Fact]
    public void Run_of_a_task_ecs_cannot_start_exits_125_with_the_reason_in_one_line()
    {
        var name = Unique("nostart");
        var folder = Service(name);
        var config = Path.Combine(folder.FullName, "serverless.yml");
        File.WriteAllText(config, File.ReadAllText(config).Replace("      exec: false\n", "      exec: false\n      spot: true\n"));
        Assert.Equal(0, Cli(folder, "deploy").ExitCode);
        var injector = new FaultInjector();
        injector.Replace["RunTask"] = () => new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StringContent("""{"tasks":[],"failures":[{"arn":"arn:aws:ecs:eu-west-1:123456789012:container-instance/x","reason":"RESOURCE:FARGATE_SPOT","detail":"no Spot capacity"}]}"""),
        };

        var run = Cli(folder, injector, default, null, "run", "migrate");

        Assert.Equal(ExitCodes.RunFailed, run.ExitCode);
        Assert.Equal("sls-fargate: ECS did not start migrate: RESOURCE:FARGATE_SPOT (no Spot capacity)\n", run.Error);

        // A Spot task asks for the Spot capacity provider, as its schedules and service do.
        var request = JsonNode.Parse(injector.Bodies["RunTask"])!;
        Assert.Equal("""[{"capacityProvider":"FARGATE_SPOT","weight":1}]""", request["capacityProviderStrategy"]!.ToJsonString());
        Assert.Null(request["launchType"]);
        Assert.Equal("TASK_DEFINITION", request["propagateTags"]!.GetValue<string>());
    }

    [Fact]
    public void Logs_prints_every_run_merged_in_time_order_and_follow_keeps_printing_until_interrupted()
    {
        var (name, folder) = Deployed("logs");
        var group = moto.LogGroup($"{name}-dev");
        moto.PutLogLines(group, "fargate/web/aaaaaaaa1111", "first run: started");
        Thread.Sleep(5);
        moto.PutLogLines(group, "fargate/web/bbbbbbbb2222", "second run: started");
        moto.PutLogLines(group, "fargate/migrate/cccccccc3333", "another task's line");

        var logs = Cli(folder, "logs", "web", "--since", "5m");

        Assert.True(logs.ExitCode == 0, logs.Error);
        var lines = logs.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.EndsWith("[aaaaaaaa] first run: started", lines[0]);
        Assert.EndsWith("[bbbbbbbb] second run: started", lines[1]);

        // --filter keeps the lines that match a CloudWatch Logs pattern.
        var filtered = Cli(folder, "logs", "web", "--since", "5m", "--filter", "second");
        Assert.Equal(["second run: started"], filtered.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l[(l.IndexOf("] ") + 2)..]));

        // --task-id keeps one run's lines.
        var one = Cli(folder, "logs", "web", "--task-id", "bbbbbbbb2222");
        Assert.Equal(["second run: started"], one.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l[(l.IndexOf("] ") + 2)..]));

        // --follow prints lines that arrive later, each once, until the test interrupts it.
        using var interrupt = new CancellationTokenSource();
        var injector = new FaultInjector();
        var polls = 0;
        injector.After["FilterLogEvents"] = _ =>
        {
            polls++;
            if (polls == 2)
            {
                moto.PutLogLines(group, "fargate/web/dddddddd4444", "third run: started");
            }
            if (polls == 6)
            {
                interrupt.Cancel();
            }
        };
        var follow = Cli(folder, injector, interrupt.Token, null, "logs", "web", "--follow", "--since", "5m");
        Assert.True(follow.ExitCode == 0, follow.Error);
        Assert.Equal(["first run: started", "second run: started", "third run: started"],
            follow.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l[(l.IndexOf("] ") + 2)..]));
    }

    [Fact]
    public void Status_shows_services_and_schedules_with_their_next_runs_as_text_and_json()
    {
        var (name, folder) = Deployed("status");

        var text = Cli(folder, "status");

        Assert.True(text.ExitCode == 0, text.Error);
        Assert.Contains($"Stack {name}-dev (eu-west-1)", text.Out);
        Assert.Matches(@"TASK +KIND +CAPACITY +DESIRED +RUNNING +PENDING +DEPLOYMENT", text.Out);
        Assert.Matches(@"\nweb +service +on-demand +1 +\d +\d +\w+", text.Out);
        Assert.Matches(@"\nnightly +scheduled +on-demand +- +0 +0 +-", text.Out);
        Assert.Contains("nightly: cron(0 3 * * ? *) (UTC), ENABLED", text.Out);
        Assert.Matches(@"next runs: (\d{4}-\d\d-\d\d 03:00 UTC, ){2}\d{4}-\d\d-\d\d 03:00 UTC", text.Out);

        var json = Cli(folder, "status", "--format", "json");
        Assert.True(json.ExitCode == 0, json.Error);
        var tasks = JsonNode.Parse(json.Out)!["tasks"]!.AsArray();
        Assert.Equal(["migrate", "nightly", "web"], tasks.Select(t => t!["task"]!.GetValue<string>()));
        var nightly = tasks[1]!;
        Assert.Equal("scheduled", nightly["kind"]!.GetValue<string>());
        Assert.Equal("ENABLED", nightly["schedules"]![0]!["state"]!.GetValue<string>());
        Assert.Equal(3, nightly["schedules"]![0]!["nextRuns"]!.AsArray().Count);
        Assert.Equal(1, tasks[2]!["desired"]!.GetValue<long>());
    }

    [Fact]
    public void Status_shows_each_tasks_last_failure_and_where_its_alerts_go()
    {
        var name = Unique("alerts");
        var folder = Directory.CreateTempSubdirectory("sls-fargate-ops-");
        File.WriteAllText(Path.Combine(folder.FullName, "serverless.yml"), $"""
            service: {name}
            provider:
              name: aws
              region: eu-west-1
            fargate:
              vpc:
                subnetIds: [subnet-0123456789abcdef0]
              cloudFormationResource:
                container:
                  Memory: 512
              # A topic of the user's: with e-mail the stack would hold a topic policy, which moto
              # skips and then lists without a logical ID.
              alerts:
                topicArn: arn:aws:sns:eu-west-1:123456789012:ops
              tasks:
                nightly:
                  image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1.0
                  schedule: rate(1 day)
                report:
                  image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1.0
                  alerts:
                    on: []
                  events:
                    - eventBridge:
                        pattern:
                          source: [reports.app]
            """);
        Assert.Equal(0, Cli(folder, "deploy").ExitCode);
        var cluster = JsonNode.Parse(moto.Aws("cloudformation", "describe-stack-resource", "--stack-name", $"{name}-dev",
            "--logical-resource-id", "FargateTasksCluster").Out)!["StackResourceDetail"]!["PhysicalResourceId"]!.GetValue<string>();
        // Two runs of nightly, both stopped: one failed (exit 1), then a later one someone stopped (exit 137), which is no failure.
        var arns = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            var run = moto.Aws("ecs", "run-task", "--cluster", cluster, "--task-definition", "nightly", "--launch-type", "FARGATE",
                "--network-configuration", "awsvpcConfiguration={subnets=[subnet-0123456789abcdef0]}");
            Assert.True(run.ExitCode == 0, run.Output);
            arns.Add(JsonNode.Parse(run.Out)!["tasks"]![0]!["taskArn"]!.GetValue<string>());
            moto.Aws("ecs", "stop-task", "--cluster", cluster, "--task", arns[i]);
        }
        var injector = new FaultInjector();
        injector.RewriteTasks(task =>
        {
            var failed = task["taskArn"]!.GetValue<string>() == arns[0];
            task["lastStatus"] = "STOPPED";
            task["stopCode"] = failed ? "EssentialContainerExited" : "UserInitiated";
            task["stoppedReason"] = failed ? "Essential container in task exited" : "Task stopped by user";
            task["stoppedAt"] = failed ? 1764200000 : 1764203600;
            task["containers"]![0]!["name"] = "nightly";
            task["containers"]![0]!["exitCode"] = failed ? 1 : 137;
        });

        var text = Cli(folder, injector, default, null, "status");

        Assert.True(text.ExitCode == 0, text.Error);
        Assert.Contains($"nightly: last failure 2025-11-26 23:33 UTC: container nightly exited with 1: Essential container in task exited (task {arns[0].Split('/').Last()})\n" +
            "nightly: alerts to topic arn:aws:sns:eu-west-1:123456789012:ops; on failure\n", text.Out);
        Assert.Matches(@"\nreport +on events +on-demand", text.Out);
        Assert.DoesNotContain("report: alerts", text.Out);
        var json = JsonNode.Parse(Cli(folder, injector, default, null, "status", "--format", "json").Out)!["tasks"]!.AsArray();
        Assert.Equal("topic arn:aws:sns:eu-west-1:123456789012:ops; on failure", json.Single(t => t!["task"]!.GetValue<string>() == "nightly")!["alerts"]!.GetValue<string>());
        Assert.Null(json.Single(t => t!["task"]!.GetValue<string>() == "report")!["lastFailure"]);
    }

    /// <summary>
    /// With wholeEvent, a start ECS would not make is a failed execution of the task's state
    /// machine. moto runs no definition and aborts an execution without an error or cause, so the
    /// fault injector turns DescribeExecution's answer into the FAILED one Step Functions gives
    /// after three answers of no capacity.
    /// </summary>
    [Fact]
    public void Status_shows_a_start_the_state_machine_could_not_make_as_the_tasks_last_failure()
    {
        var name = Unique("whole");
        var folder = Directory.CreateTempSubdirectory("sls-fargate-ops-");
        File.WriteAllText(Path.Combine(folder.FullName, "serverless.yml"), $"""
            service: {name}
            provider:
              name: aws
              region: eu-west-1
            fargate:
              vpc:
                subnetIds: [subnet-0123456789abcdef0]
              cloudFormationResource:
                container:
                  Memory: 512
              tasks:
                report:
                  image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1.0
                  spot: true
                  events:
                    - eventBridge:
                        pattern:
                          source: [reports.app]
                        input:
                          wholeEvent: true
            """);
        Assert.Equal(0, Cli(folder, "deploy", "--yes").ExitCode);
        var machine = JsonNode.Parse(moto.Aws("cloudformation", "describe-stack-resource", "--stack-name", $"{name}-dev",
            "--logical-resource-id", "ReportEventStateMachine").Out)!["StackResourceDetail"]!["PhysicalResourceId"]!.GetValue<string>();
        // One execution that got nowhere (moto: ABORTED), one later that is still running (no failure).
        var first = moto.Aws("stepfunctions", "start-execution", "--state-machine-arn", machine, "--name", "7c0b9c2e-first");
        Assert.True(first.ExitCode == 0, first.Output);
        moto.Aws("stepfunctions", "stop-execution", "--execution-arn", JsonNode.Parse(first.Out)!["executionArn"]!.GetValue<string>());
        moto.Aws("stepfunctions", "start-execution", "--state-machine-arn", machine, "--name", "7c0b9c2e-second");

        // As moto keeps it: aborted, no error or cause
        var plain = Cli(folder, "status");
        Assert.True(plain.ExitCode == 0, plain.Error);
        Assert.Matches(@"report: last failure \d{4}-\d\d-\d\d \d\d:\d\d UTC: not started for an event: the state machine's execution ABORTED \(execution 7c0b9c2e-first\)\n", plain.Out);

        // As Step Functions reports a start that kept failing, with ECS's answer as the cause
        var injector = new FaultInjector();
        injector.Rewrite["DescribeExecution"] = answer =>
        {
            answer["status"] = "FAILED";
            answer["error"] = "TaskNotStarted";
            answer["cause"] = "[{\"Arn\":\"arn:aws:ecs:eu-west-1:123456789012:task-definition/report:1\",\"Reason\":\"Capacity is unavailable at this time\"}]";
        };
        var text = Cli(folder, injector, default, null, "status");

        Assert.True(text.ExitCode == 0, text.Error);
        Assert.Contains("not started for an event: the state machine's execution FAILED: TaskNotStarted: [{\"Arn\":\"arn:aws:ecs:eu-west-1:123456789012:task-definition/report:1\",\"Reason\":\"Capacity is unavailable at this time", text.Out);
        Assert.Equal(["ListExecutions", "ListExecutions", "ListExecutions", "DescribeExecution"], injector.Calls.Where(c => c.Contains("Execution", StringComparison.Ordinal)));
    }

    [Fact]
    public void Run_says_how_to_list_subnets_that_are_given_as_one_function()
    {
        // Given subnets from another stack's export, written as one !Split, deployed
        var name = Unique("split");
        var exporter = Path.Combine(Directory.CreateTempSubdirectory("sls-fargate-ops-").FullName, "network.json");
        File.WriteAllText(exporter, """
            {"Resources": {"Queue": {"Type": "AWS::SQS::Queue"}},
             "Outputs": {"Subnets": {"Value": "subnet-0123456789abcdef0,subnet-0123456789abcdef1", "Export": {"Name": "split-test-subnets"}}}}
            """);
        var network = moto.Aws("cloudformation", "create-stack", "--stack-name", $"{name}-network", "--template-body", $"file://{exporter}");
        Assert.True(network.ExitCode == 0, network.Output);
        moto.WaitForStack($"{name}-network");
        var folder = Directory.CreateTempSubdirectory("sls-fargate-ops-");
        File.WriteAllText(Path.Combine(folder.FullName, "serverless.yml"), $"""
            service: {name}
            provider:
              name: aws
              region: eu-west-1
            fargate:
              vpc:
                subnetIds: !Split [",", !ImportValue split-test-subnets]
              cloudFormationResource:
                container:
                  Memory: 512
              tasks:
                migrate:
                  image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1.0
                  service: false
            """);
        var deploy = Cli(folder, "deploy", "--yes");
        Assert.True(deploy.ExitCode == 0, deploy.Output);

        // When the task is run by hand
        var run = Cli(folder, "run", "migrate");

        // Then nothing starts, and the message says what run needs instead
        Assert.Equal(125, run.ExitCode);
        Assert.Contains("the task's subnet list is one function ({\"Fn::Split\":[\",\",{\"Fn::ImportValue\":\"split-test-subnets\"}]}), which only CloudFormation can work out; to use run, list them in vpc.subnetIds", run.Error);
        Assert.DoesNotContain("Exception", run.Error);
    }

    [Fact]
    public void Run_takes_subnets_and_a_group_from_the_stacks_parameters()
    {
        // Given subnets from a List parameter and a group from a String parameter, deployed with their defaults
        var name = Unique("params");
        var folder = Directory.CreateTempSubdirectory("sls-fargate-ops-");
        File.WriteAllText(Path.Combine(folder.FullName, "serverless.yml"), $"""
            service: {name}
            provider:
              name: aws
              region: eu-west-1
            fargate:
              vpc:
                subnetIds: !Ref PrivateSubnets
                securityGroupIds: [!Ref TaskGroup]
              cloudFormationResource:
                container:
                  Memory: 512 # moto's RunTask needs a container-level memory
              tasks:
                migrate:
                  image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1.0
                  service: false
            resources:
              Parameters:
                PrivateSubnets:
                  Type: List<AWS::EC2::Subnet::Id>
                  Default: subnet-0123456789abcdef0, subnet-0123456789abcdef1
                TaskGroup:
                  Type: String
                  Default: sg-0123456789abcdef0
            """);
        var deploy = Cli(folder, "deploy", "--yes");
        Assert.True(deploy.ExitCode == 0, deploy.Output);

        // When the task is run by hand
        var injector = new FaultInjector();
        var run = Cli(folder, injector, default, null, "run", "migrate", "--detach");

        // Then ECS is asked to start it in the parameters' subnets and group, as the stack holds them
        Assert.True(run.ExitCode == 0, run.Error);
        var network = JsonNode.Parse(injector.Bodies["RunTask"])!["networkConfiguration"]!["awsvpcConfiguration"]!;
        Assert.Equal("""["subnet-0123456789abcdef0","subnet-0123456789abcdef1"]""", network["subnets"]!.ToJsonString());
        Assert.Equal("""["sg-0123456789abcdef0"]""", network["securityGroups"]!.ToJsonString());

        // And a parameter the stack hides (NoEcho) is a usage error that says so, with nothing started
        var hidden = new FaultInjector();
        hidden.RewriteText["DescribeStacks"] = xml => System.Text.RegularExpressions.Regex.Replace(xml,
            "<ParameterValue>subnet-[^<]*</ParameterValue>", "<ParameterValue>****</ParameterValue>");
        var masked = Cli(folder, hidden, default, null, "run", "migrate", "--detach");
        Assert.Equal(125, masked.ExitCode);
        Assert.Contains("the task's subnet list is the parameter PrivateSubnets, which the stack " + name + "-dev hides (NoEcho); write the IDs in the configuration to use run", masked.Error);
        Assert.DoesNotContain("RunTask", hidden.Calls);
    }

    [Fact]
    public void A_spot_service_with_fallback_shows_its_on_demand_twin_in_status()
    {
        var name = Unique("fallback");
        var folder = Directory.CreateTempSubdirectory("sls-fargate-ops-");
        File.WriteAllText(Path.Combine(folder.FullName, "serverless.yml"), $"""
            service: {name}
            provider:
              name: aws
              region: eu-west-1
            fargate:
              vpc:
                subnetIds: [subnet-0123456789abcdef0]
              tasks:
                worker:
                  image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1.0
                  spot:
                    fallback: true
            """);
        Assert.Equal(0, Cli(folder, "deploy").ExitCode);

        var status = Cli(folder, "status", "--format", "json");

        Assert.True(status.ExitCode == 0, status.Error);
        var rows = JsonNode.Parse(status.Out)!["tasks"]!.AsArray();
        Assert.Equal(["worker/service/spot", "worker/fallback/on-demand"],
            rows.Select(r => $"{r!["task"]}/{r["kind"]}/{r["capacity"]}"));
        Assert.Equal(0, rows[1]!["desired"]!.GetValue<long>());
    }

    [Fact]
    public void A_circuit_breaker_rollback_and_failure_events_show_in_status()
    {
        var (name, folder) = Deployed("breaker");
        var injector = new FaultInjector();
        injector.Rewrite["DescribeServices"] = answer =>
        {
            foreach (var service in answer["services"]!.AsArray())
            {
                service!["deployments"] = JsonNode.Parse("""[{"status":"PRIMARY","rolloutState":"FAILED","rolloutStateReason":"ECS deployment circuit breaker: tasks failed to start.","desiredCount":1,"runningCount":0,"failedTasks":3}]""");
                service["events"] = JsonNode.Parse("""[{"createdAt":1764200000,"message":"(service web) was unable to place a task. Reason: CannotPullContainerError."},{"createdAt":1764199000,"message":"(service web) has reached a steady state."}]""");
            }
        };

        var status = Cli(folder, injector, default, null, "status");

        Assert.True(status.ExitCode == 0, status.Error);
        Assert.Contains("FAILED, rolled back by the circuit breaker: ECS deployment circuit breaker: tasks failed to start.", status.Out);
        Assert.Contains("web: recent failures\n  2025-11-26 23:33 UTC (service web) was unable to place a task. Reason: CannotPullContainerError.", status.Out);
        Assert.DoesNotContain("steady state", status.Out);
    }

    [Fact]
    public void Exec_says_when_ecs_exec_is_off_when_session_manager_plugin_is_missing_and_otherwise_hands_the_session_to_it()
    {
        var name = Unique("exec");
        var folder = Service(name, exec: false);
        Assert.Equal(0, Cli(folder, "deploy").ExitCode);
        ManualTaskProgress(1000);
        Assert.Equal(0, Cli(folder, "run", "migrate", "--detach").ExitCode);

        // A task started without ECS Exec
        var off = Cli(folder, "exec", "migrate");
        Assert.Equal(ExitCodes.AwsFailure, off.ExitCode);
        Assert.Contains("ECS Exec is not enabled on task", off.Error);
        Assert.Contains("set `exec: true` on the task", off.Error);

        // With exec on, but no session-manager-plugin on PATH
        Write(folder, name, "1", exec: true);
        Assert.Equal(0, Cli(folder, "deploy").ExitCode);
        var run = Cli(folder, "run", "migrate", "--detach");
        var taskId = run.Out.Trim().Split('/').Last();
        // (moto leaves enableExecuteCommand out of DescribeTasks; the test puts it back.)
        var execOn = new FaultInjector();
        execOn.RewriteTasks(task => task["enableExecuteCommand"] = true);
        var missing = Cli(folder, execOn, default, null, "exec", "migrate", "--task-id", taskId);
        Assert.Equal(ExitCodes.AwsFailure, missing.ExitCode);
        Assert.Contains("session-manager-plugin is not installed", missing.Error);
        Assert.Contains("session-manager-working-with-install-plugin.html", missing.Error);

        // With a plugin on PATH, it gets the session in its environment, the region, StartSession
        // and the target; it records its arguments and the session it was given.
        var bin = Directory.CreateTempSubdirectory("sls-fargate-bin-");
        var plugin = Path.Combine(bin.FullName, "session-manager-plugin");
        var record = Path.Combine(bin.FullName, "args");
        var given = Path.Combine(bin.FullName, "session");
        var version = Path.Combine(bin.FullName, "version");
        File.WriteAllText(version, "1.2.650.0\n");
        File.WriteAllText(plugin, $"""
            #!/bin/sh
            if [ "$1" = --version ]; then cat '{version}'; exit 0; fi
            for a in "$@"; do printf '%s\n' "$a"; done > '{record}'
            printf '%s' "$AWS_SSM_START_SESSION_RESPONSE" > '{given}'
            exit 0

            """);
        File.SetUnixFileMode(plugin, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var injector = new FaultInjector();
        injector.Replace["ExecuteCommand"] = () => new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StringContent("""{"clusterArn":"c","containerName":"migrate","interactive":true,"session":{"sessionId":"ecs-execute-command-1","streamUrl":"wss://ssmmessages.eu-west-1.amazonaws.com/v1/data-channel/ecs-execute-command-1","tokenValue":"secret-session-token"}}"""),
        };
        injector.RewriteTasks(task =>
        {
            task["enableExecuteCommand"] = true;
            task["containers"]![0]!["name"] = "migrate";
            task["containers"]![0]!["runtimeId"] = "abc-123";
        });
        var exec = Cli(folder, injector, default, new() { ["PATH"] = bin.FullName }, "exec", "migrate", "--task-id", taskId, "--", "ls", "-la");
        Assert.True(exec.ExitCode == 0, exec.Error);
        Assert.Equal("ls -la", JsonNode.Parse(injector.Bodies["ExecuteCommand"])!["command"]!.GetValue<string>());

        // The same command as one string (as the plugin passes it), split as a shell would.
        var asString = Cli(folder, injector, default, new() { ["PATH"] = bin.FullName }, "exec", "migrate", "--task-id", taskId, "--command", "ls '-la'");
        Assert.True(asString.ExitCode == 0, asString.Error);
        Assert.Equal("ls -la", JsonNode.Parse(injector.Bodies["ExecuteCommand"])!["command"]!.GetValue<string>());
        var args = File.ReadAllLines(record);
        // The token is where only this user can read it (the environment), never in the
        // arguments, which every user of the machine can list (ps).
        Assert.Equal(["AWS_SSM_START_SESSION_RESPONSE", "eu-west-1", "StartSession", ""], args[..4]);
        Assert.DoesNotContain(args, arg => arg.Contains("secret-session-token", StringComparison.Ordinal));
        var session = JsonNode.Parse(File.ReadAllText(given))!;
        Assert.Equal(("ecs-execute-command-1", "secret-session-token"), (session["sessionId"]!.GetValue<string>(), session["tokenValue"]!.GetValue<string>()));
        Assert.Equal($"ecs:{Cluster($"{name}-dev")}_{taskId}_abc-123", JsonNode.Parse(args[4])!["Target"]!.GetValue<string>());
        Assert.Equal(moto.Endpoint + "/", args[5]);

        // A plugin too old to read the session from its environment is refused before ECS opens one.
        File.WriteAllText(version, "1.2.497.0\n");
        var sessions = injector.Calls.Count(c => c == "ExecuteCommand");
        var old = Cli(folder, injector, default, new() { ["PATH"] = bin.FullName }, "exec", "migrate", "--task-id", taskId);
        Assert.Equal(ExitCodes.AwsFailure, old.ExitCode);
        Assert.Contains("session-manager-plugin is version 1.2.497.0, which takes the session (and its token) only in its command line", old.Error);
        Assert.Contains("update it to 1.2.536.0 or later", old.Error);
        Assert.Equal(sessions, injector.Calls.Count(c => c == "ExecuteCommand"));
    }

    [Fact]
    public void Run_exits_125_for_each_failure_of_its_own_where_other_commands_keep_their_codes()
    {
        // run exits with its container's code, and a container may exit 1, 2 or 3 itself.
        var name = Unique("own");
        var folder = Service(name);

        // A usage mistake: an unknown task, a bad --timeout, an unknown option
        Assert.Equal([ExitCodes.RunFailed, ExitCodes.UsageError], new[] { "run", "logs" }.Select(c => Cli(folder, c, "migrat").ExitCode));
        var timeout = Cli(folder, "run", "migrate", "--timeout", "0s");
        Assert.Equal(ExitCodes.RunFailed, timeout.ExitCode);
        Assert.Contains("--timeout: the wait must be longer than 0s", timeout.Error);
        Assert.Equal(ExitCodes.RunFailed, Cli(folder, "run", "migrate", "--detatch").ExitCode);
        Assert.Equal(ExitCodes.RunFailed, Cli(folder, "run").ExitCode);

        // AWS: the stack is not deployed
        var missing = Cli(folder, "run", "migrate");
        Assert.Equal(ExitCodes.RunFailed, missing.ExitCode);
        Assert.Equal($"sls-fargate: the stack {name}-dev is not deployed in eu-west-1; deploy it first (serverless deploy, or sls-fargate deploy)\n", missing.Error);
        Assert.Equal(ExitCodes.AwsFailure, Cli(folder, "status").ExitCode);

        // An invalid configuration
        var config = Path.Combine(folder.FullName, "serverless.yml");
        File.WriteAllText(config, File.ReadAllText(config).Replace("\n  tasks:\n", "\n  cpu: 300\n  tasks:\n"));
        var invalid = Cli(folder, "run", "migrate");
        Assert.Equal(ExitCodes.RunFailed, invalid.ExitCode);
        Assert.Contains("error FG1003: fargate.cpu:", invalid.Error);
        Assert.Equal(ExitCodes.InputErrors, Cli(folder, "logs", "migrate").ExitCode);

        // --help is no failure.
        var help = Cli(folder, "run", "--help");
        Assert.Equal(ExitCodes.Ok, help.ExitCode);
        Assert.Contains("125 when sls-fargate itself fails", help.Out);
    }

    [Fact]
    public void A_stack_that_is_not_deployed_an_unknown_task_and_a_throttled_call_each_give_one_clear_line()
    {
        var name = Unique("missing");
        var folder = Service(name);

        var missing = Cli(folder, "status");
        Assert.Equal(ExitCodes.AwsFailure, missing.ExitCode);
        Assert.Equal($"sls-fargate: the stack {name}-dev is not deployed in eu-west-1; deploy it first (serverless deploy, or sls-fargate deploy)\n", missing.Error);

        var unknown = Cli(folder, "logs", "migrat");
        Assert.Equal(ExitCodes.UsageError, unknown.ExitCode);
        Assert.Contains("there is no task `migrat` in the configuration; did you mean `migrate`?", unknown.Error);

        // Throttled twice, then answered: the command retries and succeeds.
        Assert.Equal(0, Cli(folder, "deploy").ExitCode);
        var flaky = new FaultInjector();
        flaky.Throttle["DescribeServices"] = 2;
        var retried = Cli(folder, flaky, default, null, "status");
        Assert.True(retried.ExitCode == 0, retried.Error);
        Assert.Equal(3, flaky.Calls.Count(c => c == "DescribeServices"));

        // Throttled every time: it gives up after five attempts and says what AWS said.
        var always = new FaultInjector();
        always.Throttle["DescribeServices"] = int.MaxValue;
        var gaveUp = Cli(folder, always, default, null, "status");
        Assert.Equal(ExitCodes.AwsFailure, gaveUp.ExitCode);
        Assert.Equal("sls-fargate: ECS DescribeServices failed: ThrottlingException: Rate exceeded (gave up after 5 attempts)\n", gaveUp.Error);
    }

    [Fact]
    public async Task Scheduler_schedules_and_eventbridge_rules_are_read_with_their_state_and_missing_ones_are_null()
    {
        var name = $"report-{Guid.NewGuid():N}"[..20];
        var created = moto.Aws("scheduler", "create-schedule", "--name", name, "--schedule-expression", "cron(0 3 * * ? *)",
            "--schedule-expression-timezone", "Europe/Berlin", "--flexible-time-window", "Mode=OFF", "--state", "DISABLED",
            "--target", "Arn=arn:aws:ecs:eu-west-1:123456789012:cluster/c,RoleArn=arn:aws:iam::123456789012:role/r");
        Assert.True(created.ExitCode == 0, created.Output);
        Assert.Equal(0, moto.Aws("events", "put-rule", "--name", name, "--schedule-expression", "rate(1 day)").ExitCode);
        using var session = new Aws.AwsSession(new Aws.AwsSettings("eu-west-1", null, variable => variable switch
        {
            "AWS_ENDPOINT_URL" => moto.Endpoint,
            "AWS_ACCESS_KEY_ID" or "AWS_SECRET_ACCESS_KEY" => "testing",
            _ => null,
        }));
        var schedules = new Aws.Clients.SchedulesClient(session);

        var schedule = await schedules.GetScheduleAsync(name);
        var rule = await schedules.DescribeRuleAsync(name);

        Assert.Equal(new Aws.Clients.DeployedSchedule(name, "DISABLED", "cron(0 3 * * ? *)", "Europe/Berlin"), schedule);
        Assert.Equal(new Aws.Clients.DeployedSchedule(name, "ENABLED", "rate(1 day)", null), rule);
        Assert.Null(await schedules.GetScheduleAsync("no-such-schedule"));
        Assert.Null(await schedules.DescribeRuleAsync("no-such-rule"));
    }

    private string Cluster(string stack) => Physical(stack, "FargateTasksCluster");

    private string Physical(string stack, string logicalId) =>
        JsonNode.Parse(moto.Aws("cloudformation", "describe-stack-resource", "--stack-name", stack, "--logical-resource-id", logicalId).Out)!
            ["StackResourceDetail"]!["PhysicalResourceId"]!.GetValue<string>();

    [Fact]
    public void With_only_aws_region_set_the_template_and_every_aws_call_are_in_the_same_region()
    {
        // No --region, no provider.region, AWS_REGION set: the framework deploys to us-east-1,
        // and so do the template's ${aws:region} and sls-fargate's calls.
        var name = Unique("region");
        var folder = Directory.CreateTempSubdirectory("sls-fargate-ops-");
        File.WriteAllText(Path.Combine(folder.FullName, "serverless.yml"), $$"""
            service: {{name}}
            provider:
              name: aws
            fargate:
              vpc:
                subnetIds: [subnet-0123456789abcdef0]
              tasks:
                worker:
                  image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1.0
                  environment:
                    REGION: ${aws:region}
            """);
        var region = new Dictionary<string, string> { ["AWS_REGION"] = "eu-central-1" };
        var injector = new FaultInjector();

        var package = CliRunner.Run(folder.FullName, region, "package", "--out", "-");
        var deploy = Cli(folder, injector, default, region, "deploy");

        Assert.Contains("""{"Name":"REGION","Value":"us-east-1"}""", package.Out.Replace(" ", "").Replace("\n", ""));
        Assert.True(deploy.ExitCode == 0, deploy.Error);
        Assert.StartsWith("Note: the stack's region is us-east-1 (--region, then provider.region, then us-east-1, as the Serverless Framework decides); the environment's eu-central-1 is not used\n", deploy.Error);
        Assert.Contains($"Creating the stack {name}-dev in us-east-1", deploy.Error);
        Assert.Contains("/us-east-1/cloudformation/aws4_request", injector.Headers["CreateChangeSet"]["authorization"]);
    }
}
