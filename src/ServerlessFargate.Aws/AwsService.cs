namespace ServerlessFargate.Aws;

/// <summary>
/// One AWS service as the signer and the endpoint resolver need it: the SigV4 signing name, the
/// host's first label, and the id in <c>AWS_ENDPOINT_URL_&lt;ID&gt;</c>
/// (https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html lists the ids).
/// </summary>
public sealed record AwsService(string DisplayName, string SigningName, string HostPrefix, string EndpointVariableId)
{
    public static readonly AwsService CloudFormation = new("CloudFormation", "cloudformation", "cloudformation", "CLOUDFORMATION");
    public static readonly AwsService Ecs = new("ECS", "ecs", "ecs", "ECS");
    public static readonly AwsService Logs = new("CloudWatch Logs", "logs", "logs", "CLOUDWATCH_LOGS");
    public static readonly AwsService Events = new("EventBridge", "events", "events", "EVENTBRIDGE");
    public static readonly AwsService Scheduler = new("EventBridge Scheduler", "scheduler", "scheduler", "SCHEDULER");
    public static readonly AwsService S3 = new("S3", "s3", "s3", "S3");
    public static readonly AwsService Sts = new("STS", "sts", "sts", "STS");
    public static readonly AwsService StepFunctions = new("Step Functions", "states", "states", "SFN");
}
