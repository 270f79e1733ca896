namespace ServerlessFargate.Variables;

/// <summary>
/// What variables can read besides the configuration itself: the <c>--stage</c> and
/// <c>--region</c> options and the process environment.
/// </summary>
public sealed record VariableOptions(string? Stage = null, string? Region = null, Func<string, string?>? Environment = null)
{
    public string? GetEnvironment(string name) => (Environment ?? System.Environment.GetEnvironmentVariable)(name);
}

/// <summary>
/// The one rule for a command's region: <c>--region</c>, then <c>provider.region</c>, then
/// us-east-1, as the Serverless Framework decides it (its AWS provider's getRegion). The
/// environment (<c>AWS_REGION</c>, a profile's region) is not asked, as the framework does not
/// ask it either: one configuration deploys to the same region with <c>serverless deploy</c> and
/// <c>sls-fargate deploy</c>, and <c>${aws:region}</c> in the template is where it is deployed.
/// </summary>
public static class FrameworkRegion
{
    public const string Default = "us-east-1";

    public static string Choose(string? option, string? provider) => option ?? provider ?? Default;
}
