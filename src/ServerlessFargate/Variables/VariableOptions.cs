namespace ServerlessFargate.Variables;

/// <summary>
/// What variables can read besides the configuration itself: the <c>--stage</c> and
/// <c>--region</c> options and the process environment.
/// </summary>
public sealed record VariableOptions(string? Stage = null, string? Region = null, Func<string, string?>? Environment = null)
{
    public string? GetEnvironment(string name) => (Environment ?? System.Environment.GetEnvironmentVariable)(name);
}
