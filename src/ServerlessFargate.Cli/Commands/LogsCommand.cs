using System.CommandLine;
using ServerlessFargate.Aws.Operations;

namespace ServerlessFargate.Cli.Commands;

internal static class LogsCommand
{
    public static Command Create(ConsoleIo io)
    {
        var aws = new AwsCommand();
        var task = new Argument<string>("task") { Description = "The task whose lines to print: its key under fargate.tasks, or its name." };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new lines until Ctrl-C." };
        var since = new Option<string?>("--since") { Description = "From when: a duration ago (10m, 2h, 1d) or an ISO-8601 time. Default: 10m." };
        var filter = new Option<string?>("--filter") { Description = "A CloudWatch Logs filter pattern (e.g. ERROR, or \"?ERROR ?WARN\")." };
        var taskId = new Option<string?>("--task-id") { Description = "Only this task's lines (its id, as run and status print it)." };
        var command = new Command("logs", "Print a task's log lines from the deployed stack, all its runs merged in time order.")
        {
            task,
        };
        aws.Add(command);
        command.Add(follow);
        command.Add(since);
        command.Add(filter);
        command.Add(taskId);
        if (!AwsHandOff.InProcess)
        {
            return AwsHandOff.Delegate(command, io);
        }
        aws.SetAction(command, io, (result, io) =>
        {
            var now = DateTimeOffset.UtcNow;
            var from = Durations.ParseSince(result.GetValue(since) ?? "10m", now, out var problem)
                ?? throw new UsageException($"--since: {problem}");
            if (result.GetValue(taskId) is { } id && (id.Length == 0 || id.Contains('/', StringComparison.Ordinal) && !id.StartsWith("arn:", StringComparison.Ordinal)))
            {
                throw new UsageException($"--task-id `{id}` is not a task id");
            }
            var model = aws.Model(io, result);
            var selected = DeployedService.FindTask(model, result.GetValue(task)!);
            var settings = new LogSettings(from, result.GetValue(filter), result.GetValue(taskId) is { } given ? LogPrinter.TaskIdOf(given) : null, result.GetValue(follow));
            if (io.Environment.PollInterval is { } interval)
            {
                settings = settings with { PollInterval = interval, LongestPollInterval = interval * 2 };
            }
            return aws.OnDeployedStack(io, result, model, (session, deployed, interrupt) =>
                new LogReader(session, deployed, io.Out).ReadAsync(selected, settings, interrupt));
        });
        return command;
    }
}
