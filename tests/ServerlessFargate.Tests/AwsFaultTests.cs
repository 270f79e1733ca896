using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ServerlessFargate.Aws;
using ServerlessFargate.Cli;

namespace ServerlessFargate.Tests;

/// <summary>
/// What the AWS commands do when the network or AWS misbehaves, one fault per test, through a
/// fault injector in front of moto: answers lost after AWS acted, endless page tokens, answers
/// of the wrong shape or size, hangs and Ctrl-C. Each test says which answer it changes.
/// </summary>
public sealed class AwsFaultTests(MotoServer moto) : IClassFixture<MotoServer>
{
    private readonly MotoCli _cli = new(moto);

    private string Cluster(string stack) =>
        JsonNode.Parse(moto.Aws("cloudformation", "describe-stack-resource", "--stack-name", stack, "--logical-resource-id", "FargateTasksCluster").Out)!
            ["StackResourceDetail"]!["PhysicalResourceId"]!.GetValue<string>();

    private int TasksStartedBy(string stack, string startedBy) =>
        JsonNode.Parse(moto.Aws("ecs", "list-tasks", "--cluster", Cluster(stack), "--started-by", startedBy).Out)!["taskArns"]!.AsArray().Count;

    private static bool Called(FaultInjector injector, string operation)
    {
        lock (injector.Calls)
        {
            return injector.Calls.Contains(operation);
        }
    }

    private static string Token(string body, string name) => JsonNode.Parse(body)![name]!.GetValue<string>();

    [Fact]
    public void Run_whose_answer_is_lost_after_ecs_started_the_task_finds_that_task_instead_of_starting_another()
    {
        var (name, folder) = _cli.Deployed("lost");
        // moto starts the task; its answer is replaced by a 503, as a load balancer would.
        var injector = new FaultInjector();
        injector.LoseAnswer["RunTask"] = (1, FaultInjector.ServiceUnavailable);

        var run = _cli.Run(folder, injector, "run", "migrate", "--detach");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Matches(@"^arn:aws:ecs:eu-west-1:\d{12}:task/\S+\n$", run.Out);
        Assert.Single(injector.AllBodies["RunTask"]);
        Assert.Equal(1, TasksStartedBy($"{name}-dev", Token(injector.Bodies["RunTask"], "startedBy")));
    }

    [Fact]
    public void Run_whose_answer_is_lost_and_whose_lookup_fails_says_a_task_may_have_started_and_how_to_find_it()
    {
        var (_, folder) = _cli.Deployed("lostlook");
        // ECS starts the task and its answer is lost; the role may not list tasks, so the look fails too.
        var injector = new FaultInjector();
        injector.LoseAnswer["RunTask"] = (1, FaultInjector.ServiceUnavailable);
        injector.Replace["ListTasks"] = () => FaultInjector.JsonError(HttpStatusCode.BadRequest, "AccessDeniedException", "not authorized to perform: ecs:ListTasks");

        var run = _cli.Run(folder, injector, "run", "migrate", "--detach");

        Assert.Equal(ExitCodes.RunFailed, run.ExitCode);
        Assert.Matches(@"AWS may have done it \(a task may have started: look for one started by sls-fargate-run-[0-9a-f]{32}\), and asking whether it did failed too \(ECS ListTasks failed: AccessDeniedException: .*\): check before running this again\n$", run.Error);
        Assert.Single(injector.AllBodies["RunTask"]);
    }

    [Fact]
    public void Ctrl_c_while_a_change_set_is_being_made_for_plan_leaves_nothing_behind_and_while_deletestack_hangs_removes_nothing()
    {
        var (name, folder) = _cli.Deployed("cutcs");
        MotoCli.Edit(folder, text => text.Replace("app:1.0\n      command", "app:2.0\n      command"));
        var injector = new FaultInjector();
        injector.Hang.Add("CreateChangeSet");
        injector.Hang.Add("DeleteStack");

        var plan = _cli.Run(folder, injector, InterruptOnceCalled(injector, "CreateChangeSet"), null, "plan");
        var remove = _cli.Run(folder, injector, InterruptOnceCalled(injector, "DeleteStack"), null, "remove", "--yes");

        Assert.Equal(ExitCodes.Interrupted, plan.ExitCode);
        Assert.EndsWith("sls-fargate: interrupted while CloudFormation prepared the change set; it was deleted and nothing was changed\n", plan.Error);
        Assert.Equal(ExitCodes.Interrupted, remove.ExitCode);
        Assert.EndsWith($"sls-fargate: interrupted before CloudFormation began deleting the stack {name}-dev; nothing was removed\n", remove.Error);
    }

    /// <summary>A token cancelled (Ctrl-C) a moment after the injector saw <paramref name="operation"/> called.</summary>
    private static CancellationToken InterruptOnceCalled(FaultInjector injector, string operation)
    {
        var interrupt = new CancellationTokenSource();
        _ = Task.Run(() =>
        {
            SpinWait.SpinUntil(() => Called(injector, operation), TimeSpan.FromSeconds(60));
            interrupt.CancelAfter(300);
        });
        return interrupt.Token;
    }

    [Fact]
    public void Run_whose_call_never_reached_ecs_is_sent_again_with_the_same_client_token_and_starts_one_task()
    {
        var (name, folder) = _cli.Deployed("retry");
        // The first two RunTask calls never reach moto: a reset, then a 503.
        var injector = new FaultInjector();
        injector.FailBeforeSending["RunTask"] = (2, () => injector.AllBodies["RunTask"].Count == 1 ? FaultInjector.Reset() : FaultInjector.ServiceUnavailable());

        var run = _cli.Run(folder, injector, "run", "migrate", "--detach");

        Assert.True(run.ExitCode == 0, run.Error);
        var bodies = injector.AllBodies["RunTask"];
        Assert.Equal(3, bodies.Count);
        Assert.Single(bodies.Select(b => Token(b, "clientToken")).Distinct());
        Assert.Equal(1, TasksStartedBy($"{name}-dev", Token(bodies[0], "startedBy")));
        // Between the attempts it looked for a task of this run before sending again.
        Assert.Equal(["RunTask", "ListTasks", "ListTasks", "RunTask", "ListTasks", "ListTasks", "RunTask"],
            injector.Calls.SkipWhile(c => c != "RunTask").TakeWhile(c => c is "RunTask" or "ListTasks"));
    }

    [Fact]
    public void Deploy_whose_create_and_execute_answers_are_lost_makes_one_change_set_and_executes_it_once()
    {
        var name = MotoCli.Unique("lostcs");
        var folder = MotoCli.Service(name);
        // CloudFormation makes the change set, then executes it; both answers are lost (503, reset).
        var injector = new FaultInjector();
        injector.LoseAnswer["CreateChangeSet"] = (1, FaultInjector.ServiceUnavailable);
        injector.LoseAnswer["ExecuteChangeSet"] = (1, FaultInjector.Reset);

        var deploy = _cli.Run(folder, injector, "deploy");

        Assert.True(deploy.ExitCode == 0, deploy.Error);
        Assert.Contains($"Deployed {name}-dev (CREATE_COMPLETE)", deploy.Error);
        Assert.Single(injector.AllBodies["CreateChangeSet"]);
        Assert.Single(injector.AllBodies["ExecuteChangeSet"]);
        Assert.Contains("ClientToken=", injector.Bodies["CreateChangeSet"]);
        Assert.Contains("ClientRequestToken=", injector.Bodies["ExecuteChangeSet"]);
    }

    [Fact]
    public void Remove_whose_answer_is_lost_after_cloudformation_began_deleting_follows_the_deletion()
    {
        var (name, folder) = _cli.Deployed("lostrm");
        // CloudFormation starts deleting; the answer is lost (503).
        var injector = new FaultInjector();
        injector.LoseAnswer["DeleteStack"] = (1, FaultInjector.ServiceUnavailable);

        var remove = _cli.Run(folder, injector, "remove", "--yes");

        Assert.True(remove.ExitCode == 0, remove.Error);
        Assert.Contains($"Removed {name}-dev", remove.Error);
        Assert.Single(injector.AllBodies["DeleteStack"]);
        Assert.Contains("ClientRequestToken=", injector.Bodies["DeleteStack"]);
    }

    [Fact]
    public void A_template_uploaded_to_s3_names_the_expected_bucket_owner_and_is_deployed_at_the_version_written()
    {
        var name = MotoCli.Unique("pinned");
        var folder = Directory.CreateTempSubdirectory("sls-fargate-moto-");
        File.WriteAllText(Path.Combine(folder.FullName, "serverless.yml"), Configs.OverInlineLimit(name));
        var bucket = MotoCli.Unique("tpl");
        Assert.Equal(0, moto.Aws("s3api", "create-bucket", "--bucket", bucket, "--create-bucket-configuration", "LocationConstraint=eu-west-1").ExitCode);
        Assert.Equal(0, moto.Aws("s3api", "put-bucket-versioning", "--bucket", bucket, "--versioning-configuration", "Status=Enabled").ExitCode);
        var injector = new FaultInjector();

        var deploy = _cli.Run(folder, injector, "deploy", "--bucket", bucket);

        Assert.True(deploy.ExitCode == 0, deploy.Error);
        Assert.Equal("123456789012", injector.Headers["PutObject"]["x-amz-expected-bucket-owner"]);
        var versions = JsonNode.Parse(moto.Aws("s3api", "list-object-versions", "--bucket", bucket).Out)!["Versions"]!.AsArray();
        var version = Assert.Single(versions)!["VersionId"]!.GetValue<string>();
        Assert.Contains(Uri.EscapeDataString($"?versionId={version}"), injector.Bodies["CreateChangeSet"]);
    }

    [Fact]
    public void A_page_token_that_comes_back_stops_the_read_with_one_line()
    {
        var (_, folder) = _cli.Deployed("pages");
        // ListStackResources hands out the same NextToken on every page.
        var injector = new FaultInjector();
        injector.RewriteText["ListStackResources"] = xml => xml.Replace("</ListStackResourcesResult>", "<NextToken>again</NextToken></ListStackResourcesResult>");

        var status = _cli.Run(folder, injector, "status");

        Assert.Equal(ExitCodes.AwsFailure, status.ExitCode);
        Assert.Equal("sls-fargate: CloudFormation ListStackResources: AWS answered something unexpected (the same page token twice; stopped reading)\n", status.Error);
        Assert.Equal(2, injector.Calls.Count(c => c == "ListStackResources"));
    }

    [Fact]
    public void Logs_whose_page_token_comes_back_stop_after_two_calls()
    {
        var (_, folder) = _cli.Deployed("logpages");
        // FilterLogEvents names the same next page each time.
        var injector = new FaultInjector();
        injector.Rewrite["FilterLogEvents"] = answer => answer["nextToken"] = "again";

        var logs = _cli.Run(folder, injector, "logs", "migrate", "--since", "1h");

        Assert.Equal(ExitCodes.AwsFailure, logs.ExitCode);
        Assert.Equal("sls-fargate: CloudWatch Logs FilterLogEvents: AWS answered something unexpected (the same page token twice; stopped reading)\n", logs.Error);
        Assert.Equal(2, injector.Calls.Count(c => c == "FilterLogEvents"));
    }

    [Fact]
    public void Page_tokens_without_end_stop_at_the_page_cap()
    {
        var (_, folder) = _cli.Deployed("endless");
        // Every ListTasks page names a new next page.
        var injector = new FaultInjector();
        injector.Rewrite["ListTasks"] = answer => answer["nextToken"] = Guid.NewGuid().ToString("N");

        var status = _cli.Run(folder, injector, "status");

        Assert.Equal(ExitCodes.AwsFailure, status.ExitCode);
        Assert.Equal("sls-fargate: ECS ListTasks: more than 20 pages; stopped reading\n", status.Error);
        Assert.Equal(20, injector.Calls.Count(c => c == "ListTasks"));
    }

    [Theory]
    [InlineData("status")]
    [InlineData("remove")]
    public void An_html_page_instead_of_aws_answer_is_unexpected_never_a_missing_stack(string command)
    {
        var (_, folder) = _cli.Deployed("html");
        // A proxy's sign-in page, with status 200, answers DescribeStacks.
        var injector = new FaultInjector();
        injector.Replace["DescribeStacks"] = () => new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StringContent("<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body>Sign in to continue</body></html>", Encoding.UTF8, "text/html"),
        };

        var run = _cli.Run(folder, injector, command == "remove" ? [command, "--yes"] : [command]);

        Assert.Equal(ExitCodes.AwsFailure, run.ExitCode);
        Assert.EndsWith("\nsls-fargate: CloudFormation DescribeStacks: AWS answered something unexpected (an HTML page with HTTP 200)\n", "\n" + run.Error);
        Assert.DoesNotContain("DeleteStack", injector.Calls);
    }

    [Fact]
    public void Xml_that_is_not_the_operations_answer_is_unexpected()
    {
        var (_, folder) = _cli.Deployed("xml");
        // Well-formed XML, but not a DescribeStacksResponse (what a misrouted request gets).
        var injector = new FaultInjector();
        injector.Replace["DescribeStacks"] = () => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("<ListBucketResult><Name>x</Name></ListBucketResult>") };

        var status = _cli.Run(folder, injector, "status");

        Assert.Equal(ExitCodes.AwsFailure, status.ExitCode);
        Assert.Equal("sls-fargate: CloudFormation DescribeStacks: AWS answered something unexpected (a <ListBucketResult> document without <DescribeStacksResult>)\n", status.Error);
    }

    [Fact]
    public void Numbers_where_strings_belong_are_unexpected_not_an_internal_error()
    {
        var (_, folder) = _cli.Deployed("types");
        // ListTasks lists numbers instead of task ARNs.
        var injector = new FaultInjector();
        injector.Rewrite["ListTasks"] = answer => answer["taskArns"] = new JsonArray(1, 2);

        var status = _cli.Run(folder, injector, "status");

        Assert.Equal(ExitCodes.AwsFailure, status.ExitCode);
        Assert.Equal("sls-fargate: ECS ListTasks: AWS answered something unexpected (`taskArns[0]` is a number, not a string)\n", status.Error);
    }

    [Fact]
    public void Xml_nested_too_deep_is_unexpected_not_a_crash()
    {
        var (_, folder) = _cli.Deployed("deep");
        // DescribeStacks answers with a status reason nested 200,000 elements deep (1.4 MB).
        var injector = new FaultInjector();
        injector.Replace["DescribeStacks"] = () => new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StringContent("<DescribeStacksResponse><DescribeStacksResult><Stacks><member><StackStatusReason>" +
                string.Concat(Enumerable.Repeat("<a>", 200_000)) + string.Concat(Enumerable.Repeat("</a>", 200_000)) +
                "</StackStatusReason></member></Stacks></DescribeStacksResult></DescribeStacksResponse>"),
        };

        var status = _cli.Run(folder, injector, "status");

        Assert.Equal(ExitCodes.AwsFailure, status.ExitCode);
        Assert.Equal("sls-fargate: CloudFormation DescribeStacks: AWS answered something unexpected (not XML: nested over 32 levels deep)\n", status.Error);
    }

    [Fact]
    public void A_resource_listed_twice_is_unexpected_not_an_internal_error()
    {
        var (_, folder) = _cli.Deployed("twicelisted");
        // ListStackResources names the cluster twice.
        var injector = new FaultInjector();
        injector.RewriteText["ListStackResources"] = xml =>
        {
            var start = xml.IndexOf("<member><LogicalResourceId>FargateTasksCluster<", StringComparison.Ordinal);
            var member = xml[start..(xml.IndexOf("</member>", start, StringComparison.Ordinal) + "</member>".Length)];
            return xml.Insert(start, member);
        };

        var status = _cli.Run(folder, injector, "status");

        Assert.Equal(ExitCodes.AwsFailure, status.ExitCode);
        Assert.Equal("sls-fargate: CloudFormation ListStackResources: AWS answered something unexpected (the resource FargateTasksCluster twice)\n", status.Error);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void An_answer_over_64_mb_is_refused_without_reading_it_all(bool announced)
    {
        var (_, folder) = _cli.Deployed("huge");
        // DescribeStacks answers with 300 MB, its length announced or not (chunked).
        var body = new EndlessStream(300L * 1024 * 1024);
        var injector = new FaultInjector();
        injector.Replace["DescribeStacks"] = () =>
        {
            var content = new StreamContent(body);
            content.Headers.ContentType = new("text/xml");
            content.Headers.ContentLength = announced ? body.Length : null;
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
        };

        var status = _cli.Run(folder, injector, "status");

        Assert.Equal(ExitCodes.AwsFailure, status.ExitCode);
        Assert.Equal(announced
            ? "sls-fargate: CloudFormation DescribeStacks: AWS answered something unexpected (an answer of 314,572,800 bytes, over the 67,108,864-byte limit)\n"
            : "sls-fargate: CloudFormation DescribeStacks: AWS answered something unexpected (an answer over the 67,108,864-byte limit)\n", status.Error);
        // Well short of the 300 MB (a proxy in between reads ahead by its socket buffers).
        Assert.True(body.Served <= 96L * 1024 * 1024, $"read {body.Served:N0} bytes");
    }

    [Fact]
    public void Ctrl_c_while_a_call_hangs_ends_run_within_two_seconds_and_stops_the_task_when_asked()
    {
        var (_, folder) = _cli.Deployed("hang");
        // DescribeTasks never answers; Ctrl-C comes half a second into the wait.
        var injector = new FaultInjector();
        injector.Hang.Add("DescribeTasks");
        using var interrupt = new CancellationTokenSource();
        injector.After["RunTask"] = _ => interrupt.CancelAfter(500);

        var clock = Stopwatch.StartNew();
        var run = _cli.Run(folder, injector, interrupt.Token, null, "run", "migrate", "--stop-on-interrupt");

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"took {clock.Elapsed}");
        Assert.Equal(ExitCodes.Interrupted, run.ExitCode);
        Assert.Contains("Interrupted: asked ECS to stop arn:aws:ecs:", run.Error);
        Assert.Contains("StopTask", injector.Calls);
    }

    [Fact]
    public void Ctrl_c_while_runtask_hangs_says_whether_a_task_was_started()
    {
        var (_, folder) = _cli.Deployed("hangrun");
        // RunTask never answers (and never reaches moto).
        var injector = new FaultInjector();
        injector.Hang.Add("RunTask");
        using var interrupt = new CancellationTokenSource();
        _ = Task.Run(() =>
        {
            SpinWait.SpinUntil(() => Called(injector, "RunTask"), TimeSpan.FromSeconds(30));
            interrupt.CancelAfter(300);
        });

        var run = _cli.Run(folder, injector, interrupt.Token, null, "run", "migrate");

        Assert.Equal(ExitCodes.Interrupted, run.ExitCode);
        Assert.EndsWith("sls-fargate: interrupted before ECS started migrate; no task was started\n", run.Error);
    }

    [Fact]
    public void A_second_ctrl_c_ends_the_process_at_once_while_the_first_one_tidies_up()
    {
        var (_, folder) = _cli.Deployed("twice");
        // As a process (the published build in CI), through a proxy in front of moto where
        // DescribeTasks and StopTask never answer: the first Ctrl-C tries to stop the task, and
        // the second ends the wait for that.
        var injector = new FaultInjector();
        injector.Hang.Add("DescribeTasks");
        injector.Hang.Add("StopTask");
        using var proxy = new FaultProxy(injector, moto.Endpoint);
        var executable = CliRunner.ExecutableUnderTest ?? Path.Combine(AppContext.BaseDirectory, "sls-fargate");
        var environment = new Dictionary<string, string>
        {
            ["AWS_ENDPOINT_URL"] = proxy.Endpoint,
            ["AWS_ACCESS_KEY_ID"] = "testing",
            ["AWS_SECRET_ACCESS_KEY"] = "testing",
        };
        var clock = new Stopwatch();

        var run = ProcessRunner.Run(executable, ["run", "migrate", "--stop-on-interrupt"], environment, folder.FullName, started: process =>
        {
            _ = Task.Run(() =>
            {
                SpinWait.SpinUntil(() => Called(injector, "DescribeTasks"), TimeSpan.FromSeconds(30));
                ProcessRunner.Interrupt(process);
                SpinWait.SpinUntil(() => Called(injector, "StopTask"), TimeSpan.FromSeconds(30));
                clock.Start();
                ProcessRunner.Interrupt(process);
            });
            return null;
        });

        Assert.Equal(ExitCodes.Interrupted, run.ExitCode);
        Assert.Contains("StopTask", injector.Calls);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"the second Ctrl-C took {clock.Elapsed} to end the process");
    }

    [Fact]
    public void A_refused_connection_is_retried_then_named_in_one_line()
    {
        var folder = MotoCli.Service(MotoCli.Unique("refused"));
        var closed = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        var injector = new FaultInjector();

        var status = _cli.Run(folder, injector, default, new Dictionary<string, string> { ["AWS_ENDPOINT_URL"] = $"http://127.0.0.1:{port}" }, "status");

        Assert.Equal(ExitCodes.AwsFailure, status.ExitCode);
        Assert.StartsWith($"sls-fargate: cannot reach CloudFormation at http://127.0.0.1:{port}/: Connection refused", status.Error);
        Assert.EndsWith("(gave up after 5 attempts)\n", status.Error);
    }

    [Fact]
    public void A_read_whose_connection_breaks_is_asked_again()
    {
        var (name, folder) = _cli.Deployed("reset");
        var injector = new FaultInjector();
        injector.LoseAnswer["DescribeStacks"] = (2, FaultInjector.Reset);

        var status = _cli.Run(folder, injector, "status");

        Assert.True(status.ExitCode == 0, status.Error);
        Assert.StartsWith($"Stack {name}-dev (eu-west-1)", status.Out);
        Assert.Equal(3, injector.Calls.Count(c => c == "DescribeStacks"));
    }

    [Fact]
    public async Task A_body_that_trickles_past_the_timeout_fails_the_attempt_and_is_retried()
    {
        // A server that sends headers at once, then one byte a second, for ever.
        var handler = new TrickleHandler();
        var settings = new AwsSettings("eu-west-1", null, name => name switch
        {
            "AWS_ACCESS_KEY_ID" => "testing",
            "AWS_SECRET_ACCESS_KEY" => "testing",
            "AWS_ENDPOINT_URL" => "http://127.0.0.1:9",
            _ => null,
        })
        { Handler = handler, Timeout = TimeSpan.FromMilliseconds(400), MaxAttempts = 2, RetryDelay = TimeSpan.FromMilliseconds(10) };
        using var session = new AwsSession(settings);

        var error = await Assert.ThrowsAsync<AwsException>(() => new Aws.Clients.CloudFormationClient(session).DescribeStackAsync("any"));

        Assert.Equal("CloudFormation DescribeStacks did not answer within 0.4 seconds (gave up after 2 attempts)", error.Message);
        Assert.Equal(2, handler.Requests);
    }

    /// <summary>A body of a given length that is made as it is read, counting what was read.</summary>
    private sealed class EndlessStream(long length) : Stream
    {
        public long Served { get; private set; }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get => Served; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - Served);
            buffer.AsSpan(offset, n).Fill((byte)'x');
            Served += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private sealed class TrickleHandler : HttpMessageHandler
    {
        public int Requests;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Requests);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new TrickleStream()) });
        }
    }

    private sealed class TrickleStream : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => 0; set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await Task.Delay(1000, cancellationToken);
            buffer.Span[0] = (byte)' ';
            return 1;
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
