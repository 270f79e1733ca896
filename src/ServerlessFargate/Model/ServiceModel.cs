using System.Text.Json.Nodes;
using ServerlessFargate.Diagnostics;

using ServerlessFargate.Variables;

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
    SourceSpan FargateKeySpan)
{
    /// <summary>Where an old-style <c>custom.fargate</c> block is, when there is one.</summary>
    public SourceSpan? LegacyFargateKey { get; init; }

    /// <summary>False when the configuration has no <c>fargate</c> block at all.</summary>
    public bool FargateDeclared { get; init; } = true;

    /// <summary>Tasks left out because they failed the schema (already reported); rules say nothing about them.</summary>
    public IReadOnlySet<string> SkippedTasks { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>The load balancer's settings (<c>loadBalancer</c>, <c>vpc.publicSubnetIds</c>, <c>vpc.id</c>).</summary>
    public LoadBalancerSettings LoadBalancer { get; init; } = LoadBalancerSettings.Default;

    /// <summary>The network generated for tasks without subnets, or null when every task names its own.</summary>
    public GeneratedNetwork? Network { get; init; }

    /// <summary>The CloudFormation stack the service deploys to: <c>provider.stackName</c>, or <c>&lt;service&gt;-&lt;stage&gt;</c> as the framework names it.</summary>
    public string StackName { get; init; } = "";


    /// <summary>
    /// Why <c>serverless deploy</c>, not <c>sls-fargate deploy</c>, deploys this service ("it
    /// declares functions (hello)"); null when nothing but sls-fargate deploys it.
    /// </summary>
    public string? DeployedByFramework { get; init; }

    /// <summary>The names <c>provider.ecr.images</c> declares, for image suggestions.</summary>
    public IReadOnlyList<string> EcrImageNames { get; init; } = [];
}

public sealed record ClusterSettings(
    string? ClusterName,
    bool? ContainerInsights,
    string? LogGroupName,
    int? LogRetentionInDays,
    IReadOnlyList<KeyValuePair<string, JsonNode>> Tags)
{
    /// <summary>Where <see cref="Tags"/> come from: provider.tags and fargate.tags.</summary>
    public IReadOnlyList<TagSection> TagSections { get; init; } = [];
}

/// <summary>
/// One <c>tags</c> map that adds to a resource's merged tags: where it is written and how many of
/// the merged tags it gives (a key set again at a later level counts for the later one).
/// </summary>
public sealed record TagSection(string Path, SourceSpan Key, int Count);

/// <summary>Statements and managed policies for a task role, in the order the role lists them.</summary>
public sealed record IamSettings(IReadOnlyList<IamEntry> Statements, IReadOnlyList<IamEntry> ManagedPolicies)
{
    public static readonly IamSettings None = new([], []);
}

/// <summary>An image the framework builds (<c>provider.ecr.images.NAME.path</c>): the template takes its URI as a parameter.</summary>
public sealed record ImageParameter(string ImageName, string LogicalId, string BuildPath);

public abstract record TaskImage
{
    /// <summary>A URI from provider.ecr.images or from the framework.</summary>
    public sealed record Uri(string Value) : TaskImage;

    /// <summary>What the task's <c>image</c> says when it names no image in provider.ecr.images: it must read as a URI.</summary>
    public sealed record Reference(Located<string> Value) : TaskImage;

    public sealed record Parameter(ImageParameter Image) : TaskImage;
}

/// <summary>
/// A list setting as written: its items (strings, or functions that give one), or one function
/// that gives the whole list (<c>subnetIds: !Split [",", !ImportValue subnets]</c>, <c>!Ref</c> to a
/// <c>List&lt;AWS::EC2::Subnet::Id&gt;</c> parameter), which CloudFormation must receive as it is,
/// not inside a list of one.
/// </summary>
public sealed record CfnList(IReadOnlyList<JsonNode> Items, JsonObject? Whole = null)
{
    public static readonly CfnList Empty = new([]);

    /// <summary>
    /// Items that are a <c>!Ref</c> to a list parameter (<c>subnetIds: [!Ref Subnets]</c>): a list
    /// inside the list, which CloudFormation refuses (FG3051). The parameter's name, where the item is.
    /// </summary>
    public IReadOnlyList<Located<string>> ListsInside { get; init; } = [];

    /// <summary>Where the list is written, as a path: <c>fargate.vpc.subnetIds</c>, <c>provider.vpc.subnetIds</c>.</summary>
    public string? WrittenAt { get; init; }

    /// <summary>Where the list is written in the file.</summary>
    public SourceSpan? Span { get; init; }

    public bool IsEmpty => Items.Count == 0 && Whole is null;

    /// <summary>How many items, when the template says so; null for a whole-list function.</summary>
    public int? KnownCount => Whole is null ? Items.Count : null;

    /// <summary>
    /// Values in first-seen order without repeats (JSON equality): an item written twice is kept
    /// once, since CloudFormation refuses repeated subnets, groups or managed policies.
    /// </summary>
    public static List<JsonNode> Distinct(IEnumerable<JsonNode> values)
    {
        var kept = new List<JsonNode>();
        foreach (var value in values.Where(value => !kept.Exists(k => JsonNode.DeepEquals(k, value))))
        {
            kept.Add(value);
        }
        return kept;
    }

    /// <summary>The list as CloudFormation takes it.</summary>
    public JsonNode ToJson() => Whole?.DeepClone() ?? new JsonArray([.. Items.Select(i => i.DeepClone())]);
}

public sealed record NetworkSettings(CfnList SubnetIds, CfnList SecurityGroupIds, bool AssignPublicIp)
{
    /// <summary>No subnets anywhere: the task runs in the network the template generates (with a public IP).</summary>
    public bool Generated { get; init; }

    /// <summary>Where `subnetIds` is written (or the nearest vpc block, or the task), for messages.</summary>
    public SourceSpan? SubnetsSpan { get; init; }
}

/// <summary>The network generated for tasks that name no subnets: a VPC with two public subnets.</summary>
public sealed record GeneratedNetwork(Located<string> Cidr, IReadOnlyList<string> TaskKeys);

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

    /// <summary>The string form of <c>schedule</c>: an EventBridge rule, in UTC.</summary>
    public sealed record Scheduled(Schedule Schedule) : TaskKind;

    /// <summary>The object form of <c>schedule</c>: EventBridge Scheduler schedules sharing the task definition.</summary>
    public sealed record Schedules(IReadOnlyList<ScheduleEntry> Entries) : TaskKind;

    /// <summary><c>service: false</c>: a task definition only, to be run by other means.</summary>
    public sealed record Standalone : TaskKind;

    /// <summary><c>events</c> and no <c>schedule</c>: the task runs when its events fire.</summary>
    public sealed record Triggered : TaskKind;
}

public sealed partial record TaskModel(
    string Key,
    SourceSpan KeySpan,
    Located<string> Name,
    string Id,
    TaskImage Image,
    JsonNode? ExecutionRoleArn,
    JsonNode? TaskRoleArn,
    NetworkSettings Network,
    IReadOnlyList<string>? Command,
    IReadOnlyList<string>? EntryPoint,
    Located<string> Memory,
    int? MemoryMiB,
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

    /// <summary>Where <see cref="Tags"/> come from: provider.tags, fargate.tags and the task's own.</summary>
    public IReadOnlyList<TagSection> TagSections { get; init; } = [];

    /// <summary>The role EventBridge assumes to start the task on its rule (<c>eventsRoleArn</c>), or null to generate one.</summary>
    public JsonNode? EventsRoleArn { get; init; }

    /// <summary>The role EventBridge Scheduler assumes to start the task (<c>schedulerRoleArn</c>), or null to generate one.</summary>
    public JsonNode? SchedulerRoleArn { get; init; }

    /// <summary>HTTP through the stack's load balancer (<c>http</c>), or null.</summary>
    public HttpSettings? Http { get; init; }

    /// <summary>The container's port mappings (<c>ports</c>).</summary>
    public IReadOnlyList<PortMapping> Ports { get; init; } = [];

    /// <summary>Where <c>service:</c> was written, when it was (it means nothing on a scheduled task).</summary>
    public SourceSpan? ServiceKey { get; init; }

    /// <summary>Where <c>service.autoscaling</c> was written, when it was.</summary>
    public SourceSpan? AutoscalingKey { get; init; }

    /// <summary>How long one run takes (<c>estimatedDuration</c>) as written, for cost estimates (FG3050 checks it).</summary>
    public Located<string>? EstimatedDuration { get; init; }

    /// <summary><see cref="EstimatedDuration"/> read, or null when not given or not a duration of at least a second.</summary>
    public TimeSpan? EstimatedRun => EstimatedDuration is { } text && DurationText.Parse(text.Value, out _) is { } run && run >= TimeSpan.FromSeconds(1) ? run : null;

    /// <summary>What starts the task beside a schedule (<c>events</c>): an EventBridge rule each.</summary>
    public IReadOnlyList<TaskEvent> Events { get; init; } = [];

    /// <summary>Alerts when the task fails (<c>alerts</c>, merged with the fargate level's), or null.</summary>
    public AlertSettings? Alerts { get; init; }
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
    Schedule Schedule,
    int? FlexibleWindow,
    bool Enabled,
    int? Retries,
    int? MaxEventAge,
    JsonNode? DeadLetterQueueArn,
    IReadOnlyList<string>? Command);

/// <summary>A container secret: the variable's name and where ECS reads the value.</summary>
public sealed record SecretReference(string Name, SecretSource Source, SourceSpan Span);

/// <summary>Where a secret's value lives, as written in <c>secrets:</c>.</summary>
public abstract record SecretSource
{
    /// <summary>
    /// <c>arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf:password::</c>: IAM knows
    /// the secret by the first seven colon-separated parts (<see cref="SecretArn"/>); the
    /// <c>:json-key:version-stage:version-id</c> suffix is for ECS only.
    /// </summary>
    public sealed record SecretsManagerArn(string Arn) : SecretSource
    {
        public string SecretArn => string.Join(':', Arn.Split(':').Take(7));

        /// <summary>
        /// What the execution role's policy names. Secrets Manager appends six random characters
        /// to a secret's name (<c>prod/db-AbCdEf</c>); ECS finds a secret by the ARN without them,
        /// but IAM compares whole ARNs, so a partial ARN is granted as <c>prod/db-??????</c>, as
        /// AWS documents: https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_iam-policies.html
        /// </summary>
        public string PolicyArn => HasRandomSuffix ? SecretArn : SecretArn + "-??????";

        public bool HasRandomSuffix => System.Text.RegularExpressions.Regex.IsMatch(SecretArn, "-[A-Za-z0-9]{6}$");
    }

    public sealed record ParameterArn(string Arn) : SecretSource;

    /// <summary><c>ssm:/name</c>: a parameter in the stack's own account and region.</summary>
    public sealed record ParameterName(string Name) : SecretSource;

    /// <summary>A function (<c>!Ref MySecret</c>, <c>!Sub ...</c>); a Sub naming <c>:ssm:</c> reads a parameter.</summary>
    public sealed record Intrinsic(JsonNode Value, bool IsParameter) : SecretSource;

    /// <summary>A string that is none of the above; the secrets rule reports it.</summary>
    public sealed record Invalid(string Text) : SecretSource;
}

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

    /// <summary>Customer managed KMS keys that encrypt the secrets (<c>secretsKmsKeyArns</c>).</summary>
    public IReadOnlyList<JsonNode> SecretsKmsKeyArns { get; init; } = [];
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

/// <summary>Scaling on SQS backlog per task.</summary>
public sealed record QueueScaling(Located<QueueReference> Queue, int MessagesPerTask);

/// <summary>How <c>sqs.queue</c> names the queue.</summary>
public abstract record QueueReference
{
    public sealed record Arn(string Value) : QueueReference
    {
        /// <summary>A queue's name is the last part of its ARN.</summary>
        public string QueueName => Value[(Value.LastIndexOf(':') + 1)..];
    }

    /// <summary>A queue in this stack, by its logical ID (a word of letters and digits starting upper-case).</summary>
    public sealed record LogicalId(string Value) : QueueReference;

    public sealed record Name(string Value) : QueueReference;

    public static QueueReference Parse(string text) =>
        text.StartsWith("arn:", StringComparison.Ordinal) ? new Arn(text)
        : text.Length > 0 && char.IsAsciiLetterUpper(text[0]) && text.All(char.IsAsciiLetterOrDigit) ? new LogicalId(text)
        : new Name(text);
}

/// <summary>How a task serves HTTP through the load balancer.</summary>
public sealed record HttpSettings(
    Located<int> Port,
    Located<string>? Path,
    Located<string>? Host,
    string? HealthCheckPath,
    int? HealthCheckInterval,
    int? HealthCheckTimeout,
    int? HealthyThreshold,
    int? UnhealthyThreshold,
    int? DeregistrationDelay,
    int? HealthCheckGracePeriod,
    SourceSpan Span)
{
    /// <summary>Where the health check's timeout is written, or its interval when it has no timeout; null when neither is.</summary>
    public SourceSpan? HealthCheckTimingSpan { get; init; }
}

/// <summary>The one Application Load Balancer of the stack.</summary>
public sealed record LoadBalancerSettings(bool Public, Located<JsonNode>? CertificateArn, int? IdleTimeout, string? SslPolicy,
    CfnList PublicSubnetIds, JsonNode? VpcId, SourceSpan Span)
{
    public static readonly LoadBalancerSettings Default = new(true, null, null, null, CfnList.Empty, null, default);
}

/// <summary>A container port, as <c>8080</c> or <c>"9000/udp"</c> gives it.</summary>
public sealed record PortMapping(Located<int> Port, string Protocol);

/// <summary>Which of a task's stack outputs to emit (<c>outputs:</c>); all by default.</summary>
public sealed record OutputSettings(bool TaskArn, bool ServiceArn, bool ScheduledTaskArn)
{
    public static readonly OutputSettings All = new(true, true, true);
}
