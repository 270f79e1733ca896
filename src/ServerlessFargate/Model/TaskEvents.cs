using System.Text.Json.Nodes;
using ServerlessFargate.Diagnostics;

namespace ServerlessFargate.Model;

/// <summary>
/// One entry of a task's <c>events</c>: an EventBridge rule whose target starts the task, with
/// what the container gets from the event and how EventBridge retries a start ECS refused.
/// </summary>
/// <param name="Number">Its place in the list, from 1: the rule is <c>&lt;Id&gt;EventRule&lt;Number&gt;</c>.</param>
public sealed record TaskEvent(
    int Number,
    EventSource Source,
    IReadOnlyList<EventVariable> Environment,
    int? MaximumRetryAttempts,
    int? MaximumEventAge,
    Located<JsonNode>? DeadLetterQueueArn,
    SourceSpan Span)
{
    /// <summary>The environment variable that holds the whole event.</summary>
    public const string WholeEventVariable = "FARGATE_EVENT";

    /// <summary>
    /// <c>input.wholeEvent</c>: the container gets the whole event too, which takes a state machine
    /// between the rule and the task (see <see cref="TaskModel.HasEventStateMachine"/>).
    /// </summary>
    public bool WholeEvent => WholeEventKey is not null;

    /// <summary>Where <c>wholeEvent: true</c> is written, when it is.</summary>
    public SourceSpan? WholeEventKey { get; init; }
}

/// <summary>What starts a task that has <c>events</c>.</summary>
public sealed partial record TaskModel
{
    /// <summary>
    /// Whether an event of the task passes the whole event. EventBridge can put an object only
    /// where the target's input takes JSON, never into a string such as an environment value, so
    /// those rules start <c>&lt;Id&gt;EventStateMachine</c>, which turns the event into text and
    /// runs the task.
    /// </summary>
    public bool HasEventStateMachine => Events.Any(e => e.WholeEvent);
}

/// <summary>Where the events come from.</summary>
public abstract record EventSource
{
    /// <summary><c>eventBridge</c>: a pattern on a bus (the default bus when <paramref name="EventBus"/> is null).</summary>
    public sealed record Bus(EventPattern Pattern, Located<JsonNode>? EventBus) : EventSource;

    /// <summary>
    /// <c>s3</c>: objects created in a bucket, named as written (a name, or <c>!Ref</c> to a bucket).
    /// <see cref="StackBucket"/> is the logical ID of that bucket when this stack's resources hold it.
    /// </summary>
    public sealed record S3(Located<JsonNode> Bucket, string? Prefix, string? Suffix) : EventSource
    {
        public string? StackBucket { get; init; }

        /// <summary>Whether that bucket already sends its events to EventBridge, as written.</summary>
        public bool StackBucketSendsEvents { get; init; }

        /// <summary>
        /// Where a function (<c>!If</c>…) in that bucket's properties stands in the way of
        /// turning its events on (<c>Properties.NotificationConfiguration</c>), when one does.
        /// </summary>
        public string? StackBucketIntrinsic { get; init; }

        /// <summary>The bucket's name when it is written as one.</summary>
        public string? Name => Bucket.Value is JsonValue value && value.TryGetValue<string>(out var name) ? name : null;
    }
}

/// <summary>An environment variable the container gets from the event: its name and a JSON path into the event.</summary>
public sealed record EventVariable(string Name, Located<string> Path);
