using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ServerlessFargate.Tests;

/// <summary>
/// What <c>wholeEvent</c> hands the container. The golden template's rule input is filled in as
/// EventBridge fills it, then walked through the state machine's own JSONata by the language's
/// reference implementation (npm jsonata, which .ci/run installs; state-machine-walk.js), with
/// RunTask's answers given by the test: moto keeps a definition but never runs one, and Step
/// Functions Local needs Docker. RunTask's answer is in ECS's API shape with PascalCase keys
/// (<c>Tasks</c>, <c>Failures</c>), as Step Functions returns it.
/// </summary>
public sealed partial class EventStateMachineTests
{
    private const string Golden = "events-whole-event-through-a-state-machine";

    private static readonly JsonObject Resources = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Golden, Golden, GoldenTests.TemplateFile)))!["Resources"]!.AsObject();

    private static JsonObject Started => new() { ["Tasks"] = new JsonArray(new JsonObject { ["TaskArn"] = "arn:aws:ecs:us-east-1:123456789012:task/media/0123456789abcdef0" }), ["Failures"] = new JsonArray() };

    private static JsonObject NoCapacity => new()
    {
        ["Tasks"] = new JsonArray(),
        ["Failures"] = new JsonArray(new JsonObject { ["Arn"] = "arn:aws:ecs:us-east-1:123456789012:task-definition/transcode:1", ["Reason"] = "Capacity is unavailable at this time. Please try again later or in a different availability zone" }),
    };

    [SkippableFact]
    public void An_uploaded_objects_event_reaches_the_container_whole_beside_its_key()
    {
        // Given an upload to the bucket, with a key of spaces and letters beyond ASCII
        var upload = S3Event("incoming/clip 1 – café.mp4");

        // When its rule starts the state machine, which runs the task
        var walk = Walk("TranscodeEventRule1", "TranscodeEventStateMachine", upload, Started);

        // Then ECS is asked once, with the mapped key, the event's id, source, type and time, and the whole event last
        Assert.Equal("Succeed", walk["end"]!.GetValue<string>());
        var environment = ContainerEnvironment(Assert.Single(walk["calls"]!.AsArray())!);
        Assert.Equal(["KEY", "FARGATE_EVENT_ID", "FARGATE_EVENT_SOURCE", "FARGATE_EVENT_DETAIL_TYPE", "FARGATE_EVENT_TIME", "FARGATE_EVENT"], environment.Keys);
        Assert.Equal("incoming/clip 1 – café.mp4", environment["KEY"]);
        Assert.Equal("Object Created", environment["FARGATE_EVENT_DETAIL_TYPE"]);
        Assert.True(JsonNode.DeepEquals(upload, JsonNode.Parse(environment["FARGATE_EVENT"])), environment["FARGATE_EVENT"]);
    }

    [SkippableFact]
    public void Any_event_arrives_as_json_text_the_container_parses_back_even_with_quotes_backslashes_and_newlines()
    {
        // Given an event of the application's own, whose detail no ECS target could carry as a string
        var request = JsonNode.Parse("""
            {"version": "0", "id": "6a7e8feb-b491-4cf7-a9f1-bf3703467718", "detail-type": "Report requested", "source": "media.app",
             "account": "123456789012", "time": "2026-12-02T23:00:00Z", "region": "us-east-1", "resources": [],
             "detail": {"title": "Q4 \"final\" numbers", "path": "C:\\reports\\q4", "note": "line one\nline two\ttabbed",
                        "pages": [1, 2.5, -3], "draft": false, "owner": null, "tags": {"emoji": "📈", "nested": [[{"deep": true}]]}}}
            """)!.AsObject();

        // When it starts the report task (no mapped fields)
        var walk = Walk("ReportEventRule1", "ReportEventStateMachine", request, Started);

        // Then FARGATE_EVENT parses back to exactly the event
        var environment = ContainerEnvironment(Assert.Single(walk["calls"]!.AsArray())!);
        Assert.True(JsonNode.DeepEquals(request, JsonNode.Parse(environment["FARGATE_EVENT"])), environment["FARGATE_EVENT"]);
        Assert.Equal("6a7e8feb-b491-4cf7-a9f1-bf3703467718", environment["FARGATE_EVENT_ID"]);
    }

    [SkippableFact]
    public void A_start_ecs_answers_with_no_capacity_is_tried_again_after_a_pause_and_then_runs_once()
    {
        // Given ECS answers twice that Spot has no capacity, then starts the task
        // When an upload starts the state machine
        var walk = Walk("TranscodeEventRule1", "TranscodeEventStateMachine", S3Event("incoming/a.mp4"), NoCapacity, NoCapacity, Started);

        // Then RunTask is asked three times, with a pause before each retry, and the execution succeeds
        Assert.Equal("Succeed", walk["end"]!.GetValue<string>());
        Assert.Equal(3, walk["calls"]!.AsArray().Count);
        Assert.Equal(2, walk["visited"]!.AsArray().Count(s => s!.GetValue<string>() == "Wait and try again"));
    }

    [SkippableFact]
    public void A_start_that_keeps_failing_ends_the_execution_failed_with_ecss_reason_after_three_tries()
    {
        // Given ECS has no capacity on every try
        // When an upload starts the state machine
        var walk = Walk("TranscodeEventRule1", "TranscodeEventStateMachine", S3Event("incoming/a.mp4"), NoCapacity, NoCapacity, NoCapacity, Started);

        // Then it stops after three tries, failed, with ECS's reason as the cause (what the alert's link shows)
        Assert.Equal("Fail", walk["end"]!.GetValue<string>());
        Assert.Equal(3, walk["calls"]!.AsArray().Count);
        Assert.Equal("TaskNotStarted", walk["error"]!.GetValue<string>());
        Assert.Contains("Capacity is unavailable at this time", walk["cause"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_state_machine_runs_the_task_with_the_cluster_definition_capacity_network_and_exec_a_rule_would()
    {
        // Given the transcode task's two rules: one runs it directly, one through the state machine
        var direct = Resources["TranscodeEventRule2"]!["Properties"]!["Targets"]![0]!;
        var machine = Resources["TranscodeEventStateMachine"]!["Properties"]!;

        // When the state machine's RunTask arguments are read with their substitutions put back
        var arguments = Resolve(machine["Definition"]!["States"]!["Run the task"]!["Arguments"]!, machine["DefinitionSubstitutions"]!.AsObject());

        // Then they are the direct target's, in RunTask's own spelling
        var ecs = direct["EcsParameters"]!;
        Assert.True(JsonNode.DeepEquals(direct["Arn"], arguments["Cluster"]));
        Assert.True(JsonNode.DeepEquals(ecs["TaskDefinitionArn"], arguments["TaskDefinition"]));
        Assert.True(JsonNode.DeepEquals(ecs["CapacityProviderStrategy"], arguments["CapacityProviderStrategy"]));
        Assert.True(JsonNode.DeepEquals(ecs["NetworkConfiguration"]!["AwsVpcConfiguration"], arguments["NetworkConfiguration"]!["AwsvpcConfiguration"]));
        Assert.True(JsonNode.DeepEquals(ecs["EnableExecuteCommand"], arguments["EnableExecuteCommand"]));
        Assert.Equal("transcode", arguments["Overrides"]!["ContainerOverrides"]![0]!["Name"]!.GetValue<string>());
        // And every placeholder has its substitution, and no substitution is unused
        var placeholders = Placeholder().Matches(machine["Definition"]!.ToJsonString()).Select(m => m.Groups[1].Value).ToHashSet();
        Assert.True(placeholders.SetEquals(machine["DefinitionSubstitutions"]!.AsObject().Select(p => p.Key)), string.Join(", ", placeholders));
    }

    [Fact]
    public void The_events_role_starts_only_the_state_machines_and_runs_only_what_its_rules_start_directly()
    {
        // Given transcode (one event through its state machine, one direct) and report (only through its state machine)
        var statements = Resources["FargateIamEventsRole"]!["Properties"]!["Policies"]![0]!["PolicyDocument"]!["Statement"]!.AsArray();

        // Then EventBridge may run transcode's definition alone, and start exactly the two state machines
        var runTask = Assert.Single(statements, s => s!["Action"]!.GetValue<string>() == "ecs:RunTask")!;
        Assert.Equal(["TranscodeTask"], runTask["Resource"]!.AsArray().Select(r => r!["Ref"]!.GetValue<string>()));
        var start = Assert.Single(statements, s => s!["Action"]!.GetValue<string>() == "states:StartExecution")!;
        Assert.Equal(["TranscodeEventStateMachine", "ReportEventStateMachine"], start["Resource"]!.AsArray().Select(r => r!["Ref"]!.GetValue<string>()));
        // And each state machine's role runs its own task only, trusting Step Functions
        var role = Resources["ReportEventStateMachineRole"]!["Properties"]!;
        Assert.Equal("states.amazonaws.com", role["AssumeRolePolicyDocument"]!["Statement"]![0]!["Principal"]!["Service"]![0]!.GetValue<string>());
        var roleRunTask = Assert.Single(role["Policies"]![0]!["PolicyDocument"]!["Statement"]!.AsArray(), s => s!["Action"]!.GetValue<string>() == "ecs:RunTask")!;
        Assert.Equal(["ReportTask"], roleRunTask["Resource"]!.AsArray().Select(r => r!["Ref"]!.GetValue<string>()));
    }

    [Fact]
    public void Validate_json_names_the_roles_that_run_each_task_eventbridges_only_where_a_rule_runs_it_directly()
    {
        var run = CliRunner.Run(Path.Combine(RepositoryPaths.Golden, Golden), "validate", ".", "--format", "json");

        Assert.Equal(0, run.ExitCode);
        var tasks = JsonNode.Parse(run.Out)!["tasks"]!.AsArray().ToDictionary(t => t!["task"]!.GetValue<string>());
        Assert.Equal(["eventbridge FargateIamEventsRole", "stepfunctions TranscodeEventStateMachineRole"],
            tasks["transcode"]!["startedBy"]!.AsArray().Select(s => $"{s!["by"]} {s["logicalId"]}"));
        Assert.Equal(["stepfunctions ReportEventStateMachineRole"],
            tasks["report"]!["startedBy"]!.AsArray().Select(s => $"{s!["by"]} {s["logicalId"]}"));
    }

    [SkippableFact]
    public void Ecs_errors_are_retried_within_seconds_and_a_refusal_fails_the_execution_with_ecss_message()
    {
        // Given ECS throttles twice, then starts the task
        var throttled = new JsonObject { ["error"] = "ECS.AmazonECSException", ["cause"] = "Rate exceeded (Service: AmazonECS; Status Code: 400; Error Code: ThrottlingException)" };
        var walk = Walk("ReportEventRule1", "ReportEventStateMachine", S3Event("a"), throttled, throttled.DeepClone().AsObject(), Started);
        Assert.Equal("Succeed", walk["end"]!.GetValue<string>());
        Assert.Equal(3, walk["calls"]!.AsArray().Count);

        // And given an event too large for ECS's overrides, refused on every try
        var refused = new JsonObject { ["error"] = "ECS.AmazonECSException", ["cause"] = "Container Overrides length must be at most 8192 (Error Code: InvalidParameterException)" };
        walk = Walk("ReportEventRule1", "ReportEventStateMachine", S3Event("a"), [.. Enumerable.Range(0, 5).Select(_ => refused.DeepClone().AsObject())]);

        // Then the first call and three retries are made, and the execution fails with ECS's message
        Assert.Equal("Fail", walk["end"]!.GetValue<string>());
        Assert.Equal(4, walk["calls"]!.AsArray().Count);
        Assert.Contains("must be at most 8192", walk["cause"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public void An_answer_with_neither_a_task_nor_failures_is_no_start_and_says_what_ecs_answered()
    {
        var walk = Walk("ReportEventRule1", "ReportEventStateMachine", S3Event("a"), new JsonObject { ["tasks"] = new JsonArray() });

        Assert.Equal("Fail", walk["end"]!.GetValue<string>());
        Assert.Equal("""ECS started no task and gave no reason: {"tasks":[]}""", walk["cause"]!.GetValue<string>());
    }

    [SkippableFact]
    public void Numbers_with_a_fraction_arrive_with_15_significant_digits_and_integers_exactly()
    {
        // JSONata's $string writes a number with a fraction to 15 significant digits (README says so).
        var request = JsonNode.Parse("""{"id": "n", "source": "media.app", "detail-type": "Report requested", "time": "2026-12-02T23:00:00Z", "detail": {"amount": 123456789.123456789, "count": 4503599627370496, "ratio": 0.25}}""")!.AsObject();

        var environment = ContainerEnvironment(Assert.Single(Walk("ReportEventRule1", "ReportEventStateMachine", request, Started)["calls"]!.AsArray())!);

        Assert.Equal("""{"amount":123456789.123457,"count":4503599627370496,"ratio":0.25}""", JsonNode.Parse(environment["FARGATE_EVENT"])!["detail"]!.ToJsonString());
    }

    [SkippableFact]
    public void Subnets_and_groups_given_as_one_function_reach_runtask_as_lists()
    {
        // Given subnets and security groups written as one !Split each, which CloudFormation joins
        // into the definition's substitutions
        var golden = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Golden, "network-subnets-and-groups-as-whole-list-functions", GoldenTests.TemplateFile)))!["Resources"]!;
        var machine = golden["ReportEventStateMachine"]!["Properties"]!;
        Assert.Equal("Fn::Join", machine["DefinitionSubstitutions"]!["Subnets"]!.AsObject().Single().Key);
        var definition = machine["Definition"]!.ToJsonString()
            .Replace("${Subnets}", "subnet-0123456789abcdef0,subnet-0123456789abcdef1", StringComparison.Ordinal)
            .Replace("${SecurityGroups}", "sg-0123456789abcdef0", StringComparison.Ordinal);

        // When an event runs through it
        var request = new JsonObject
        {
            ["definition"] = JsonNode.Parse(definition),
            ["input"] = new JsonObject { ["event"] = new JsonObject { ["id"] = "e" }, ["environment"] = new JsonArray() },
            ["answers"] = new JsonArray(Started),
        };
        var walk = WalkRequest(request);

        // Then RunTask gets both as lists
        var network = Assert.Single(walk["calls"]!.AsArray())!["NetworkConfiguration"]!["AwsvpcConfiguration"]!;
        Assert.Equal("""["subnet-0123456789abcdef0","subnet-0123456789abcdef1"]""", network["Subnets"]!.ToJsonString());
        Assert.Equal("""["sg-0123456789abcdef0"]""", network["SecurityGroups"]!.ToJsonString());
    }

    [GeneratedRegex(@"\$\{([A-Za-z0-9]+)\}")]
    private static partial Regex Placeholder();

    private static JsonObject S3Event(string key) => JsonNode.Parse($$$"""
        {"version": "0", "id": "17793124-05d4-b198-2fde-7ededc63b103", "detail-type": "Object Created", "source": "aws.s3",
         "account": "123456789012", "time": "2026-12-02T22:58:00Z", "region": "us-east-1",
         "resources": ["arn:aws:s3:::media-uploads-0123456789"],
         "detail": {"version": "0", "bucket": {"name": "media-uploads-0123456789"},
                    "object": {"key": {{{JsonValue.Create(key).ToJsonString()}}}, "size": 5242880, "etag": "b1946ac92492d2347c6235b4d2611184"},
                    "request-id": "N4N7GDK58NMKJ12R", "requester": "123456789012", "reason": "PutObject"}}
        """)!.AsObject();

    /// <summary>
    /// The rule's input as EventBridge makes it: each <c>&lt;NAME&gt;</c> replaced by the value at its
    /// path as it is, <c>&lt;aws.events.event.json&gt;</c> by the event, and the result read as JSON.
    /// </summary>
    private static JsonNode RuleInput(string ruleId, JsonObject theEvent)
    {
        var transformer = Resources[ruleId]!["Properties"]!["Targets"]![0]!["InputTransformer"]!;
        var text = transformer["InputTemplate"]!.GetValue<string>().Replace("<aws.events.event.json>", theEvent.ToJsonString(), StringComparison.Ordinal);
        foreach (var (name, path) in transformer["InputPathsMap"]!.AsObject())
        {
            text = text.Replace($"<{name}>", At(theEvent, path!.GetValue<string>()), StringComparison.Ordinal);
        }
        return JsonNode.Parse(text)!;
    }

    /// <summary>A value at a path of the forms the rules write (<c>$.a.b-c</c>, <c>$.a[0]</c>), as text.</summary>
    private static string At(JsonNode theEvent, string path)
    {
        JsonNode? node = theEvent;
        foreach (Match step in Step().Matches(path[1..]))
        {
            node = step.Groups[1].Success ? node?[step.Groups[1].Value] : node?[int.Parse(step.Groups[2].Value, CultureInfo.InvariantCulture)];
        }
        return node is JsonValue value && value.TryGetValue<string>(out var text) ? text : node?.ToJsonString() ?? "";
    }

    [GeneratedRegex(@"\.([A-Za-z0-9_\-/]+)|\[([0-9]+)\]")]
    private static partial Regex Step();

    private static JsonObject Walk(string ruleId, string machineId, JsonObject theEvent, params JsonObject[] answers) => WalkRequest(new JsonObject
    {
        ["definition"] = Resources[machineId]!["Properties"]!["Definition"]!.DeepClone(),
        ["input"] = RuleInput(ruleId, theEvent),
        ["answers"] = new JsonArray([.. answers.Select(a => (JsonNode)a.DeepClone())]),
    });

    /// <summary>Runs state-machine-walk.js on {definition, input, answers}.</summary>
    private static JsonObject WalkRequest(JsonObject request)
    {
        var jsonata = Path.Combine(Environment.GetEnvironmentVariable("SLS_FARGATE_REFERENCE_DIR") ?? Path.Combine(RepositoryPaths.Root, ".reference"), "node_modules");
        if (Environment.GetEnvironmentVariable("SLS_FARGATE_REQUIRE_REFERENCE") == "1")
        {
            Assert.True(Directory.Exists(Path.Combine(jsonata, "jsonata")), $"jsonata is not installed in {jsonata}");
        }
        Skip.IfNot(Directory.Exists(Path.Combine(jsonata, "jsonata")), "the npm package jsonata is not installed (.ci/run installs it)");
        var run = ProcessRunner.Run("node", [Path.Combine(RepositoryPaths.Root, "tests", "ServerlessFargate.Tests", "state-machine-walk.js"), jsonata], stdin: request.ToJsonString());
        Assert.True(run.ExitCode == 0, run.Error);
        return JsonNode.Parse(run.Out)!.AsObject();
    }

    /// <summary>The container's environment one RunTask call sets, in order.</summary>
    private static Dictionary<string, string> ContainerEnvironment(JsonNode call) =>
        call["Overrides"]!["ContainerOverrides"]![0]!["Environment"]!.AsArray()
            .ToDictionary(v => v!["Name"]!.GetValue<string>(), v => v!["Value"]!.GetValue<string>());

    /// <summary>A definition's values with each <c>${Name}</c> replaced by what <c>DefinitionSubstitutions</c> gives it.</summary>
    private static JsonNode Resolve(JsonNode node, JsonObject substitutions) => node switch
    {
        JsonObject map => new JsonObject(map.Select(p => KeyValuePair.Create(p.Key, p.Value is null ? null : Resolve(p.Value, substitutions)))),
        JsonArray list => new JsonArray([.. list.Select(i => i is null ? null : Resolve(i, substitutions))]),
        JsonValue value when value.TryGetValue<string>(out var text) && Placeholder().Match(text) is { Success: true } match && match.Value == text
            => substitutions[match.Groups[1].Value]!.DeepClone(),
        _ => node.DeepClone(),
    };
}
