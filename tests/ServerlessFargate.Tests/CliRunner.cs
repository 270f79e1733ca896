using ServerlessFargate.Cli;

namespace ServerlessFargate.Tests;

/// <summary>Runs the CLI in-process, in a given working folder, with its output captured.</summary>
internal sealed record CliRun(int ExitCode, string Out, string Error);

internal static class CliRunner
{
    public static CliRun Run(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var env = new CliEnvironment(workingDirectory, name => environment is not null && environment.TryGetValue(name, out var value) ? value : null);
        var code = CliApp.Run(args, stdout, stderr, env);
        return new CliRun(code, stdout.ToString(), stderr.ToString());
    }

    public static CliRun Run(string workingDirectory, params string[] args) => Run(workingDirectory, null, args);
}
