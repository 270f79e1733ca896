using ServerlessFargate.Cli;

namespace ServerlessFargate.Tests;

/// <summary>What a CLI run gave.</summary>
internal sealed record CliRun(int ExitCode, string Out, string Error)
{
    public string Output => Out + Error;
}

/// <summary>
/// Runs the CLI in a given working folder, with its output captured: in-process by default, or,
/// when SLS_FARGATE_CLI_UNDER_TEST names an executable (the native AOT build in CI), as that
/// process, so the same tests check the published binary.
/// </summary>
internal static class CliRunner
{
    public static string? ExecutableUnderTest => Environment.GetEnvironmentVariable("SLS_FARGATE_CLI_UNDER_TEST") is { Length: > 0 } path ? path : null;

    public static CliRun Run(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args) =>
        RunWithInput(workingDirectory, environment, null, args);

    /// <summary>Runs the CLI with <paramref name="stdin"/> as its standard input (for <c>compile --stdin</c>).</summary>
    public static CliRun RunWithInput(string workingDirectory, IReadOnlyDictionary<string, string>? environment, string? stdin, params string[] args)
    {
        if (ExecutableUnderTest is { } executable)
        {
            var result = ProcessRunner.Run(executable, args, environment, workingDirectory, stdin);
            return new CliRun(result.ExitCode, result.Out, result.Error);
        }
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var env = new CliEnvironment(workingDirectory, name => environment is not null && environment.TryGetValue(name, out var value) ? value : null);
        var code = CliApp.Run(args, stdout, stderr, env, stdin is null ? null : new StringReader(stdin));
        return new CliRun(code, stdout.ToString(), stderr.ToString());
    }

    public static CliRun Run(string workingDirectory, params string[] args) => Run(workingDirectory, null, args);
}
