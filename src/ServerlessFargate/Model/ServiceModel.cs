using System.Text.Json.Nodes;
using ServerlessFargate.Diagnostics;

namespace ServerlessFargate.Model;

/// <summary>
/// Everything the compiler needs, with defaults and the provider → fargate → task merge rules
/// already applied. Values that CloudFormation may compute (role ARNs, subnet ids, environment
/// values) are kept as JSON, since users may write intrinsic functions such as <c>!Ref</c> there.
/// </summary>
public sealed record ServiceModel(
    string? ServiceName,
    string Stage,
    string Region,
    ClusterSettings Cluster,
    IamSettings Iam,
    IReadOnlyList<TaskModel> Tasks,
    IReadOnlyList<ImageParameter> ImageParameters,
    SourceSpan FargateSpan)
{
    /// <summary>Customer managed KMS keys that encrypt the tasks' secrets (<c>secretsKmsKeyArns</c>).</summary>
    public IReadOnlyList<JsonNode> SecretsKmsKeyArns { get; init; } = [];
}

public sealed record ClusterSettings(
    string? ClusterName,
    bool? ContainerInsights,
    string? LogGroupName,
    int? LogRetentionInDays,
    IReadOnlyList<KeyValuePair<string, JsonNode>> Tags);

public sealed record IamSettings(IReadOnlyList<JsonNode> Statements, IReadOnlyList<JsonNode> ManagedPolicies);

/// <summary>An image the framework builds (<c>provider.ecr.images.NAME.path</c>): the template takes its URI as a parameter.</summary>
public sealed record ImageParameter(string ImageName, string LogicalId, string BuildPath);

public abstract record TaskImage
{
    public sealed record Uri(string Value) : TaskImage;

    public sealed record Parameter(ImageParameter Image) : TaskImage;
}

public sealed record NetworkSettings(IReadOnlyList<JsonNode> SubnetIds, IReadOnlyList<JsonNode> SecurityGroupIds, bool AssignPublicIp);

public sealed record EscapeHatches(JsonObject Task, JsonObject Container, JsonObject Service, IReadOnlyList<JsonNode> AdditionalContainers);

public abstract record TaskKind
{
    /// <summary>A service; each count is located at its key, or at the task's key when defaulted.</summary>
    public sealed record Service(Located<int> DesiredCount, Located<int> MaximumPercent, Located<int> MinimumHealthyPercent) : TaskKind
    {
        /// <summary>Roll back a deployment whose tasks keep failing (on unless <c>circuitBreaker: false</c>).</summary>
        public bool CircuitBreaker { get; init; } = true;

        public Autoscaling? Autoscaling { get; init; }

        /// <summary>Where <c>desiredCount</c> was written, when it was.</summary>
        public SourceSpan? DesiredCountKey { get; init; }
    }

    public sealed record Scheduled(Located<string> Expression) : TaskKind;

    /// <summary>The object form of <c>schedule</c>: EventBridge Scheduler schedules sharing the task definition.</summary>
    public sealed record Schedules(IReadOnlyList<ScheduleEntry> Entries) : TaskKind;

    /// <summary><c>service: false</c>: a task definition only, to be run by other means.</summary>
    public sealed record Standalone : TaskKind;
}

public sealed record TaskModel(
    string Key,
    SourceSpan KeySpan,
    Located<string> Name,
    string Id,
    TaskImage Image,
    JsonNode? ExecutionRoleArn,
    JsonNode? TaskRoleArn,
    NetworkSettings Network,
    SourceSpan NetworkSpan,
    IReadOnlyList<string>? Command,
    IReadOnlyList<string>? EntryPoint,
    Located<string> Memory,
    int MemoryMiB,
    Located<int> Cpu,
    Located<string>? Architecture,
    IReadOnlyList<KeyValuePair<string, JsonNode>> Environment,
    IReadOnlyList<KeyValuePair<string, JsonNode>> Tags,
    IReadOnlyList<string> DependsOn,
    TaskKind Kind,
    EscapeHatches Overrides,
    OutputSettings Outputs)
{
    public RuntimeSettings Runtime { get; init; } = RuntimeSettings.None;

    /// <summary>The Fargate Spot strategy, or null to run on FARGATE only.</summary>
    public SpotStrategy? Spot { get; init; }
}

/// <summary>
/// How tasks split between FARGATE and FARGATE_SPOT: the first <paramref name="OnDemandBase"/> on
/// FARGATE, the rest in the ratio <paramref name="OnDemandWeight"/> : <paramref name="SpotWeight"/>.
/// </summary>
public sealed record SpotStrategy(int OnDemandBase, int OnDemandWeight, int SpotWeight, SourceSpan Span)
{
    /// <summary>Where <c>fallback: true</c> was written, when it was.</summary>
    public SourceSpan? Fallback { get; init; }

    public bool UsesSpot => SpotWeight > 0;
}

/// <summary>One EventBridge Scheduler schedule of a task.</summary>
public sealed record ScheduleEntry(
    Located<string> Expression,
    Located<string>? TimeZone,
    int? FlexibleWindow,
    bool Enabled,
    int? Retries,
    int? MaxEventAge,
    JsonNode? DeadLetterQueueArn,
    IReadOnlyList<string>? Command);

/// <summary>A container secret: the variable's name and where ECS reads the value.</summary>
public sealed record SecretReference(string Name, JsonNode ValueFrom, SourceSpan Span);

/// <summary>A container health check, in ECS's terms (Command starts with CMD or CMD-SHELL).</summary>
public sealed record HealthCheckSettings(IReadOnlyList<string> Command, int? Interval, int? Timeout, int? Retries, int? StartPeriod);

/// <summary>What a long-running container needs beyond the reference's keys.</summary>
public sealed record RuntimeSettings(
    IReadOnlyList<SecretReference> Secrets,
    HealthCheckSettings? HealthCheck,
    Located<bool> Exec,
    int? StopTimeout,
    int? EphemeralStorage)
{
    public static readonly RuntimeSettings None = new([], null, new Located<bool>(false, default), null, null);
}

/// <summary>Target tracking on the service's task count.</summary>
public sealed record Autoscaling(
    Located<int> Min,
    Located<int> Max,
    int? Cpu,
    int? Memory,
    QueueScaling? Queue,
    int? ScaleInCooldown,
    int? ScaleOutCooldown,
    SourceSpan Span);

/// <summary>Scaling on SQS backlog per task; <paramref name="Queue"/> is a logical ID, ARN or name.</summary>
public sealed record QueueScaling(Located<string> Queue, int MessagesPerTask);

/// <summary>Which of a task's stack outputs to emit (<c>outputs:</c>); all by default.</summary>
public sealed record OutputSettings(bool TaskArn, bool ServiceArn, bool ScheduledTaskArn)
{
    public static readonly OutputSettings All = new(true, true, true);
}
