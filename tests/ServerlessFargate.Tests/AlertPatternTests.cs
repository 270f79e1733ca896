using System.Text.Json.Nodes;

namespace ServerlessFargate.Tests;

/// <summary>
/// The rules `alerts` and `events` generate, held against sample events through
/// <see cref="EventPatternMatcher"/>: which ECS task stops send an e-mail, and which S3 uploads
/// start a task. The samples follow the shapes ECS and S3 document
/// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_task_events.html,
/// https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html).
/// </summary>
public sealed class AlertPatternTests
{
    private const string Account = "123456789012";
    private const string Region = "eu-west-1";
    private const string ClusterArn = $"arn:aws:ecs:{Region}:{Account}:cluster/alerts-dev-FargateTasksCluster-AbC123";
    private const string ClusterName = "alerts-dev-FargateTasksCluster-AbC123";

    private const string Config = """
        service: alerts
        provider:
          name: aws
          region: eu-west-1
        fargate:
          vpc:
            subnetIds: [subnet-0123456789abcdef0]
          alerts:
            email: [ops@example.com]
            on: [failure, deployment]
          tasks:
            nightly:
              image: public.ecr.aws/docker/library/busybox:1.36
              schedule: rate(1 day)
            web:
              image: public.ecr.aws/docker/library/busybox:1.36
            transcode:
              image: public.ecr.aws/docker/library/busybox:1.36
              alerts:
                on: []
              events:
                - s3:
                    bucket: uploads-0123456789
                    prefix: incoming/
                    suffix: .mp4
            report:
              image: public.ecr.aws/docker/library/busybox:1.36
              events:
                - eventBridge:
                    pattern:
                      source: [alerts.app]
                    input:
                      wholeEvent: true
        """;

    private const string ReportMachineArn = $"arn:aws:states:{Region}:{Account}:stateMachine:ReportEventStateMachine-AbC123";

    private static readonly Lazy<JsonObject> Resources = new(() =>
    {
        var result = Engine.PackageText(Config, new EngineOptions(Environment: _ => null));
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        return JsonNode.Parse(result.TemplateJson!)!["Resources"]!.AsObject();
    });

    /// <summary>One ECS Task State Change: the family's task, its stop code, and its containers' exit codes (null: the container never ran).</summary>
    private static JsonObject TaskStopped(string family, string lastStatus, string? stopCode, string? group, params int?[] exitCodes)
    {
        var detail = new JsonObject
        {
            ["clusterArn"] = ClusterArn,
            ["taskArn"] = $"arn:aws:ecs:{Region}:{Account}:task/{ClusterName}/0123456789abcdef0123456789abcdef",
            ["taskDefinitionArn"] = $"arn:aws:ecs:{Region}:{Account}:task-definition/{family}:7",
            ["group"] = group ?? "family:" + family,
            ["lastStatus"] = lastStatus,
            ["desiredStatus"] = "STOPPED",
            ["containers"] = new JsonArray([.. exitCodes.Select((code, i) =>
            {
                var container = new JsonObject { ["name"] = i == 0 ? family : "sidecar", ["lastStatus"] = "STOPPED" };
                if (code is { } exit)
                {
                    container["exitCode"] = exit;
                }
                return (JsonNode)container;
            })]),
        };
        if (stopCode is not null)
        {
            detail["stopCode"] = stopCode;
            detail["stoppedReason"] = stopCode == "TaskFailedToStart" ? "CannotPullContainerError: pull image manifest has been retried 5 time(s)" : "Essential container in task exited";
        }
        return new JsonObject
        {
            ["version"] = "0",
            ["id"] = "3317b2af-7005-947d-b652-f55e762e571a",
            ["detail-type"] = "ECS Task State Change",
            ["source"] = "aws.ecs",
            ["account"] = Account,
            ["region"] = Region,
            ["resources"] = new JsonArray(detail["taskArn"]!.GetValue<string>()),
            ["detail"] = detail,
        };
    }

    public static TheoryData<string, string, bool> FailureCases() => new()
    {
        { "a scheduled task whose container exits 1", "exit 1", true },
        { "a scheduled task whose container exits 0", "exit 0", false },
        { "a task that failed to start (image not pulled), no container ran", "failed to start", true },
        { "a service's task replaced by a deployment (SIGTERM, exit 143)", "replaced by deployment", false },
        { "a service's task removed by scale-in, exit 0", "scaled in", false },
        { "a service's task whose container crashed", "service crash", true },
        { "a task someone stopped (exit 137)", "user stopped", false },
        { "a task stopped by a Spot interruption before it finished", "spot interruption", true },
        { "a service's task taken back by Spot (ECS replaces it)", "service spot interruption", false },
        { "an exit 1 of another family in the cluster", "other family", false },
        { "an exit 1 of the same family in another cluster", "other cluster", false },
        { "the task still running (an exit code already known)", "running", false },
        { "one container exits 0 and another 2", "sidecar failed", true },
    };

    [Theory]
    [MemberData(nameof(FailureCases))]
    public void Failure_alert_fires_on_failed_tasks_only(string description, string sample, bool alerts)
    {
        var family = sample is "replaced by deployment" or "scaled in" or "service crash" or "service spot interruption" ? "web" : "nightly";
        var ruleId = family == "web" ? "WebFailureAlertRule" : "NightlyFailureAlertRule";
        var serviceGroup = family == "web" ? "service:web" : null;
        var @event = sample switch
        {
            "exit 1" => TaskStopped("nightly", "STOPPED", "EssentialContainerExited", null, 1),
            "exit 0" => TaskStopped("nightly", "STOPPED", "EssentialContainerExited", null, 0),
            "failed to start" => TaskStopped("nightly", "STOPPED", "TaskFailedToStart", null, [null]),
            "replaced by deployment" => TaskStopped("web", "STOPPED", "ServiceSchedulerInitiated", serviceGroup, 143),
            "scaled in" => TaskStopped("web", "STOPPED", "ServiceSchedulerInitiated", serviceGroup, 0),
            "service crash" => TaskStopped("web", "STOPPED", "EssentialContainerExited", serviceGroup, 1),
            "user stopped" => TaskStopped("nightly", "STOPPED", "UserInitiated", null, 137),
            "spot interruption" => TaskStopped("nightly", "STOPPED", "SpotInterruption", null, 143),
            "service spot interruption" => TaskStopped("web", "STOPPED", "SpotInterruption", serviceGroup, 143),
            "other family" => TaskStopped("nightlyreport", "STOPPED", "EssentialContainerExited", null, 1),
            "other cluster" => WithCluster(TaskStopped("nightly", "STOPPED", "EssentialContainerExited", null, 1), $"arn:aws:ecs:{Region}:{Account}:cluster/other"),
            "running" => TaskStopped("nightly", "RUNNING", null, null, 1),
            "sidecar failed" => TaskStopped("nightly", "STOPPED", "EssentialContainerExited", null, 0, 2),
            _ => throw new ArgumentException(sample),
        };

        var pattern = Pattern(ruleId);

        Assert.True(EventPatternMatcher.Matches(pattern, @event) == alerts, $"{description}: expected {(alerts ? "an alert" : "no alert")}");
        // `status` calls the same stopped tasks failures (its last failure) as the alert does.
        if (sample is not ("other family" or "other cluster" or "running"))
        {
            var detail = @event["detail"]!;
            Assert.Equal(alerts, Model.TaskFailure.IsFailure(detail["stopCode"]?.GetValue<string>(),
                detail["containers"]!.AsArray().Select(c => c!["exitCode"]?.GetValue<int?>()), service: family == "web"));
        }
    }

    [Theory]
    [InlineData("SERVICE_DEPLOYMENT_FAILED", "web", true)]
    [InlineData("SERVICE_DEPLOYMENT_COMPLETED", "web", false)]
    [InlineData("SERVICE_DEPLOYMENT_FAILED", "api", false)]
    public void Deployment_alert_fires_on_the_services_failed_deployment(string eventName, string service, bool alerts)
    {
        var @event = new JsonObject
        {
            ["source"] = "aws.ecs",
            ["detail-type"] = "ECS Deployment State Change",
            ["resources"] = new JsonArray($"arn:aws:ecs:{Region}:{Account}:service/{ClusterName}/{service}"),
            ["detail"] = new JsonObject { ["eventName"] = eventName, ["reason"] = "ECS deployment circuit breaker: tasks failed to start." },
        };

        Assert.Equal(alerts, EventPatternMatcher.Matches(Pattern("WebDeploymentAlertRule"), @event));
    }

    /// <summary>
    /// The state machine of a task whose events pass the whole event ends FAILED when ECS would
    /// not start the task; Step Functions' event shape:
    /// https://docs.aws.amazon.com/step-functions/latest/dg/eventbridge-integration.html
    /// </summary>
    [Theory]
    [InlineData("FAILED", true, true)]
    [InlineData("TIMED_OUT", true, true)]
    [InlineData("ABORTED", true, true)]
    [InlineData("SUCCEEDED", true, false)]
    [InlineData("RUNNING", true, false)]
    [InlineData("FAILED", false, false)]
    public void Start_failure_alert_fires_when_the_state_machine_could_not_start_the_task(string status, bool ours, bool alerts)
    {
        var machine = ours ? ReportMachineArn : $"arn:aws:states:{Region}:{Account}:stateMachine:Other";
        var @event = new JsonObject
        {
            ["source"] = "aws.states",
            ["detail-type"] = "Step Functions Execution Status Change",
            ["resources"] = new JsonArray($"arn:aws:states:{Region}:{Account}:execution:ReportEventStateMachine-AbC123:7c0b9c2e"),
            ["detail"] = new JsonObject
            {
                ["executionArn"] = $"arn:aws:states:{Region}:{Account}:execution:ReportEventStateMachine-AbC123:7c0b9c2e",
                ["stateMachineArn"] = machine,
                ["name"] = "7c0b9c2e",
                ["status"] = status,
                ["startDate"] = 1764716400000,
                ["stopDate"] = status == "RUNNING" ? null : 1764716580000,
            },
        };

        Assert.Equal(alerts, EventPatternMatcher.Matches(Pattern("ReportStartFailureAlertRule"), @event));
    }

    [Fact]
    public void Tasks_that_alert_on_nothing_get_no_alert_rules_and_non_services_no_deployment_rule()
    {
        Assert.False(Resources.Value.ContainsKey("TranscodeFailureAlertRule"));
        Assert.False(Resources.Value.ContainsKey("TranscodeStartFailureAlertRule"), "transcode has no state machine");
        Assert.False(Resources.Value.ContainsKey("NightlyDeploymentAlertRule"));
        Assert.True(Resources.Value.ContainsKey("WebDeploymentAlertRule"));
    }

    [Theory]
    [InlineData("uploads-0123456789", "incoming/cat.mp4", true)]
    [InlineData("uploads-0123456789", "incoming/deeper/cat.mp4", true)]
    [InlineData("uploads-0123456789", "incoming/cat.mov", false)]
    [InlineData("uploads-0123456789", "archive/cat.mp4", false)]
    [InlineData("other-bucket", "incoming/cat.mp4", false)]
    public void S3_event_starts_the_task_for_new_objects_under_the_prefix_with_the_suffix(string bucket, string key, bool starts)
    {
        var @event = new JsonObject
        {
            ["source"] = "aws.s3",
            ["detail-type"] = "Object Created",
            ["detail"] = new JsonObject
            {
                ["bucket"] = new JsonObject { ["name"] = bucket },
                ["object"] = new JsonObject { ["key"] = key, ["size"] = 5 },
                ["reason"] = "PutObject",
            },
        };

        Assert.Equal(starts, EventPatternMatcher.Matches(Pattern("TranscodeEventRule1"), @event));
    }

    /// <summary>The matcher itself, on the rules AWS documents that the alert patterns lean on.</summary>
    [Theory]
    [InlineData("""{"a": [{"anything-but": 0}]}""", """{}""", false)]
    [InlineData("""{"a": [{"anything-but": 0}]}""", """{"a": 1}""", true)]
    [InlineData("""{"a": [{"anything-but": 0}]}""", """{"a": 0}""", false)]
    [InlineData("""{"a": [{"exists": false}]}""", """{}""", true)]
    [InlineData("""{"a": [1, 2]}""", """{"a": [3, 2]}""", true)]
    [InlineData("""{"a": {"b": [1]}}""", """{"a": [{"b": 0}, {"b": 1}]}""", true)]
    [InlineData("""{"a": ["1"]}""", """{"a": 1}""", false)]
    [InlineData("""{"$or": [{"a": [1]}, {"b": [1]}]}""", """{"b": 1}""", true)]
    [InlineData("""{"k": [{"wildcard": "a\\*b*"}]}""", """{"k": "a*bc"}""", true)]
    [InlineData("""{"k": [{"wildcard": "a\\*b*"}]}""", """{"k": "axbc"}""", false)]
    public void Matcher_follows_the_documented_semantics(string pattern, string @event, bool matches) =>
        Assert.Equal(matches, EventPatternMatcher.Matches(JsonNode.Parse(pattern)!.AsObject(), JsonNode.Parse(@event)));

    private static JsonObject WithCluster(JsonObject @event, string cluster)
    {
        @event["detail"]!["clusterArn"] = cluster;
        return @event;
    }

    /// <summary>A generated rule's pattern with CloudFormation's functions replaced by what they give in the sample stack.</summary>
    private static JsonObject Pattern(string ruleId)
    {
        var rule = Resources.Value[ruleId] ?? throw new InvalidOperationException($"no rule {ruleId}");
        return Resolve(rule["Properties"]!["EventPattern"]!)!.AsObject();
    }

    private static JsonNode? Resolve(JsonNode? node) => node switch
    {
        JsonObject { Count: 1 } getAtt when getAtt["Fn::GetAtt"] is JsonArray { Count: 2 } args && args[0]!.GetValue<string>() == "FargateTasksCluster" => ClusterArn,
        JsonObject { Count: 1 } reference when reference["Ref"] is JsonValue id => id.GetValue<string>() switch
        {
            "WebService" => $"arn:aws:ecs:{Region}:{Account}:service/{ClusterName}/web",
            "ReportEventStateMachine" => ReportMachineArn,
            var other => throw new InvalidOperationException($"the test does not know what Ref {other} gives"),
        },
        JsonObject { Count: 1 } sub when sub["Fn::Sub"] is JsonValue text => text.GetValue<string>()
            .Replace("${AWS::Partition}", "aws", StringComparison.Ordinal)
            .Replace("${AWS::Region}", Region, StringComparison.Ordinal)
            .Replace("${AWS::AccountId}", Account, StringComparison.Ordinal),
        JsonObject map => new JsonObject(map.Select(p => KeyValuePair.Create(p.Key, Resolve(p.Value)))),
        JsonArray list => new JsonArray([.. list.Select(Resolve)]),
        _ => node?.DeepClone(),
    };
}
