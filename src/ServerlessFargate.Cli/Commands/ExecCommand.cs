using System.CommandLine;
using ServerlessFargate.Aws.Operations;

namespace ServerlessFargate.Cli.Commands;

internal sealed class ExecCommand : AwsCommand
{
    private readonly Argument<string> _task = new("task") { Description = "The task to open a shell in: its key under fargate.tasks, or its name." };
    private readonly Option<string?> _taskId = new("--task-id") { Description = "Which running task (default: the one that started last)." };
    private readonly Option<string?> _container = new("--container") { Description = "Which container (default: the task's own)." };
    private readonly Option<string?> _command = new("--command") { Description = "The command as one string, split as a shell would (instead of the words after --)." };

    public ExecCommand()
        : base("exec", "Open an interactive command in a running task through ECS Exec: `exec TASK [DIR] [-- COMMAND…]` (default /bin/sh; needs exec: true and AWS's session-manager-plugin).")
    {
        Command.Add(_task);
        AddShared();
        Command.Add(_taskId);
        Command.Add(_container);
        Command.Add(_command);
    }

    protected override int Act(ParseResult result, ConsoleIo io)
    {
        if (result.GetValue(_command) is not null && io.Trailing.Count > 0)
        {
            throw new UsageException("give the command either with --command or after --, not both");
        }
        var words = result.GetValue(_command) is { } text ? ShellWords.Split(text) : io.Trailing;
        var line = words.Count == 0 ? "/bin/sh" : string.Join(' ', words.Select(ShellWords.Quote));
        var model = Model(io, result);
        var selected = DeployedService.FindTask(model, result.GetValue(_task)!);
        return OnDeployedStack(io, result, model, (session, deployed, interrupt) =>
            new ExecSession(session, deployed, io.Error)
                .StartAsync(selected, result.GetValue(_taskId), result.GetValue(_container), line, name => FindOnPath(io, name), interrupt));
    }

    private static string? FindOnPath(ConsoleIo io, string name) =>
        (io.Environment.GetVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(folder => OperatingSystem.IsWindows() ? [Path.Combine(folder, name + ".exe")] : new[] { Path.Combine(folder, name) })
            .FirstOrDefault(File.Exists);
}
