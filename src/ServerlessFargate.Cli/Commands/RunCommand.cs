using System.CommandLine;
using ServerlessFargate.Aws.Operations;

namespace ServerlessFargate.Cli.Commands;

internal static class RunCommand
{
    public const string Name = "run";

    public static Command Create(ConsoleIo io)
    {
        var aws = new AwsCommand();
        var task = new Argument<string>("task") { Description = "The task to run: its key under fargate.tasks, or its name." };
        var commandOption = new Option<string?>("--command") { Description = "The command instead of the task's own, split into words as a shell would (nothing is expanded)." };
        var env = new Option<string[]>("--env", "-e")
        {
            Description = "An environment variable for this run: NAME=VALUE, or NAME for the value it has here (keeps a secret out of the command line); repeat for more.",
            AllowMultipleArgumentsPerToken = false,
        };
        var envFile = new Option<string[]>("--env-file")
        {
            Description = "Variables for this run from a dotenv file (NAME=VALUE lines, # comments, export, 'single' or \"double\" quotes; nothing expanded); before --env, which wins.",
            AllowMultipleArgumentsPerToken = false,
        };
        var detach = new Option<bool>("--detach", "-d") { Description = "Print the task's ARN once it has started, and do not wait." };
        var timeout = new Option<string?>("--timeout") { Description = "Stop waiting after this long (90s, 10m, 2h); exit code 124. The task goes on." };
        var stopOnInterrupt = new Option<bool>("--stop-on-interrupt") { Description = "On Ctrl-C, stop the task as well as the wait." };
        var command = new Command(Name, "Run a task once from the deployed stack: prints its log lines, waits for it to stop, and exits with its container's exit code; " +
            "125 when sls-fargate itself fails (a usage mistake, AWS, an invalid configuration, a task whose container never ran), 124 when --timeout runs out, 130 after Ctrl-C.")
        {
            task,
        };
        aws.Add(command);
        command.Add(commandOption);
        command.Add(env);
        command.Add(envFile);
        command.Add(detach);
        command.Add(timeout);
        command.Add(stopOnInterrupt);
        if (!AwsHandOff.InProcess)
        {
            return AwsHandOff.Delegate(command, io);
        }
        aws.SetAction(command, io, (result, io) =>
        {
            // The files' variables, then each --env; a name given again takes the later value.
            var variables = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (name, value) in (result.GetValue(envFile) ?? []).SelectMany(file => EnvironmentFile.Read(file, io.Environment.WorkingDirectory))
                .Concat((result.GetValue(env) ?? []).Select(text => EnvironmentAssignment.Parse(text, io.Environment.GetVariable))))
            {
                variables[name] = value;
            }
            var overrides = new RunTaskRequest.Overrides(result.GetValue(commandOption) is { } line ? ShellWords.Split(line) : null, [.. variables]);
            TimeSpan? limit = null;
            if (result.GetValue(timeout) is { } text)
            {
                limit = Durations.Parse(text, out var problem) is { } parsed && parsed > TimeSpan.Zero
                    ? parsed
                    : throw new UsageException($"--timeout: {problem ?? "the wait must be longer than 0s"}");
            }
            if (overrides.Command is { Count: 0 })
            {
                throw new UsageException("--command is empty; leave it out to run the task's own command");
            }
            var model = aws.Model(io, result);
            var selected = Aws.Operations.DeployedService.FindTask(model, result.GetValue(task)!);
            var settings = new RunSettings(overrides, result.GetValue(detach), limit, result.GetValue(stopOnInterrupt));
            if (io.Environment.PollInterval is { } interval)
            {
                settings = settings with { PollInterval = interval };
            }
            return aws.OnDeployedStack(io, result, model, (session, deployed, interrupt) =>
                new TaskRunner(session, deployed, io.Out, io.Error).RunAsync(selected, settings, interrupt));
        });
        return command;
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
            throw new UsageException($"--env {name}=…: `{name}` is not a variable name (letters, digits and _, not starting with a digit)");
        }
        return KeyValuePair.Create(name, text[(equals + 1)..]);
    }
}
