using System.CommandLine;
using ServerlessFargate.Aws.Operations;

namespace ServerlessFargate.Cli.Commands;

internal static class ExecCommand
{
    public static Command Create(ConsoleIo io)
    {
        var aws = new AwsCommand();
        var task = new Argument<string>("task") { Description = "The task to open a shell in: its key under fargate.tasks, or its name." };
        var taskId = new Option<string?>("--task-id") { Description = "Which running task (default: the one that started last)." };
        var container = new Option<string?>("--container") { Description = "Which container (default: the task's own)." };
        var commandLine = new Option<string?>("--command") { Description = "The command as one string, split as a shell would (instead of the words after --)." };
        var command = new Command("exec", "Open an interactive command in a running task through ECS Exec: `exec TASK [DIR] [-- COMMAND…]` (default /bin/sh; needs exec: true and AWS's session-manager-plugin).")
        {
            task,
        };
        aws.Add(command);
        command.Add(taskId);
        command.Add(container);
        command.Add(commandLine);
        if (!AwsHandOff.InProcess)
        {
            return AwsHandOff.Delegate(command, io);
        }
        aws.SetAction(command, io, (result, io) =>
        {
            if (result.GetValue(commandLine) is not null && io.Trailing.Count > 0)
            {
                throw new UsageException("give the command either with --command or after --, not both");
            }
            var words = result.GetValue(commandLine) is { } text ? ShellWords.Split(text) : io.Trailing;
            var line = words.Count == 0 ? "/bin/sh" : string.Join(' ', words.Select(ShellWords.Quote));
            var model = aws.Model(io, result);
            var selected = DeployedService.FindTask(model, result.GetValue(task)!);
            return aws.OnDeployedStack(io, result, model, (session, deployed, interrupt) =>
                new ExecSession(session, deployed, io.Error)
                    .StartAsync(selected, result.GetValue(taskId), result.GetValue(container), line, name => FindOnPath(io, name), interrupt));
        });
        return command;
    }

    private static string? FindOnPath(ConsoleIo io, string name) =>
        (io.Environment.GetVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(folder => OperatingSystem.IsWindows() ? [Path.Combine(folder, name + ".exe")] : new[] { Path.Combine(folder, name) })
            .FirstOrDefault(File.Exists);
}
