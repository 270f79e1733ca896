using ServerlessFargate.Model;
using ServerlessFargate.Aws.Clients;

namespace ServerlessFargate.Aws.Operations;

/// <summary>How <c>run</c> behaves: wait or not, for how long, how often it looks.</summary>
public sealed record RunSettings(RunTaskRequest.Overrides Overrides, bool Detach, TimeSpan? Timeout, bool StopOnInterrupt)
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);
}

/// <summary>How a run ended; the CLI gives each its exit code.</summary>
public abstract record RunEnd
{
    /// <summary>The task's container exited with <paramref name="Code"/>.</summary>
    public sealed record Exited(int Code) : RunEnd;

    /// <summary>Started, and not waited for (--detach).</summary>
    public sealed record Detached : RunEnd;

    /// <summary>The wait ran out (--timeout); the task goes on.</summary>
    public sealed record TimedOut : RunEnd;

    /// <summary>Ctrl-C ended the wait.</summary>
    public sealed record Interrupted : RunEnd;

    /// <summary>The task stopped before its container ran, or its container has no exit code.</summary>
    public sealed record NeverRan : RunEnd;
}

/// <summary>
/// Runs a task once: starts it, follows its log stream, waits for it to stop, and answers how it
/// ended (the essential container's exit code, when it ran).
/// </summary>
public sealed class TaskRunner(AwsSession session, DeployedService deployed, TextWriter output, TextWriter messages)
{
    public async Task<RunEnd> RunAsync(TaskModel task, RunSettings settings, CancellationToken interrupt)
    {
        var ecs = new EcsClient(session);
        var runId = Guid.NewGuid().ToString("N");
        var request = RunTaskRequest.Build(deployed, task, settings.Overrides, runId);
        RunTaskResult result;
        try
        {
            result = await ecs.RunTaskAsync(deployed.Cluster, request, interrupt).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (interrupt.IsCancellationRequested)
        {
            return await InterruptedWhileStartingAsync(ecs, task, runId, settings.StopOnInterrupt).ConfigureAwait(false);
        }
        if (result.Tasks.Count == 0)
        {
            var failure = result.Failures.Count > 0 ? result.Failures[0] : null;
            throw new OperationException($"ECS did not start {task.Name.Value}: " +
                (failure is null ? "it gave no reason" : failure.Reason + (failure.Detail is { Length: > 0 } d ? $" ({d})" : "")));
        }
        var started = result.Tasks[0];
        messages.WriteLine($"Started {task.Name.Value}: {started.Arn}");
        messages.WriteLine($"  {deployed.ConsoleLink(started.Id)}");
        if (settings.Detach)
        {
            output.WriteLine(started.Arn);
            return new RunEnd.Detached();
        }

        try
        {
            return await FollowAsync(ecs, task, started, settings, interrupt).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (interrupt.IsCancellationRequested)
        {
            return await InterruptedAsync(ecs, started.Arn, settings.StopOnInterrupt).ConfigureAwait(false);
        }
    }

    /// <summary>Prints the task's log lines and status changes until it stops; its exit code.</summary>
    private async Task<RunEnd> FollowAsync(EcsClient ecs, TaskModel task, EcsTask started, RunSettings settings, CancellationToken interrupt)
    {
        var logs = new LogsClient(session);
        var stream = DeployedService.LogStream(task.Name.Value, started.Id);
        string? token = null;
        var lastStatus = started.LastStatus;
        var deadline = settings.Timeout is { } limit ? DateTimeOffset.UtcNow + limit : (DateTimeOffset?)null;
        messages.WriteLine($"  {lastStatus}");
        while (true)
        {
            token = await PrintLogsAsync(logs, stream, started.Id, token, interrupt).ConfigureAwait(false);
            var described = await ecs.DescribeTasksAsync(deployed.Cluster, [started.Arn], interrupt).ConfigureAwait(false);
            var current = (described.Count > 0 ? described[0] : null) ?? throw new OperationException($"ECS no longer knows the task {started.Arn}");
            if (current.LastStatus != lastStatus)
            {
                lastStatus = current.LastStatus;
                messages.WriteLine($"  {lastStatus}");
            }
            if (current.LastStatus == "STOPPED")
            {
                // Lines the container wrote last may reach the stream a moment after it stops.
                await PrintLogsAsync(logs, stream, started.Id, token, interrupt).ConfigureAwait(false);
                return Finish(task, current);
            }
            if (deadline is { } end && DateTimeOffset.UtcNow >= end)
            {
                messages.WriteLine($"Stopped waiting after {Durations.Format(settings.Timeout!.Value)}; the task is still {current.LastStatus}: {started.Arn}");
                return new RunEnd.TimedOut();
            }
            await Task.Delay(session.Pace(RunSettings.PollInterval), interrupt).ConfigureAwait(false);
        }
    }

    private async Task<string?> PrintLogsAsync(LogsClient logs, string stream, string taskId, string? token, CancellationToken interrupt)
    {
        // A poll reads what arrived since the last one; a stream that never ends (or a token that
        // keeps changing without events) must not hold the loop.
        var pages = new Protocol.PageGuard(AwsService.Logs, "GetLogEvents", 1000);
        while (true)
        {
            var page = await logs.GetLogEventsAsync(deployed.LogGroup, stream, token, interrupt).ConfigureAwait(false);
            foreach (var line in page.Events)
            {
                output.WriteLine(LogPrinter.Format(line, taskId));
            }
            // GetLogEvents answers with the same token once the stream is read to its end.
            if (page.Events.Count == 0 || page.NextToken == token)
            {
                return page.NextToken;
            }
            token = pages.Next(page.NextToken) ?? token;
        }
    }

    private RunEnd Finish(TaskModel task, EcsTask stopped)
    {
        var container = stopped.Containers.FirstOrDefault(c => c.Name == task.Name.Value) ?? (stopped.Containers.Count > 0 ? stopped.Containers[0] : null);
        var reason = (stopped.StoppedReason ?? stopped.StopCode) is { } why ? $" ({why})" : "";
        if (container?.ExitCode is { } code)
        {
            var name = container.Name.Length > 0 ? $"container {container.Name}" : "its container";
            messages.WriteLine($"{task.Name.Value} stopped{reason}: {name} exited with {code}");
            return new RunEnd.Exited(code);
        }
        var detail = container?.Reason is { Length: > 0 } r ? $": {r}" : "";
        messages.WriteLine($"{task.Name.Value} stopped before its container ran{reason}{detail}");
        return new RunEnd.NeverRan();
    }

    /// <summary>Ctrl-C while RunTask was on its way: ECS may have started the task all the same, so look.</summary>
    private async Task<RunEnd> InterruptedWhileStartingAsync(EcsClient ecs, TaskModel task, string runId, bool stop)
    {
        using var cleanup = Cleanup.Token();
        List<string> started;
        try
        {
            started = await ecs.ListTasksAsync(deployed.Cluster, new System.Text.Json.Nodes.JsonObject { ["startedBy"] = RunTaskRequest.StartedBy(runId) }, cleanup.Token)
                .ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AwsException or OperationCanceledException)
        {
            throw new OperationInterruptedException($"interrupted while ECS was asked to start {task.Name.Value}; it may have started it: " +
                $"look for a task started by {RunTaskRequest.StartedBy(runId)} (sls-fargate status)");
        }
        if (started.Count == 0)
        {
            throw new OperationInterruptedException($"interrupted before ECS started {task.Name.Value}; no task was started");
        }
        return await InterruptedAsync(ecs, started[0], stop).ConfigureAwait(false);
    }

    private async Task<RunEnd> InterruptedAsync(EcsClient ecs, string taskArn, bool stop)
    {
        if (!stop)
        {
            messages.WriteLine($"Interrupted: stopped waiting; the task goes on running ({taskArn}); --stop-on-interrupt stops it too");
            return new RunEnd.Interrupted();
        }
        using var cleanup = Cleanup.Token();
        try
        {
            await ecs.StopTaskAsync(deployed.Cluster, taskArn, "Stopped by sls-fargate run (interrupted)", cleanup.Token).ConfigureAwait(false);
            messages.WriteLine($"Interrupted: asked ECS to stop {taskArn}");
        }
        catch (Exception ex) when (ex is AwsException or OperationCanceledException)
        {
            messages.WriteLine($"Interrupted, but could not ask ECS to stop {taskArn}: {(ex is AwsException ? ex.Message : "no answer within " + Durations.Format(Cleanup.Limit))}; it goes on running");
        }
        return new RunEnd.Interrupted();
    }
}
