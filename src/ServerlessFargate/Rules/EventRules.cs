using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ServerlessFargate.Diagnostics;
using ServerlessFargate.Model;

namespace ServerlessFargate.Rules;

/// <summary>FG3040: an event pattern EventBridge would refuse (read by <see cref="EventPattern"/>).</summary>
internal sealed class EventPatternRule() : TaskRule(new("FG3040", "event pattern EventBridge refuses", Severity.Error,
    "An `eventBridge` pattern that is empty, or holds a field that is not a list of values or filters, or a filter EventBridge does not know. EventBridge refuses such a rule at deploy time, after the rest of the stack has waited for it.",
    Source: "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html"))
{
    protected override void Check(TaskModel task, RuleContext context, DiagnosticBag diagnostics)
    {
        foreach (var taskEvent in task.Events)
        {
            if (taskEvent.Source is not EventSource.Bus bus)
            {
                continue;
            }
            foreach (var problem in bus.Pattern.Problems)
            {
                diagnostics.Error(Descriptor, problem.Span, problem.Message, $"fargate.tasks.{task.Key}.events[{taskEvent.Number - 1}].eventBridge.pattern", problem.Suggestion);
            }
        }
    }
}

/// <summary>FG3041: a path of <c>input.environment</c> that EventBridge's input transformer cannot read.</summary>
internal sealed partial class EventInputPathRule() : TaskRule(new("FG3041", "JSON path EventBridge cannot read", Severity.Error,
    "A path in `input.environment` that is not of the JSON path forms EventBridge's input transformer reads: `$` followed by `.field` (letters, digits, `_`, `-`, `/`) and `[0]` steps, such as `$.detail.object.key`. EventBridge accepts the rule and then never starts the task.",
    Source: "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html"))
{
    [GeneratedRegex(@"^\$(\.([A-Za-z0-9_\-/]+|\*)|\[([0-9]+|\*)\])*$")]
    private static partial Regex Path();

    protected override void Check(TaskModel task, RuleContext context, DiagnosticBag diagnostics)
    {
        foreach (var taskEvent in task.Events)
        {
            foreach (var variable in taskEvent.Environment.Where(v => !Path().IsMatch(v.Path.Value)))
            {
                var fixedPath = variable.Path.Value.StartsWith("detail", StringComparison.Ordinal) ? "$." + variable.Path.Value : null;
                diagnostics.Error(Descriptor, variable.Path.Span,
                    $"`{variable.Name}` reads `{variable.Path.Value}`, which is no JSON path EventBridge reads; write `$` then fields and list indexes, such as `$.detail.object.key` or `$.resources[0]`",
                    $"fargate.tasks.{task.Key}.events[{taskEvent.Number - 1}].input.environment.{variable.Name}",
                    fixedPath is not null && Path().IsMatch(fixedPath) ? fixedPath : null);
            }
        }
    }
}

/// <summary>FG3042: an event bus given by an ARN in another region, or an ARN that is no event bus's.</summary>
internal sealed partial class EventBusRule() : TaskRule(new("FG3042", "event bus outside the stack's region", Severity.Error,
    "`eventBus` that is empty, a name EventBridge refuses (it takes 1 to 256 letters, digits and `. - _ /`), given as an ARN that is not an event bus's (`arn:aws:events:REGION:ACCOUNT:event-bus/NAME`), or of a bus in another region: a rule lives in its bus's region, and CloudFormation makes it in the stack's.",
    Source: "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-events-rule.html"))
{
    // An event bus's name, as the Rule's EventBusName takes it:
    // https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html
    [GeneratedRegex(@"^[/.\-_A-Za-z0-9]{1,256}$")]
    private static partial Regex BusName();

    protected override void Check(TaskModel task, RuleContext context, DiagnosticBag diagnostics)
    {
        foreach (var taskEvent in task.Events)
        {
            if (taskEvent.Source is not EventSource.Bus { EventBus: { } bus } || bus.Value is not JsonValue value
                || !value.TryGetValue<string>(out var text))
            {
                continue;
            }
            var path = $"fargate.tasks.{task.Key}.events[{taskEvent.Number - 1}].eventBridge.eventBus";
            // CloudFormation refuses an empty EventBusName only when it creates the rule.
            if (string.IsNullOrWhiteSpace(text))
            {
                diagnostics.Error(Descriptor, bus.Span, "eventBus is empty; leave it out for the default bus, or give a bus's name or ARN", path);
                continue;
            }
            if (!text.StartsWith("arn:", StringComparison.Ordinal))
            {
                if (!BusName().IsMatch(text))
                {
                    diagnostics.Error(Descriptor, bus.Span,
                        $"eventBus `{text}` is no event bus name: a name takes 1 to 256 letters, digits and `. - _ /`, such as `orders`; or give the bus's ARN", path);
                }
                continue;
            }
            var parts = text.Split(':', 6);
            if (parts.Length != 6 || parts[2] != "events" || !parts[5].StartsWith("event-bus/", StringComparison.Ordinal) || parts[5].Length == "event-bus/".Length)
            {
                diagnostics.Error(Descriptor, bus.Span,
                    $"eventBus `{text}` is no event bus ARN; write arn:aws:events:{context.Model.Region}:ACCOUNT:event-bus/NAME, or the bus's name", path);
            }
            else if (parts[3] != context.Model.Region)
            {
                diagnostics.Error(Descriptor, bus.Span,
                    $"eventBus `{text}` is in {parts[3]}, and the stack deploys to {context.Model.Region}; a rule lives in its bus's region, so use a bus in {context.Model.Region} (a rule on that bus can forward events to this one)", path);
            }
        }
    }
}

/// <summary>FG3036: <c>input.environment</c> names FARGATE_EVENT, which <c>wholeEvent</c> sets.</summary>
internal sealed class WholeEventNameRule() : TaskRule(new("FG3036", "variable that the whole event takes", Severity.Error,
    "`input.environment` maps `FARGATE_EVENT` while `wholeEvent: true` puts the whole event there: the container would get the name twice, and which value it sees is not defined.",
    Source: null))
{
    protected override void Check(TaskModel task, RuleContext context, DiagnosticBag diagnostics)
    {
        foreach (var taskEvent in task.Events.Where(e => e.WholeEvent))
        {
            foreach (var variable in taskEvent.Environment.Where(v => v.Name == TaskEvent.WholeEventVariable))
            {
                diagnostics.Error(Descriptor, variable.Path.Span,
                    $"`{variable.Name}` holds the whole event because of `wholeEvent: true`; give this field another name, or read it from {variable.Name} in the container",
                    $"fargate.tasks.{task.Key}.events[{taskEvent.Number - 1}].input.environment.{variable.Name}");
            }
        }
    }
}

/// <summary>FG3037 (a notice): <c>wholeEvent</c> with an events role given by ARN, which must start the state machine.</summary>
internal sealed class WholeEventRoleRule() : TaskRule(new("FG3037", "given events role that must start the state machine", Severity.Notice,
    "An event with `wholeEvent: true` starts the task's state machine `<Id>EventStateMachine`, which runs the task. With `eventsRoleArn`, that role is yours: EventBridge can start the state machine only if the role allows `states:StartExecution` on it, and trusts events.amazonaws.com. Without it, no event starts the task and only the rule's FailedInvocations metric says so.",
    Source: "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-identity-based.html"))
{
    protected override void Check(TaskModel task, RuleContext context, DiagnosticBag diagnostics)
    {
        if (task.EventsRoleArn is null || task.Events.FirstOrDefault(e => e.WholeEvent) is not { } first)
        {
            return;
        }
        diagnostics.Notice(Descriptor, first.WholeEventKey!.Value,
            $"task `{task.Key}` names its events role (`eventsRoleArn`), so that role must allow `states:StartExecution` on the state machine {LogicalIds.EventStateMachine(task.Id)} (its ARN in the template: `!Ref {LogicalIds.EventStateMachine(task.Id)}`) for these events to start the task",
            $"fargate.tasks.{task.Key}.events[{first.Number - 1}].input.wholeEvent");
    }
}

/// <summary>FG3043: <c>events</c> on a task that is also given service settings.</summary>
internal sealed class EventsOnServiceRule() : TaskRule(new("FG3043", "events on a service", Severity.Error,
    "A task with `events` runs once per event, as a scheduled task runs once per schedule, so it cannot also be a service: `service` settings beside `events` contradict them.",
    Source: null))
{
    protected override void Check(TaskModel task, RuleContext context, DiagnosticBag diagnostics)
    {
        if (task.Kind is TaskKind.Triggered && task.ServiceKey is { } key)
        {
            diagnostics.Error(Descriptor, key,
                "a task with `events` runs once per event, not as a service; remove `service`, or move the events to a task of their own",
                $"fargate.tasks.{task.Key}.service");
        }
    }
}

/// <summary>FG3046: an S3 bucket name no bucket can have.</summary>
internal sealed partial class BucketNameRule() : TaskRule(new("FG3046", "S3 bucket name that cannot exist", Severity.Error,
    "An `s3` event's bucket whose name S3 does not allow: 3 to 63 lowercase letters, digits, dots and hyphens, beginning and ending with a letter or digit, no two dots in a row, not an IP address, and none of the prefixes and suffixes S3 reserves. No event would ever come.",
    Source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html"))
{
    private static readonly string[] ReservedPrefixes = ["xn--", "sthree-", "amzn-s3-demo-"];

    private static readonly string[] ReservedSuffixes = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")]
    private static partial Regex Shape();

    [GeneratedRegex(@"^\d+\.\d+\.\d+\.\d+$")]
    private static partial Regex IpAddress();

    /// <summary>Why S3 refuses the name, or null when it may exist.</summary>
    public static string? Problem(string name) =>
        name.Length is < 3 or > 63 ? $"has {name.Length} characters, and a bucket name has 3 to 63"
        : !Shape().IsMatch(name) ? "may hold only lowercase letters, digits, dots and hyphens, and begins and ends with a letter or digit"
        : name.Contains("..", StringComparison.Ordinal) ? "has two dots in a row"
        : IpAddress().IsMatch(name) ? "is written as an IP address"
        : ReservedPrefixes.FirstOrDefault(p => name.StartsWith(p, StringComparison.Ordinal)) is { } prefix ? $"begins with `{prefix}`, which S3 reserves"
        : ReservedSuffixes.FirstOrDefault(s => name.EndsWith(s, StringComparison.Ordinal)) is { } suffix ? $"ends with `{suffix}`, which S3 reserves"
        : null;

    protected override void Check(TaskModel task, RuleContext context, DiagnosticBag diagnostics)
    {
        foreach (var taskEvent in task.Events)
        {
            if (taskEvent.Source is EventSource.S3 { Name: { } name } s3 && Problem(name) is { } problem)
            {
                var lower = name.ToLowerInvariant();
                diagnostics.Error(Descriptor, s3.Bucket.Span, $"bucket `{name}` cannot exist: a bucket name {problem}",
                    $"fargate.tasks.{task.Key}.events[{taskEvent.Number - 1}].s3", lower != name && Problem(lower) is null ? lower : null);
            }
        }
    }
}

/// <summary>FG3047 (a notice): an <c>s3</c> event's bucket is not in this stack, so its EventBridge events are left to its owner.</summary>
internal sealed class BucketEventsRule() : TaskRule(new("FG3047", "bucket that must send its events to EventBridge", Severity.Notice,
    "An `s3` event on a bucket that is not among this service's `resources`: S3 sends a bucket's events to EventBridge only once that is turned on for the bucket, and sls-fargate changes only buckets in its own stack.",
    Source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-event-notifications-eventbridge.html"))
{
    protected override void Check(TaskModel task, RuleContext context, DiagnosticBag diagnostics)
    {
        foreach (var taskEvent in task.Events)
        {
            // A name no bucket can have is an error of its own (FG3046); this would only repeat it.
            if (taskEvent.Source is EventSource.S3 { StackBucket: null } s3 && (s3.Name is null || BucketNameRule.Problem(s3.Name) is null))
            {
                var name = s3.Name ?? "BUCKET";
                diagnostics.Notice(Descriptor, s3.Bucket.Span,
                    $"bucket `{s3.Name ?? "(a function)"}` is not among this service's resources, so sls-fargate cannot turn on its events; they reach EventBridge only once the bucket sends them: " +
                    $"aws s3api put-bucket-notification-configuration --bucket {name} --notification-configuration '{{\"EventBridgeConfiguration\": {{}}}}' (this replaces the bucket's other notifications; keep them in that JSON)",
                    $"fargate.tasks.{task.Key}.events[{taskEvent.Number - 1}].s3");
            }
        }
    }
}
