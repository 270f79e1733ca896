using System.CommandLine;
using System.Reflection;
using ServerlessFargate.Cli.Commands;

namespace ServerlessFargate.Cli;

/// <summary>
/// The command line. Commands are thin: they parse options, call the <see cref="Engine"/>, print
/// and choose the exit code. Input problems are diagnostics (exit 1), usage problems exit 2, and
/// any exception is reported as a bug (exit 70) without a stack trace unless asked for.
/// </summary>
public static class CliApp
{
    public static string Version { get; } =
        typeof(CliApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    /// <param name="environment">The working folder and environment variables; the process's own when null.</param>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, CliEnvironment? environment = null, TextReader? stdin = null)
    {
        var io = new ConsoleIo(stdout, stderr, environment ?? CliEnvironment.Process, stdin ?? Console.In);
        var root = new RootCommand("sls-fargate: validate and package the Fargate tasks of a Serverless Framework service into CloudFormation.")
        {
            ValidateCommand.Create(io),
            PackageCommand.Create(io),
            SchemaCommand.Create(io),
            CompileCommand.Create(io),
        };

        // System.CommandLine prints the entry assembly's version, which is the test host's when
        // the CLI runs in-process; print ours.
        foreach (var option in root.Options.OfType<VersionOption>())
        {
            option.Action = new PrintVersion(stdout);
        }

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                stderr.WriteLine($"sls-fargate: {error.Message}");
            }
            stderr.WriteLine("Run 'sls-fargate --help' for usage.");
            return ExitCodes.UsageError;
        }

        try
        {
            return parsed.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (Exception ex) when (ex is UsageException or InputUnreadableException)
        {
            stderr.WriteLine($"sls-fargate: {ex.Message}");
            return ExitCodes.UsageError;
        }
        catch (Exception ex)
        {
            stderr.WriteLine($"sls-fargate: internal error: {ex.GetType().Name}: {ex.Message}");
            stderr.WriteLine("This is a bug in sls-fargate, not a problem in your configuration. Please report it with the input that caused it.");
            if (Environment.GetEnvironmentVariable("SLS_FARGATE_DEBUG") == "1")
            {
                stderr.WriteLine(ex.ToString());
            }
            return ExitCodes.InternalError;
        }
    }
}

internal sealed class PrintVersion(TextWriter output) : System.CommandLine.Invocation.SynchronousCommandLineAction
{
    public override int Invoke(ParseResult parseResult)
    {
        output.WriteLine(CliApp.Version);
        return ExitCodes.Ok;
    }
}

/// <summary>Where commands write and what they read from the process; tests pass their own.</summary>
public sealed record ConsoleIo(TextWriter Out, TextWriter Error, CliEnvironment Environment, TextReader Input)
{
    public EngineOptions Options(string? stage, string? region, string? mergeInto = null) =>
        new(stage, region, Environment.GetVariable, mergeInto, Environment.WorkingDirectory);
}

/// <summary>The working folder and the environment variables <c>${env:...}</c> reads.</summary>
public sealed record CliEnvironment(string WorkingDirectory, Func<string, string?> GetVariable)
{
    public static CliEnvironment Process => new(Directory.GetCurrentDirectory(), System.Environment.GetEnvironmentVariable);
}
