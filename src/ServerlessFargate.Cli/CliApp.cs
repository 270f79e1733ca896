using System.CommandLine;
using System.Reflection;
using ServerlessFargate.Cli.Commands;

namespace ServerlessFargate.Cli;

/// <summary>
/// The command line. Commands are thin: they parse options, call the <see cref="Engine"/>, print
/// and choose the exit code. Input problems are diagnostics (exit 1), usage problems exit 2, and
/// any exception is reported as a bug (exit 70) without a stack trace unless asked for; in
/// <c>run</c>, whose own code is its container's, each of these is 125 (<see cref="ExitCodes.Failure"/>).
/// </summary>
public static class CliApp
{
    public static string Version { get; } =
        typeof(CliApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    /// <param name="environment">The working folder and environment variables; the process's own when null.</param>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, CliEnvironment? environment = null, TextReader? stdin = null)
    {
        // Words after `--` belong to the command exec runs, not to us: kept apart from parsing, so
        // none of them is read as a path or an option.
        var io = new ConsoleIo(stdout, stderr, environment ?? CliEnvironment.Process, stdin ?? Console.In) { Arguments = args };
        var separator = Array.IndexOf(args, "--");
        args = separator < 0 ? args : args[..separator];
        var root = new RootCommand("sls-fargate: validate and package the Fargate tasks of a Serverless Framework service into CloudFormation, deploy them, and run, watch and reach them once deployed.")
        {
            ValidateCommand.Create(io),
            PackageCommand.Create(io),
            SchemaCommand.Create(io),
            CompileCommand.Create(io),
        };
        foreach (var command in AwsCommands.Create(io))
        {
            root.Add(command);
        }
        root.Add(CompletionCommand.Create(io));

        // System.CommandLine prints the entry assembly's version, which is the test host's when
        // the CLI runs in-process; print ours.
        foreach (var option in root.Options.OfType<VersionOption>())
        {
            option.Action = new PrintVersion(stdout);
        }

        // `help` and `version` as words, and -v, as other CLIs take them.
        args = args switch
        {
            ["help", .. var rest] => [.. rest, "--help"],
            ["version" or "-v"] => ["--version"],
            _ => args,
        };
        var parsed = root.Parse(args);
        // A failure of sls-fargate itself; run's are 125, apart from its container's codes.
        int Failed(int code) => ExitCodes.Failure(parsed.CommandResult.Command.Name, code);
        if (args is [['[', ..], ..] && parsed.Errors.Count == 0)
        {
            // A directive, such as [suggest:N] from the completion scripts: System.CommandLine's own.
            return parsed.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
        }
        if (separator >= 0 && parsed.CommandResult.Command.Name != "exec")
        {
            stderr.WriteLine($"sls-fargate: `--` and the words after it are for exec's command; `{parsed.CommandResult.Command.Name}` takes none");
            return Failed(ExitCodes.UsageError);
        }
        if (CliMistakes.Find(root, parsed, args) is { } mistake)
        {
            stderr.WriteLine($"sls-fargate: {mistake}");
            stderr.WriteLine("Run 'sls-fargate --help' for usage.");
            return Failed(ExitCodes.UsageError);
        }
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                stderr.WriteLine($"sls-fargate: {error.Message}");
            }
            stderr.WriteLine("Run 'sls-fargate --help' for usage.");
            return Failed(ExitCodes.UsageError);
        }

        try
        {
            return parsed.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (Exception ex) when (ex is UsageException or InputUnreadableException or Aws.Operations.OperationException { IsUsage: true })
        {
            stderr.WriteLine($"sls-fargate: {Said(ex)}");
            return Failed(ExitCodes.UsageError);
        }
        catch (ConfigurationInvalidException ex)
        {
            stderr.WriteLine(ex.Message);
            return Failed(ExitCodes.InputErrors);
        }
        catch (Exception ex) when (ex is Aws.AwsException or Aws.Operations.OperationException)
        {
            stderr.WriteLine($"sls-fargate: {Said(ex)}");
            return Failed(ExitCodes.AwsFailure);
        }
        catch (Exception ex)
        {
            stderr.WriteLine($"sls-fargate: internal error: {ex.GetType().Name}: {Said(ex)}");
            stderr.WriteLine("This is a bug in sls-fargate, not a problem in your configuration. Please report it with the input that caused it.");
            if (Environment.GetEnvironmentVariable("SLS_FARGATE_DEBUG") == "1")
            {
                stderr.WriteLine(ex.ToString());
            }
            return Failed(ExitCodes.InternalError);
        }
    }

    /// <summary>
    /// An error's one line, escaped as the AWS commands' output is (<see cref="Aws.TerminalText"/>),
    /// with or without --raw: it may quote AWS (a stopped reason, a stack event's reason) or what
    /// was typed, and a message of ours is printable text.
    /// </summary>
    private static string Said(Exception error) => Aws.TerminalText.Escape(error.Message);
}

internal sealed class PrintVersion(TextWriter output) : System.CommandLine.Invocation.SynchronousCommandLineAction
{
    public override int Invoke(ParseResult parseResult)
    {
        output.WriteLine(CliApp.Version);
        return ExitCodes.Ok;
    }
}

/// <summary>Says what was mistyped, with a did-you-mean: an unknown command, or an option the command does not have.</summary>
internal static class CliMistakes
{
    public static string? Find(RootCommand root, ParseResult parsed, string[] args)
    {
        var command = parsed.CommandResult.Command;
        if (command == root && args is [var first, ..] && !first.StartsWith('-'))
        {
            var names = root.Subcommands.Select(c => c.Name).ToList();
            return $"unknown command `{first}`" + DidYouMean(first, names, $"; the commands are {string.Join(", ", names)}");
        }
        var options = command.Options.Concat(root.Options).ToList();
        var known = options.SelectMany(o => o.Aliases.Append(o.Name)).ToHashSet(StringComparer.Ordinal);
        var takesValue = options.Where(o => o.Arity.MaximumNumberOfValues > 0 && o.ValueType != typeof(bool))
            .SelectMany(o => o.Aliases.Append(o.Name)).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            var name = arg.Split('=')[0];
            if (arg.Length > 1 && arg[0] == '-' && !known.Contains(name) && !(i > 0 && takesValue.Contains(args[i - 1])))
            {
                return $"unknown option `{name}` for `{command.Name}`" + DidYouMean(name, [.. known.Where(k => k.StartsWith("--", StringComparison.Ordinal))], "");
            }
        }
        return null;
    }

    private static string DidYouMean(string typed, IReadOnlyList<string> candidates, string otherwise) =>
        Diagnostics.DidYouMean.Closest(typed, candidates) is { } suggestion ? $"; did you mean `{suggestion}`?" : otherwise;
}

/// <summary>Where commands write and what they read from the process; tests pass their own.</summary>
public sealed record ConsoleIo(TextWriter Out, TextWriter Error, CliEnvironment Environment, TextReader Input)
{
    /// <summary>The command line as given, <c>--</c> and all: what <see cref="AwsHandOff"/> passes on.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>The words after <c>--</c>: the command <c>exec</c> runs in the task.</summary>
    public IReadOnlyList<string> Trailing => [.. Arguments.SkipWhile(a => a != "--").Skip(1)];

    public EngineOptions Options(string? stage, string? region, string? mergeInto = null) =>
        new(stage, region, Environment.GetVariable, mergeInto, Environment.WorkingDirectory);
}

/// <summary>The working folder and the environment variables <c>${env:...}</c> reads.</summary>
public sealed record CliEnvironment(string WorkingDirectory, Func<string, string?> GetVariable)
{
    /// <summary>Where AWS requests go; tests put a fault injector in front of moto here. Null: the network.</summary>
    public HttpMessageHandler? AwsHandler { get; init; }

    /// <summary>How often commands that wait look at AWS again; tests shorten it. Null: each command's own pace.</summary>
    public TimeSpan? PollInterval { get; init; }

    /// <summary>Stands for Ctrl-C in tests; the process's own Ctrl-C is used as well.</summary>
    public CancellationToken Interrupt { get; init; }

    /// <summary>
    /// Asks the user a question and gives the line typed (Ctrl-C cancels the token, and the
    /// question); null when nobody can answer (standard input or error is not a terminal, as in
    /// CI), so commands that must confirm need --yes.
    /// </summary>
    public Func<string, CancellationToken, Task<string?>>? Ask { get; init; }

    /// <summary>Whether standard error is a terminal that shows colour (and NO_COLOR is not set).</summary>
    public bool Colour { get; init; }

    public static CliEnvironment Process => new(Directory.GetCurrentDirectory(), System.Environment.GetEnvironmentVariable)
    {
        Ask = Console.IsInputRedirected || Console.IsErrorRedirected ? null : AskOnTerminal,
        Colour = !Console.IsErrorRedirected && string.IsNullOrEmpty(System.Environment.GetEnvironmentVariable("NO_COLOR"))
            && System.Environment.GetEnvironmentVariable("TERM") != "dumb",
    };

    private static async Task<string?> AskOnTerminal(string question, CancellationToken cancel)
    {
        Console.Error.Write(question);
        Console.Error.Flush();
        // ReadLine cannot be cancelled: it reads on a thread of its own, and Ctrl-C stops the
        // wait for it (the command then ends, and the line is never read).
        return await Task.Run(Console.In.ReadLine, CancellationToken.None).WaitAsync(cancel).ConfigureAwait(false);
    }
}
