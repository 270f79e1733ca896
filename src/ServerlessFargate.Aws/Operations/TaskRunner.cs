using ServerlessFargate.Model;

namespace ServerlessFargate.Aws.Operations;

/// <summary>How <c>run</c> behaves: wait or not, for how long, how often it looks.</summary>
public sealed record RunSettings(RunTaskRequest.Overrides Overrides, bool Detach, TimeSpan? Timeout, bool StopOnInterrupt)
{
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);
}

/// <summary>
/// Runs a task once: starts it, follows its log stream, waits for it to stop, and answers with
/// the essential container's exit code.
/// </summary>
public sealed class TaskRunner(AwsSession session, DeployedService deployed, TextWriter output, TextWriter messages)
{
    /// <summary>Exit code for a run whose wait ran out (as timeout(1) does).</summary>
    public const int TimedOut = 124;

    /// <summary>Exit code after Ctrl-C (128 + SIGINT, as shells report it).</summary>
    public const int Interrupted = 130;

    /// <summary>
    /// Exit code for a task that stopped before its container ran, or whose container has no exit
    /// code: run's own failure, not the container's (the CLI's ExitCodes.RunFailed, docker run's 125).
    /// </summary>
    public const int DidNotRun = 125;

    public async Task<int> RunAsync(TaskModel task, RunSettings settings, CancellationToken interrupt)
    {
        var ecs = new EcsClient(session);
        var request = RunTaskRequest.Build(deployed, task, settings.Overrides);
        var (tasks, failures) = await ecs.RunTaskAsync(request, CancellationToken.None).ConfigureAwait(false);
        if (tasks.Count == 0)
        {
            var failure = failures.Count > 0 ? failures[0] : null;
            throw new OperationException($"ECS did not start {task.Name.Value}: " +
                (failure is null ? "it gave no reason" : failure.Reason + (failure.Detail is { Length: > 0 } d ? $" ({d})" : "")));
        }
        var started = tasks[0];
        messages.WriteLine($"Started {task.Name.Value}: {started.Arn}");
        messages.WriteLine($"  {deployed.ConsoleLink(started.Id)}");
        if (settings.Detach)
        {
            output.WriteLine(started.Arn);
            return 0;
        }

        var logs = new LogsClient(session);
        var stream = DeployedService.LogStream(task.Name.Value, started.Id);
        string? token = null;
        var lastStatus = started.LastStatus;
        var deadline = settings.Timeout is { } limit ? DateTimeOffset.UtcNow + limit : (DateTimeOffset?)null;
        messages.WriteLine($"  {lastStatus}");
        while (true)
        {
            if (interrupt.IsCancellationRequested)
            {
                return await InterruptedAsync(ecs, started, settings.StopOnInterrupt).ConfigureAwait(false);
            }
            token = await PrintLogsAsync(logs, stream, started.Id, token).ConfigureAwait(false);
            var described = await ecs.DescribeTasksAsync(deployed.Cluster, [started.Arn], CancellationToken.None).ConfigureAwait(false);
            var current = (described.Count > 0 ? described[0] : null) ?? throw new OperationException($"ECS no longer knows the task {started.Arn}");
            if (current.LastStatus != lastStatus)
            {
                lastStatus = current.LastStatus;
                messages.WriteLine($"  {lastStatus}");
            }
            if (current.LastStatus == "STOPPED")
            {
                // Lines the container wrote last may reach the stream a moment after it stops.
                await PrintLogsAsync(logs, stream, started.Id, token).ConfigureAwait(false);
                return Finish(task, current);
            }
            if (deadline is { } end && DateTimeOffset.UtcNow >= end)
            {
                messages.WriteLine($"Stopped waiting after {Durations.Format(settings.Timeout!.Value)}; the task is still {current.LastStatus}: {started.Arn}");
                return TimedOut;
            }
            try
            {
                await Task.Delay(settings.PollInterval, interrupt).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Ctrl-C: handled at the top of the loop.
            }
        }
    }

    private async Task<string?> PrintLogsAsync(LogsClient logs, string stream, string taskId, string? token)
    {
        while (true)
        {
            var page = await logs.GetLogEventsAsync(deployed.LogGroup, stream, token, CancellationToken.None).ConfigureAwait(false);
            foreach (var line in page.Events)
            {
                output.WriteLine(LogPrinter.Format(line, taskId));
            }
            // GetLogEvents answers with the same token once the stream is read to its end.
            if (page.Events.Count == 0 || page.NextToken == token)
            {
                return page.NextToken;
            }
            token = page.NextToken;
        }
    }

    private int Finish(TaskModel task, EcsTask stopped)
    {
        var container = stopped.Containers.FirstOrDefault(c => c.Name == task.Name.Value) ?? (stopped.Containers.Count > 0 ? stopped.Containers[0] : null);
        var reason = (stopped.StoppedReason ?? stopped.StopCode) is { } why ? $" ({why})" : "";
        if (container?.ExitCode is { } code)
        {
            var name = container.Name.Length > 0 ? $"container {container.Name}" : "its container";
            messages.WriteLine($"{task.Name.Value} stopped{reason}: {name} exited with {code}");
            return code;
        }
        var detail = container?.Reason is { Length: > 0 } r ? $": {r}" : "";
        messages.WriteLine($"{task.Name.Value} stopped before its container ran{reason}{detail}");
        return DidNotRun;
    }

    private async Task<int> InterruptedAsync(EcsClient ecs, EcsTask task, bool stop)
    {
        if (stop)
        {
            await ecs.StopTaskAsync(deployed.Cluster, task.Arn, "Stopped by sls-fargate run (interrupted)", CancellationToken.None).ConfigureAwait(false);
            messages.WriteLine($"Interrupted: asked ECS to stop {task.Arn}");
        }
        else
        {
            messages.WriteLine($"Interrupted: stopped waiting; the task goes on running ({task.Arn}); --stop-on-interrupt stops it too");
        }
        return Interrupted;
    }
}
