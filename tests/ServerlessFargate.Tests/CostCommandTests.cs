using System.Text.Json.Nodes;
using ServerlessFargate.Cli;

namespace ServerlessFargate.Tests;

/// <summary>
/// `sls-fargate cost` as a user runs it: from the configuration alone (no AWS), and with
/// `--measured` and `status` against moto.
/// </summary>
public sealed class CostCommandTests(MotoServer moto) : IClassFixture<MotoServer>, IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("sls-fargate-cost-");

    public void Dispose() => _folder.Delete(recursive: true);

    private const string Config = """
        service: costs
        provider:
          name: aws
          region: us-east-1
        fargate:
          vpc:
            subnetIds: [subnet-0123456789abcdef0]
          tasks:
            api:
              image: public.ecr.aws/docker/library/nginx:1.27
            nightly:
              image: public.ecr.aws/docker/library/busybox:1.36
              cpu: 1024
              memory: 2GB
              schedule: cron(0 3 1 * ? *)
        """;

    /// <summary>An endpoint nothing listens on, and no credentials: a call to AWS would fail the command.</summary>
    private static readonly Dictionary<string, string> NoAws = new()
    {
        ["AWS_ENDPOINT_URL"] = "http://127.0.0.1:9",
        ["AWS_ACCESS_KEY_ID"] = "",
        ["AWS_SECRET_ACCESS_KEY"] = "",
    };

    private CliRun Cost(params string[] args) => CliRunner.Run(_folder.FullName, NoAws, ["cost", .. args]);

    private void Write(string yaml) => File.WriteAllText(Path.Combine(_folder.FullName, "serverless.yml"), yaml);

    [Fact]
    public void Cost_estimates_from_the_configuration_alone_with_durations_given_per_task()
    {
        Write(Config);

        var run = Cost("--format", "json", "--duration", "nightly=1h");

        Assert.True(run.ExitCode == ExitCodes.Ok, run.Error);
        var json = JsonNode.Parse(run.Out)!;
        // api: 0.0123425 × 730 = 9.010025; nightly: 1 run a month × 1 h × 0.04937 = 0.04937
        Assert.Equal(9.06m, json["monthlyTotal"]!.GetValue<decimal>());
        Assert.Equal(0.05m, json["items"]![1]!["monthly"]!.GetValue<decimal>());
        Assert.Equal("each run 1h (--duration)", json["items"]![1]!["assumptions"]![1]!.GetValue<string>());
    }

    [Fact]
    public void A_duration_for_no_task_or_that_is_no_duration_is_a_usage_mistake()
    {
        Write(Config);

        var unknown = Cost("--duration", "nightlyy=10m");
        var malformed = Cost("--duration", "nightly=ten minutes");
        var bare = Cost("--duration", "10m");

        Assert.Equal(ExitCodes.UsageError, unknown.ExitCode);
        Assert.Contains("--duration: there is no task `nightlyy` in the configuration; did you mean `nightly`?", unknown.Error);
        Assert.Equal(ExitCodes.UsageError, malformed.ExitCode);
        Assert.Contains("--duration nightly: `ten minutes` is not a duration", malformed.Error);
        Assert.Equal(ExitCodes.UsageError, bare.ExitCode);
        Assert.Contains("write TASK=DURATION, e.g. --duration nightly=30m", bare.Error);
    }

    [Fact]
    public void A_region_without_prices_exits_0_and_says_so()
    {
        Write(Config);

        var run = Cost("--region", "ap-southeast-7");

        Assert.True(run.ExitCode == ExitCodes.Ok, run.Error);
        Assert.Matches(@"\nno price data for ap-southeast-7 +unknown\n", run.Out);
        Assert.Matches(@"\nTOTAL +unknown\n", run.Out);
    }

    [Fact]
    public void Runs_are_taken_only_for_a_task_events_start_and_only_as_a_number()
    {
        Write(Config + "\n    upload:\n      image: public.ecr.aws/docker/library/busybox:1.36\n      events:\n        - eventBridge: {pattern: {source: [media.app]}}\n");

        var notEvents = Cost("--runs", "nightly=500");
        var notNumber = Cost("--runs", "upload=lots");
        var given = Cost("--runs", "upload=600", "--duration", "upload=10m", "--format", "json");

        Assert.Equal(2, notEvents.ExitCode);
        Assert.Contains("--runs nightly: the task has no `events`", notEvents.Error);
        Assert.Empty(notEvents.Out);
        Assert.Equal(2, notNumber.ExitCode);
        Assert.Contains("--runs upload: `lots` is not a number of runs a month", notNumber.Error);
        Assert.Equal(0, given.ExitCode);
        // 600 runs × 10 minutes × 0.0123425 an hour = 1.23425
        var upload = JsonNode.Parse(given.Out)!["items"]!.AsArray().Single(i => i!["name"]!.GetValue<string>() == "upload")!;
        Assert.Equal(1.23m, upload["monthly"]!.GetValue<decimal>());
    }

    [Fact]
    public void A_bad_estimated_duration_is_an_input_error_with_its_line_and_column()
    {
        Write(Config + "\n      estimatedDuration: soon\n");

        var run = Cost();

        Assert.Equal(ExitCodes.InputErrors, run.ExitCode);
        Assert.Contains("serverless.yml:16:26: error FG3050: fargate.tasks.nightly.estimatedDuration: `soon` is not a duration", run.Error);
        Assert.Equal("", run.Out);
    }

    [Fact]
    public void Measured_takes_a_scheduled_tasks_duration_from_its_last_runs_log_streams_and_says_how_many()
    {
        // Given a deployed stack whose nightly task ran three times, known by its log streams
        var cli = new MotoCli(moto);
        var (name, folder) = cli.Deployed("measure");
        var group = moto.LogGroup($"{name}-dev");
        var start = DateTimeOffset.UtcNow.AddDays(-3).ToUnixTimeMilliseconds();
        foreach (var (run, minutes) in new[] { ("0a1b2c3d4e5f40718293a4b5c6d7e8f9", 10), ("1a1b2c3d4e5f40718293a4b5c6d7e8f9", 20), ("2a1b2c3d4e5f40718293a4b5c6d7e8f9", 30) })
        {
            var stream = $"fargate/nightly/{run}";
            moto.Aws("logs", "create-log-stream", "--log-group-name", group, "--log-stream-name", stream);
            var events = new JsonArray(
                new JsonObject { ["timestamp"] = start, ["message"] = "starting" },
                new JsonObject { ["timestamp"] = start + minutes * 60_000, ["message"] = "done" });
            var put = moto.Aws("logs", "put-log-events", "--log-group-name", group, "--log-stream-name", stream, "--log-events", events.ToJsonString());
            Assert.True(put.ExitCode == 0, put.Output);
            start += 86_400_000;
        }

        // When cost measures them
        var measured = cli.Run(folder, "cost", "--measured", "--format", "json");

        // Then nightly's runs take their mean, 20 minutes, and the item says from how many runs
        Assert.True(measured.ExitCode == 0, measured.Error);
        var nightly = JsonNode.Parse(measured.Out)!["items"]!.AsArray().Single(i => i!["name"]!.GetValue<string>() == "nightly")!;
        Assert.Equal("each run 20m (the mean of 3 measured runs: 3 from log streams (first line to last, a little short))",
            nightly["assumptions"]![1]!.GetValue<string>());
        // cron(0 3 * * ? *): 30.44 runs a month × 1/3 h × (0.25 × 0.04048 + 0.5 × 0.004445) = 0.1252
        Assert.Equal(0.13m, nightly["monthly"]!.GetValue<decimal>());

        // --duration still has the last word
        var given = cli.Run(folder, "cost", "--measured", "--duration", "nightly=1h", "--format", "json");
        Assert.Contains("each run 1h (--duration)", given.Out);
    }

    [Fact]
    public void Measured_reads_a_run_ecs_still_lists_as_stopped_from_its_image_pull_to_its_stop()
    {
        // Given a deployed stack whose nightly task ran once and stopped
        var cli = new MotoCli(moto);
        var (name, folder) = cli.Deployed("stopped");
        var run = cli.Run(folder, "run", "nightly", "--detach");
        Assert.True(run.ExitCode == 0, run.Error);
        var arn = run.Out.Trim();
        var stop = moto.Aws("ecs", "stop-task", "--cluster", arn.Split('/')[1], "--task", arn);
        Assert.True(stop.ExitCode == 0, stop.Output);
        // moto's stopped tasks carry no times: this gives the run AWS's pullStartedAt, startedAt and
        // stoppedAt (epoch seconds), 40 s of image pull and 14m20s of running.
        var injector = new FaultInjector();
        injector.RewriteTasks(task =>
        {
            task["pullStartedAt"] = 1_800_000_000;
            task["startedAt"] = 1_800_000_040;
            task["stoppedAt"] = 1_800_000_900;
        });

        var measured = cli.Run(folder, injector, "cost", "--measured", "--format", "json");

        Assert.True(measured.ExitCode == 0, measured.Error);
        var nightly = JsonNode.Parse(measured.Out)!["items"]!.AsArray().Single(i => i!["name"]!.GetValue<string>() == "nightly")!;
        Assert.Equal("each run 15m (the mean of 1 measured run: 1 from ECS (image pull to stop, as billed))", nightly["assumptions"]![1]!.GetValue<string>());
    }

    [Fact]
    public void Measured_runs_are_ecs_stopped_tasks_as_billed_then_older_streams_never_a_running_one_or_one_counted_twice()
    {
        var at = new DateTimeOffset(2027, 3, 15, 3, 0, 0, TimeSpan.Zero);
        Aws.Clients.EcsTask Stopped(string id, int pullMinutes, int runMinutes) =>
            new($"arn:aws:ecs:eu-west-1:123456789012:task/shop/{id}", "STOPPED", "STOPPED", "arn:aws:ecs:eu-west-1:123456789012:task-definition/nightly:3",
                "EssentialContainerExited", null, at, at.AddMinutes(runMinutes), at.AddMinutes(-pullMinutes), null, null, false, null, [])
            { PullStartedAt = at.AddMinutes(-pullMinutes) };
        Aws.Clients.LogStream Stream(string id, int daysAgo, int minutes) =>
            new($"fargate/nightly/{id}", at.AddDays(-daysAgo), at.AddDays(-daysAgo).AddMinutes(minutes));

        var runs = Aws.Operations.RunDurations.Measure(
            // ECS bills from the image pull: 2 + 10 and 1 + 19 minutes
            [Stopped("aaaa", 2, 10), Stopped("bbbb", 1, 19)],
            ["arn:aws:ecs:eu-west-1:123456789012:task/shop/cccc"],
            // aaaa's stream is the run ECS still lists; cccc still runs; eeee has one line
            [Stream("aaaa", 0, 9), Stream("cccc", 0, 5), Stream("dddd", 1, 30), Stream("eeee", 2, 0)],
            "nightly")!;

        // (12 + 20 + 30) / 3 = 20.67 minutes: 20m40s
        Assert.Equal(3, runs.Runs);
        Assert.Equal(TimeSpan.FromSeconds(1240), runs.Mean);
        Assert.Equal("2 from ECS (image pull to stop, as billed), 1 from log streams (first line to last, a little short)", runs.How);
        Assert.Null(Aws.Operations.RunDurations.Measure([], [], [Stream("eeee", 2, 0)], "nightly"));
    }

    [Fact]
    public void Status_says_what_the_running_tasks_cost()
    {
        var cli = new MotoCli(moto);
        var (_, folder) = cli.Deployed("runcost");

        var text = cli.Run(folder, "status");
        var json = cli.Run(folder, "status", "--format", "json");

        Assert.True(text.ExitCode == 0 && json.ExitCode == 0, text.Error + json.Error);
        Assert.Matches(@"\nRunning now: \$[0-9.]+ an hour, \$[0-9.]+ a month at this rate \(the configuration's task sizes, eu-west-1 prices as of 2026-12-02", text.Out);
        var cost = JsonNode.Parse(json.Out)!["runningCost"]!;
        // Each running task of migrate (0.25 vCPU, 0.5 GB) is 0.0123425 an hour in eu-west-1.
        var running = JsonNode.Parse(json.Out)!["tasks"]!.AsArray().Sum(t => t!["running"]!.GetValue<long>());
        Assert.Equal(running * 0.0123425m, cost["hourly"]!.GetValue<decimal>());
    }
}
