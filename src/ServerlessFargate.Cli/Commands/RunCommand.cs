using System.CommandLine;
using ServerlessFargate.Aws.Operations;

namespace ServerlessFargate.Cli.Commands;

internal sealed class RunCommand : AwsCommand
{
    public const string Name = "run";

    private readonly Argument<string> _task = new("task") { Description = "The task to run: its key under fargate.tasks, or its name." };
    private readonly Option<string?> _command = new("--command") { Description = "The command instead of the task's own, split into words as a shell would (nothing is expanded)." };

    private readonly Option<string[]> _env = new("--env", "-e")
    {
        Description = "An environment variable for this run: NAME=VALUE, or NAME for the value it has here (keeps a secret out of the command line); repeat for more.",
        AllowMultipleArgumentsPerToken = false,
    };

    private readonly Option<string[]> _envFile = new("--env-file")
    {
        Description = "Variables for this run from a dotenv file (NAME=VALUE lines, # comments, export, 'single' or \"double\" quotes; nothing expanded); before --env, which wins.",
        AllowMultipleArgumentsPerToken = false,
    };

    private readonly Option<bool> _detach = new("--detach", "-d") { Description = "Print the task's ARN once it has started, and do not wait." };
    private readonly Option<string?> _timeout = new("--timeout") { Description = "Stop waiting after this long (90s, 10m, 2h); exit code 124. The task goes on." };
    private readonly Option<bool> _stopOnInterrupt = new("--stop-on-interrupt") { Description = "On Ctrl-C, stop the task as well as the wait." };

    public RunCommand()
        : base(Name, "Run a task once from the deployed stack: prints its log lines, waits for it to stop, and exits with its container's exit code; " +
            "125 when sls-fargate itself fails (a usage mistake, AWS, an invalid configuration, a task whose container never ran), 124 when --timeout runs out, 130 after Ctrl-C.")
    {
        Command.Add(_task);
        AddShared();
        Command.Add(_command);
        Command.Add(_env);
        Command.Add(_envFile);
        Command.Add(_detach);
        Command.Add(_timeout);
        Command.Add(_stopOnInterrupt);
    }

    protected override int Act(ParseResult result, ConsoleIo io)
    {
        // The files' variables, then each --env; a name given again takes the later value.
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in (result.GetValue(_envFile) ?? []).SelectMany(file => EnvironmentFile.Read(file, io.Environment.WorkingDirectory))
            .Concat((result.GetValue(_env) ?? []).Select(text => EnvironmentAssignment.Parse(text, io.Environment.GetVariable))))
        {
            variables[name] = value;
        }
        var overrides = new RunTaskRequest.Overrides(result.GetValue(_command) is { } line ? ShellWords.Split(line) : null, [.. variables]);
        TimeSpan? limit = null;
        if (result.GetValue(_timeout) is { } text)
        {
            limit = Durations.Parse(text, out var problem) is { } parsed && parsed > TimeSpan.Zero
                ? parsed
                : throw new UsageException($"--timeout: {problem ?? "the wait must be longer than 0s"}");
        }
        if (overrides.Command is { Count: 0 })
        {
            throw new UsageException("--command is empty; leave it out to run the task's own command");
        }
        var model = Model(io, result);
        var selected = DeployedService.FindTask(model, result.GetValue(_task)!);
        var settings = new RunSettings(overrides, result.GetValue(_detach), limit, result.GetValue(_stopOnInterrupt));
        return OnDeployedStack(io, result, model, async (session, deployed, interrupt) =>
            ExitCodes.Of(await new TaskRunner(session, deployed, io.Out, io.Error).RunAsync(selected, settings, interrupt).ConfigureAwait(false)));
    }
}

/// <summary>
/// <c>--env NAME=VALUE</c>, or <c>--env NAME</c> for the variable of that name in this
/// environment (so a secret need not be typed where <c>ps</c> shows it), with names as ECS and
/// shells take them. No message quotes a value.
/// </summary>
internal static partial class EnvironmentAssignment
{
    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial System.Text.RegularExpressions.Regex Name();

    public static bool IsName(string text) => Name().IsMatch(text);

    public static KeyValuePair<string, string> Parse(string text, Func<string, string?> getVariable)
    {
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals < 0)
        {
            if (!IsName(text))
            {
                // Not quoted: a value typed without its NAME= would be.
                throw new UsageException("--env takes NAME=VALUE, or NAME (letters, digits and _, not starting with a digit) to pass on a variable of this environment; one of them is neither");
            }
            return KeyValuePair.Create(text, getVariable(text)
                ?? throw new UsageException($"--env {text}: {text} is not set in this environment; set it, or write {text}=VALUE"));
        }
        var name = text[..equals];
        if (name.Length == 0)
        {
            throw new UsageException("--env =…: the name is missing; write NAME=VALUE, or NAME to pass on a variable of this environment");
        }
        if (!IsName(name))
        {
            // Not quoted either: a value with an = in it (a connection string) would be.
            throw new UsageException("--env NAME=VALUE: the text before `=` is not a variable name (letters, digits and _, not starting with a digit)");
        }
        return KeyValuePair.Create(name, text[(equals + 1)..]);
    }
}
