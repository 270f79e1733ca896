using System.CommandLine;
using ServerlessFargate.Aws.Operations;

namespace ServerlessFargate.Cli.Commands;

internal sealed class LogsCommand : AwsCommand
{
    private readonly Argument<string> _task = new("task") { Description = "The task whose lines to print: its key under fargate.tasks, or its name." };
    private readonly Option<bool> _follow = new("--follow", "-f") { Description = "Keep printing new lines until Ctrl-C." };
    private readonly Option<string?> _since = new("--since") { Description = "From when: a duration ago (10m, 2h, 1d) or an ISO-8601 time. Default: 10m." };
    private readonly Option<string?> _filter = new("--filter") { Description = "A CloudWatch Logs filter pattern (e.g. ERROR, or \"?ERROR ?WARN\")." };
    private readonly Option<string?> _taskId = new("--task-id") { Description = "Only this task's lines (its id, as run and status print it)." };

    public LogsCommand()
        : base("logs", "Print a task's log lines from the deployed stack, all its runs merged in time order.")
    {
        Command.Add(_task);
        AddShared();
        Command.Add(_follow);
        Command.Add(_since);
        Command.Add(_filter);
        Command.Add(_taskId);
    }

    protected override int Act(ParseResult result, ConsoleIo io)
    {
        var from = Durations.ParseSince(result.GetValue(_since) ?? "10m", DateTimeOffset.UtcNow, out var problem)
            ?? throw new UsageException($"--since: {problem}");
        if (result.GetValue(_taskId) is { } id && (id.Length == 0 || id.Contains('/', StringComparison.Ordinal) && !id.StartsWith("arn:", StringComparison.Ordinal)))
        {
            throw new UsageException($"--task-id `{id}` is not a task id");
        }
        var model = Model(io, result);
        var selected = DeployedService.FindTask(model, result.GetValue(_task)!);
        var settings = new LogSettings(from, result.GetValue(_filter), result.GetValue(_taskId) is { } given ? LogPrinter.TaskIdOf(given) : null, result.GetValue(_follow));
        return OnDeployedStack(io, result, model, (session, deployed, interrupt) =>
            new LogReader(session, deployed, io.Out).ReadAsync(selected, settings, interrupt));
    }
}
