namespace ServerlessFargate.Rules;

/// <summary>
/// CloudFormation's per-stack quotas, which the limit rules check on the finished template so a
/// deploy does not fail after minutes of waiting. Source (checked 2026-11: 500 resources, 200
/// outputs, 200 parameters, 51,200 bytes inline, 1 MB from S3): <see cref="Source"/>.
/// </summary>
internal static class StackQuotas
{
    public const string Source = "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html";

    /// <summary>Limits belong to the whole task list, which the diagnostics' path names.</summary>
    public const string Path = "fargate.tasks";
}
