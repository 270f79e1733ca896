namespace ServerlessFargate.CloudFormation;

/// <summary>
/// CloudFormation's quotas on one stack's template, as the template rules check them and as
/// deploy sends templates (inline, or through S3 above the inline size).
/// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html
/// </summary>
public static class StackLimits
{
    public const int Resources = 500;

    public const int Outputs = 200;

    public const int Parameters = 200;

    /// <summary>A template body read from S3 (as the Serverless Framework sends it).</summary>
    public const int BodyBytes = 1_000_000;

    /// <summary>A template body sent inline, in the request itself.</summary>
    public const int InlineBodyBytes = 51_200;
}
