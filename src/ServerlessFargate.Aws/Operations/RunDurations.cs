using ServerlessFargate.Aws.Clients;
using ServerlessFargate.Cost;
using ServerlessFargate.Model;

namespace ServerlessFargate.Aws.Operations;

/// <summary>
/// How long a task's runs took, for <c>cost --measured</c>. ECS keeps stopped tasks for about an
/// hour, with the times Fargate bills between (image pull to stop); older runs are known only by
/// their log streams (one a run, <c>fargate/&lt;container&gt;/&lt;task id&gt;</c>), from the first
/// line to the last, which leaves out start-up and shut-down and so reads a little short.
/// </summary>
public sealed class RunDurations(AwsSession session, DeployedService deployed)
{
    /// <summary>The newest runs a mean is taken over.</summary>
    public const int MostRuns = 50;

    /// <summary>Pages of log streams read per task (50 a page): AWS lists them by name, so the newest are found by reading them all.</summary>
    public const int StreamPages = 10;

    /// <summary>Each task's measured runs; a task none of whose runs could be measured is left out.</summary>
    public async Task<IReadOnlyDictionary<string, MeasuredRuns>> MeasureAsync(IEnumerable<TaskModel> tasks, CancellationToken cancel)
    {
        var ecs = new EcsClient(session);
        var logs = new LogsClient(session);
        var measured = new Dictionary<string, MeasuredRuns>(StringComparer.Ordinal);
        foreach (var task in tasks)
        {
            var stopped = await ecs.FamilyTasksAsync(deployed.Cluster, task.Name.Value, "STOPPED", cancel).ConfigureAwait(false);
            var running = await ecs.ListTasksAsync(deployed.Cluster, new() { ["family"] = task.Name.Value, ["desiredStatus"] = "RUNNING" }, cancel).ConfigureAwait(false);
            var streams = await logs.DescribeLogStreamsAsync(deployed.LogGroup, DeployedService.LogStream(task.Name.Value, ""), StreamPages, cancel).ConfigureAwait(false);
            if (Measure(stopped, running, streams, task.Name.Value) is { } runs)
            {
                measured[task.Key] = runs;
            }
        }
        return measured;
    }

    /// <summary>
    /// The mean of the newest runs: ECS's stopped tasks as billed, then streams of runs ECS no
    /// longer lists (a stream of a task still running, or with one line, says nothing of a run's length).
    /// </summary>
    public static MeasuredRuns? Measure(IReadOnlyList<EcsTask> stopped, IReadOnlyList<string> runningArns, IReadOnlyList<LogStream> streams, string container)
    {
        var fromEcs = stopped
            .Where(t => t.StoppedAt is not null && (t.PullStartedAt ?? t.StartedAt) is not null)
            .Select(t => (Id: t.Id, End: t.StoppedAt!.Value, Length: t.StoppedAt!.Value - (t.PullStartedAt ?? t.StartedAt)!.Value))
            .Where(r => r.Length >= TimeSpan.Zero)
            .ToList();
        var known = fromEcs.Select(r => r.Id).Concat(runningArns.Select(a => a[(a.LastIndexOf('/') + 1)..])).ToHashSet(StringComparer.Ordinal);
        var prefix = DeployedService.LogStream(container, "");
        var fromLogs = streams
            .Where(s => s.FirstEvent is not null && s.LastEvent is not null && s.LastEvent > s.FirstEvent && !known.Contains(s.Name[prefix.Length..]))
            .Select(s => (Id: s.Name[prefix.Length..], End: s.LastEvent!.Value, Length: s.LastEvent!.Value - s.FirstEvent!.Value));
        var runs = fromEcs.Select(r => (r.End, r.Length, Ecs: true))
            .Concat(fromLogs.Select(r => (r.End, r.Length, Ecs: false)))
            .OrderByDescending(r => r.End)
            .Take(MostRuns)
            .ToList();
        if (runs.Count == 0)
        {
            return null;
        }
        var ecsRuns = runs.Count(r => r.Ecs);
        var mean = TimeSpan.FromSeconds(Math.Round(runs.Average(r => r.Length.TotalSeconds)));
        var how = string.Join(", ", new[]
        {
            ecsRuns > 0 ? $"{ecsRuns} from ECS (image pull to stop, as billed)" : null,
            runs.Count > ecsRuns ? $"{runs.Count - ecsRuns} from log streams (first line to last, a little short)" : null,
        }.OfType<string>());
        return new MeasuredRuns(runs.Count, mean, how);
    }
}
