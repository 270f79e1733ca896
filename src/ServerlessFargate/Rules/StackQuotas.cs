namespace ServerlessFargate.Rules;

/// <summary>
/// CloudFormation's per-stack quotas, which the limit rules check on the finished template so a
/// deploy does not fail after minutes of waiting. Source (checked 2026-11: 500 resources, 200
/// outputs, 200 parameters, 51,200 bytes inline, 1 MB from S3): <see cref="Source"/>.
/// </summary>
internal static class StackQuotas
{
    public const string Source = "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html";

    public const int MaxResources = 500;
    public const int MaxOutputs = 200;
    public const int MaxParameters = 200;

    /// <summary>A template body uploaded through S3 (as the Serverless Framework does).</summary>
    public const int MaxBodyBytes = 1_000_000;

    /// <summary>A template body passed inline (<c>aws cloudformation deploy</c> without <c>--s3-bucket</c>).</summary>
    public const int MaxInlineBodyBytes = 51_200;

    /// <summary>Limits belong to the whole task list, which the diagnostics' path names.</summary>
    public const string Path = "fargate.tasks";
}
