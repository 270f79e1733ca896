using System.Text;
using System.Text.Json.Nodes;
using ServerlessFargate.CloudFormation;
using ServerlessFargate.Model;

namespace ServerlessFargate.Compilation;

/// <summary>
/// A task's <c>events</c>: one EventBridge rule each (<c>&lt;Id&gt;EventRule&lt;n&gt;</c>) whose
/// target starts the task as a schedule's does (<see cref="RunTaskParameters.RuleTarget"/>), with
/// the event's fields in the container's environment.
/// </summary>
public static class EventsCompiler
{
    /// <summary>
    /// Variables every task started by an event gets, beside those of <c>input.environment</c>.
    /// EventBridge inserts a value into the target's input unescaped, and ECS takes only strings
    /// as environment values, so the event as a whole (an object) cannot be one variable of an
    /// ECS target: these name it (its id, source, type and time never hold a double quote), and
    /// <c>wholeEvent</c> adds it through a state machine (<see cref="EventStateMachineCompiler"/>). From
    /// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html
    /// </summary>
    public static readonly IReadOnlyList<KeyValuePair<string, string>> EventVariables =
    [
        new("FARGATE_EVENT_ID", "$.id"),
        new("FARGATE_EVENT_SOURCE", "$.source"),
        new("FARGATE_EVENT_DETAIL_TYPE", "$.detail-type"),
        new("FARGATE_EVENT_TIME", "$.time"),
    ];

    internal static void Add(CompiledTemplate template, TaskModel task)
    {
        foreach (var taskEvent in task.Events)
        {
            template.Add(LogicalIds.EventRule(task.Id, taskEvent.Number), BuildRule(task, taskEvent));
        }
        EventStateMachineCompiler.Add(template, task);
    }

    private static Resource BuildRule(TaskModel task, TaskEvent taskEvent)
    {
        var target = taskEvent.WholeEvent ? StateMachineTarget(task) : RunTaskParameters.RuleTarget(task);
        target["InputTransformer"] = InputTransformer(task, taskEvent);
        RunTaskParameters.AddDelivery(target, taskEvent.MaximumRetryAttempts, taskEvent.MaximumEventAge, taskEvent.DeadLetterQueueArn?.Value);

        var properties = new JsonObject();
        if (taskEvent.Source is EventSource.Bus { EventBus: { } bus })
        {
            properties["EventBusName"] = bus.Value.DeepClone();
        }
        properties["EventPattern"] = Pattern(taskEvent.Source);
        properties["State"] = "ENABLED";
        properties["Targets"] = new JsonArray(target);
        return new Resource("AWS::Events::Rule", properties, task.DependsOn);
    }

    /// <summary>
    /// The pattern as written, or for <c>s3</c> the bucket's Object Created events (which S3 sends
    /// to the default bus once EventBridge is on for the bucket), from
    /// https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html
    /// </summary>
    public static JsonNode Pattern(EventSource source)
    {
        if (source is EventSource.Bus bus)
        {
            return bus.Pattern.Json.DeepClone();
        }
        var s3 = (EventSource.S3)source;
        var detail = new JsonObject { ["bucket"] = new JsonObject { ["name"] = new JsonArray(s3.Bucket.Value.DeepClone()) } };
        if (KeyFilter(s3.Prefix, s3.Suffix) is { } filter)
        {
            detail["object"] = new JsonObject { ["key"] = new JsonArray(filter) };
        }
        return new JsonObject
        {
            ["source"] = new JsonArray("aws.s3"),
            ["detail-type"] = new JsonArray("Object Created"),
            ["detail"] = detail,
        };
    }

    /// <summary>
    /// Filters listed side by side match when either does, so a prefix and a suffix together are one
    /// wildcard, in which <c>*</c> and <c>\</c> of the key itself are escaped:
    /// prefix <c>uploads/</c>, suffix <c>.mp4</c> → <c>{"wildcard": "uploads/*.mp4"}</c>.
    /// </summary>
    private static JsonObject? KeyFilter(string? prefix, string? suffix) => (prefix, suffix) switch
    {
        (null, null) => null,
        (not null, null) => new JsonObject { ["prefix"] = prefix },
        (null, not null) => new JsonObject { ["suffix"] = suffix },
        _ => new JsonObject { ["wildcard"] = EscapeWildcard(prefix!) + "*" + EscapeWildcard(suffix!) },
    };

    private static string EscapeWildcard(string text) => text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("*", "\\*", StringComparison.Ordinal);

    /// <summary>A target that starts the task's state machine, which runs the task with the whole event.</summary>
    private static JsonObject StateMachineTarget(TaskModel task) => new()
    {
        ["Id"] = task.Id,
        ["Arn"] = Fn.Ref(LogicalIds.EventStateMachine(task.Id)),
        ["RoleArn"] = IamCompiler.EventsRoleArn(task),
    };

    /// <summary>
    /// ECS takes the rule target's input as RunTask's overrides:
    /// <c>{"containerOverrides":[{"name":"worker","environment":[{"name":"KEY","value":"&lt;KEY&gt;"}]}]}</c>,
    /// where EventBridge replaces <c>&lt;KEY&gt;</c> by the value at the variable's JSON path.
    /// The state machine takes the event and the same variables (<see cref="EventStateMachineCompiler.InputTemplate"/>).
    /// </summary>
    private static JsonObject InputTransformer(TaskModel task, TaskEvent taskEvent)
    {
        var paths = new JsonObject();
        foreach (var variable in taskEvent.Environment)
        {
            paths[variable.Name] = variable.Path.Value;
        }
        foreach (var (name, path) in EventVariables.Where(v => !paths.ContainsKey(v.Key)))
        {
            paths[name] = path;
        }
        if (taskEvent.WholeEvent)
        {
            return new JsonObject { ["InputPathsMap"] = paths, ["InputTemplate"] = EventStateMachineCompiler.InputTemplate(paths.Select(p => p.Key)) };
        }
        // Names are ECS container names and environment names: letters, digits, - and _, nothing to escape.
        var template = new StringBuilder("{\"containerOverrides\":[{\"name\":\"").Append(task.Name.Value).Append("\",\"environment\":[");
        template.AppendJoin(',', paths.Select(p => $"{{\"name\":\"{p.Key}\",\"value\":\"<{p.Key}>\"}}"));
        template.Append("]}]}");
        return new JsonObject { ["InputPathsMap"] = paths, ["InputTemplate"] = template.ToString() };
    }

    /// <summary>
    /// Turns on EventBridge events for the stack's own buckets that <c>s3</c> events name, in the
    /// template about to be written (the service's <c>resources</c> are in it by then); the bucket's
    /// other notification settings stay as they are.
    /// </summary>
    public static void SendBucketEvents(JsonObject template, ServiceModel model)
    {
        foreach (var id in BucketsToSend(model))
        {
            if ((template["Resources"] as JsonObject)?[id] is not JsonObject bucket)
            {
                continue;
            }
            var properties = Child(bucket, "Properties");
            var notifications = Child(properties, "NotificationConfiguration");
            Child(notifications, "EventBridgeConfiguration")["EventBridgeEnabled"] = true;
        }
    }

    /// <summary>
    /// The logical IDs of the stack's buckets that <c>s3</c> events name and that do not send their
    /// events yet. Never one whose setting sits under a function (FG3060): CloudFormation takes no
    /// key beside <c>Fn::If</c>, so writing there would break the template.
    /// </summary>
    public static IReadOnlyList<string> BucketsToSend(ServiceModel? model) =>
        model is null ? [] : [.. model.Tasks.SelectMany(t => t.Events).Select(e => e.Source).OfType<EventSource.S3>()
            .Where(s => s.StackBucket is not null && !s.StackBucketSendsEvents && s.StackBucketIntrinsic is null).Select(s => s.StackBucket!).Distinct(StringComparer.Ordinal)];

    private static JsonObject Child(JsonObject parent, string key)
    {
        if (parent[key] is not JsonObject child)
        {
            parent[key] = child = [];
        }
        return child;
    }
}
