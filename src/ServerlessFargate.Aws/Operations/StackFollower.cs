using System.Globalization;
using System.Text.Json.Nodes;
using ServerlessFargate.Aws.Clients;

namespace ServerlessFargate.Aws.Operations;

/// <summary>
/// Follows a stack operation to its end: prints the stack's new events as they come, and, while
/// CloudFormation waits on ECS services, what ECS says about them. A service whose tasks crash
/// keeps CloudFormation waiting in silence until the deployment circuit breaker gives up (or for
/// three hours without one); its service events and the stopped tasks' reasons
/// (CannotPullContainerError, an essential container's exit code, a failed health check,
/// ResourceInitializationError for a secret) say why at once.
/// </summary>
internal sealed class StackFollower(AwsSession session, TextWriter messages, DeploySettings settings)
{
    private readonly CloudFormationClient _cloudFormation = new(session);
    private readonly EcsClient _ecs = new(session);
    private readonly HashSet<string> _seenEcs = new(StringComparer.Ordinal);
    private readonly DateTimeOffset _started = DateTimeOffset.UtcNow;
    private bool _ecsUnreadable;

    /// <summary>What the deployment circuit breaker said when it rolled a service back, if it did.</summary>
    public string? CircuitBreaker { get; private set; }

    /// <summary>
    /// The events a stack already has: an operation's own are the ones not among them (their
    /// times cannot tell, as CloudFormation stamps them to the second).
    /// </summary>
    public async Task<HashSet<string>> EventIdsAsync(string stack, CancellationToken cancel) =>
        [.. (await _cloudFormation.DescribeStackEventsAsync(stack, cancel: cancel).ConfigureAwait(false)).Select(e => e.EventId)];

    /// <summary>
    /// Prints the stack's new events, oldest first, until the stack settles; the stack then (null
    /// once deleted). Each resource line counts the resources done so far out of
    /// <paramref name="total"/> (the change set's changes, or the resources a removal deletes).
    /// <paramref name="services"/> are the logical IDs of the ECS services the operation creates
    /// or updates.
    /// </summary>
    /// <param name="doing">What CloudFormation was asked to do, for the message when Ctrl-C ends the wait ("updating the stack X").</param>
    public async Task<Stack?> FollowAsync(string stack, HashSet<string> earlier, int total, IReadOnlyCollection<string> services, string doing, CancellationToken cancel)
    {
        try
        {
            return await FollowUntilSettledAsync(stack, earlier, total, services, cancel).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            throw new OperationInterruptedException($"interrupted; CloudFormation goes on {doing} to its end (sls-fargate status, or the CloudFormation console, shows how it ends)");
        }
    }

    private async Task<Stack?> FollowUntilSettledAsync(string stack, HashSet<string> earlier, int total, IReadOnlyCollection<string> services, CancellationToken cancel)
    {
        var printed = new HashSet<string>(earlier, StringComparer.Ordinal);
        var done = new HashSet<string>(StringComparer.Ordinal);
        var deadline = DateTimeOffset.UtcNow + settings.Timeout;
        while (true)
        {
            var current = await _cloudFormation.DescribeStackAsync(stack, cancel).ConfigureAwait(false);
            foreach (var e in (await _cloudFormation.DescribeStackEventsAsync(stack, printed, cancel).ConfigureAwait(false))
                .Where(e => printed.Add(e.EventId)).Reverse())
            {
                var resource = e.Type != "AWS::CloudFormation::Stack";
                if (resource && e.Status is "CREATE_COMPLETE" or "UPDATE_COMPLETE" or "DELETE_COMPLETE" or "DELETE_SKIPPED")
                {
                    done.Add(e.LogicalId);
                }
                // The count goes on resource lines; the stack's own lines open and close the list.
                var width = 2 * total.ToString(CultureInfo.InvariantCulture).Length + 3;
                var progress = total == 0 ? "" : (resource ? $"[{done.Count}/{Math.Max(total, done.Count)}]" : "").PadRight(width) + "  ";
                messages.WriteLine($"  {e.Timestamp.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture)}  {progress}{e.Status,-20}  {e.Type,-36}  {e.LogicalId}" +
                    (e.Reason is { Length: > 0 } reason && e.Status.EndsWith("FAILED", StringComparison.Ordinal) ? $"  {reason}" : ""));
            }
            var settled = current is null || current.IsSettled;
            if (services.Count > 0 && current is not null && !_ecsUnreadable)
            {
                // Once more after the stack settled: the reasons a rollback came from arrive last.
                try
                {
                    await WatchServicesAsync(current.Reference, services, cancel).ConfigureAwait(false);
                }
                catch (AwsException ex)
                {
                    // What ECS says helps; the stack's own outcome is what counts. A role that may
                    // not read ECS, or a service that answers badly, must not end the wait.
                    _ecsUnreadable = true;
                    messages.WriteLine($"  (the ECS services' events cannot be read, so only the stack's are shown: {ex.Message})");
                }
            }
            if (settled)
            {
                return current;
            }
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new OperationException($"the stack {stack} was still {current!.Status} after {Durations.Format(settings.Timeout)}");
            }
            await Task.Delay(session.Pace(DeploySettings.PollInterval), cancel).ConfigureAwait(false);
        }
    }

    /// <summary>Prints the services' new events, their stopped tasks' reasons, and a circuit breaker's rollback.</summary>
    private async Task WatchServicesAsync(string stack, IReadOnlyCollection<string> services, CancellationToken cancel)
    {
        var arns = (await _cloudFormation.ListStackResourcesAsync(stack, cancel).ConfigureAwait(false))
            .Where(r => services.Contains(r.LogicalId) && r.PhysicalId.StartsWith("arn:", StringComparison.Ordinal))
            .Select(r => r.PhysicalId)
            .ToList();
        foreach (var group in arns.GroupBy(ClusterOf).Where(g => g.Key is not null))
        {
            foreach (var service in await _ecs.DescribeServicesAsync(group.Key!, group, cancel).ConfigureAwait(false))
            {
                foreach (var e in service.Events.Where(e => (e.CreatedAt ?? _started) >= _started.AddSeconds(-5)).Reverse())
                {
                    if (_seenEcs.Add("event:" + (e.Id.Length > 0 ? e.Id : e.Message)))
                    {
                        messages.WriteLine($"  ECS  {service.Name}: {e.Message}");
                    }
                }
                if (service.Deployments.FirstOrDefault(d => d.RolloutState == "FAILED") is { } failed && _seenEcs.Add("rollback:" + failed.Id))
                {
                    CircuitBreaker = $"the deployment circuit breaker rolled back {service.Name}: {failed.RolloutStateReason ?? "no reason given"}";
                    messages.WriteLine($"  ECS  {CircuitBreaker}");
                }
                await StoppedTasksAsync(group.Key!, service, cancel).ConfigureAwait(false);
            }
        }
    }

    private async Task StoppedTasksAsync(string cluster, EcsService service, CancellationToken cancel)
    {
        var stopped = await _ecs.ListTasksAsync(cluster, new JsonObject { ["serviceName"] = service.Name, ["desiredStatus"] = "STOPPED" }, cancel).ConfigureAwait(false);
        var fresh = stopped.Where(arn => !_seenEcs.Contains("task:" + arn)).ToList();
        if (fresh.Count == 0)
        {
            return;
        }
        foreach (var task in await _ecs.DescribeTasksAsync(cluster, fresh, cancel).ConfigureAwait(false))
        {
            _seenEcs.Add("task:" + task.Arn);
            if ((task.StoppedAt ?? task.CreatedAt ?? _started) < _started.AddSeconds(-5))
            {
                continue;
            }
            messages.WriteLine($"  ECS  {service.Name}: task {LogPrinter.ShortId(task.Id)} stopped: {StoppedReason(task)}");
        }
    }

    /// <summary>Why a task stopped, in ECS's words: the task's reason, and each container's exit code or reason.</summary>
    public static string StoppedReason(EcsTask task)
    {
        var containers = task.Containers
            .Select(c => c.ExitCode is { } code ? $"{c.Name} exited with {code}" : c.Reason is { Length: > 0 } r ? $"{c.Name}: {r}" : null)
            .OfType<string>()
            .ToList();
        var reason = task.StoppedReason ?? task.StopCode ?? "no reason given";
        return containers.Count == 0 ? reason : $"{reason} ({string.Join("; ", containers)})";
    }

    /// <summary>The cluster in a service ARN of the long form, arn:aws:ecs:REGION:ACCOUNT:service/CLUSTER/NAME.</summary>
    private static string? ClusterOf(string serviceArn)
    {
        var parts = serviceArn.Split(':', 6);
        var path = parts.Length == 6 ? parts[5].Split('/') : [];
        return path is ["service", var cluster, _] ? cluster : null;
    }

    /// <summary>The first resource that failed, and why: the cause, where later failures are its consequences.</summary>
    public async Task<string> FirstFailureAsync(string stack, HashSet<string> earlier, CancellationToken cancel)
    {
        // Events come newest first: the last failure in the list happened first.
        var events = await _cloudFormation.DescribeStackEventsAsync(stack, earlier, cancel).ConfigureAwait(false);
        var first = events.Where(e => !earlier.Contains(e.EventId) && e.Status.EndsWith("_FAILED", StringComparison.Ordinal)
                && e.Reason is { Length: > 0 } r && !r.Contains("cancelled", StringComparison.OrdinalIgnoreCase))
            .LastOrDefault();
        var cause = first is null ? "CloudFormation gave no reason" : $"{first.LogicalId} ({first.Type}): {first.Reason}";
        return CircuitBreaker is null ? cause : $"{cause}; {CircuitBreaker}";
    }
}
