using System.Text.Json.Nodes;
using ServerlessFargate.Aws.Protocol;

namespace ServerlessFargate.Aws.Clients;

/// <param name="RuntimeId">The container runtime's id: ECS Exec's Session Manager target names it.</param>
public sealed record EcsContainer(string Name, string? LastStatus, int? ExitCode, string? Reason, string? RuntimeId);

public sealed record EcsTask(string Arn, string LastStatus, string DesiredStatus, string TaskDefinitionArn, string? StopCode,
    string? StoppedReason, DateTimeOffset? StartedAt, DateTimeOffset? StoppedAt, DateTimeOffset? CreatedAt,
    string? CapacityProvider, string? Group, bool ExecEnabled, string? StartedBy, IReadOnlyList<EcsContainer> Containers)
{
    /// <summary>When Fargate began pulling the image: its billing starts here.</summary>
    public DateTimeOffset? PullStartedAt { get; init; }

    /// <summary>The last part of the ARN: what the console, log streams and <c>--task-id</c> use.</summary>
    public string Id => Arn[(Arn.LastIndexOf('/') + 1)..];
}

public sealed record RunTaskResult(IReadOnlyList<EcsTask> Tasks, IReadOnlyList<EcsFailure> Failures);

public sealed record EcsFailure(string? Arn, string Reason, string? Detail);

public sealed record EcsDeployment(string Id, string Status, string? RolloutState, string? RolloutStateReason, long Desired, long Running, long Pending, long Failed);

public sealed record EcsServiceEvent(string Id, DateTimeOffset? CreatedAt, string Message);

public sealed record EcsService(string Name, string Arn, string Status, long Desired, long Running, long Pending, string Capacity,
    IReadOnlyList<EcsDeployment> Deployments, IReadOnlyList<EcsServiceEvent> Events);

/// <summary>The ECS operations the commands use (JSON 1.1, target AmazonEC2ContainerServiceV20141113).</summary>
public sealed class EcsClient(AwsSession session)
{
    private readonly JsonProtocol _protocol = new(session, AwsService.Ecs, "AmazonEC2ContainerServiceV20141113");

    /// <summary>
    /// RunTask with a request in ECS's own shape; the tasks it started and the failures it reported.
    /// The request carries a <c>clientToken</c> (ECS starts one task per token however often it
    /// arrives) and a <c>startedBy</c> unique to this run: after an unclear failure the tasks
    /// started by it are looked for before the call is sent again, so a migration never runs twice.
    /// </summary>
    public Task<RunTaskResult> RunTaskAsync(string cluster, JsonObject request, CancellationToken cancel = default)
    {
        var startedBy = request.Text("startedBy") ?? throw new ArgumentException("a RunTask request needs a startedBy to be looked up by", nameof(request));
        return session.WriteAsync($"a task may have started: look for one started by {startedBy}",
            write => _protocol.CallAsync("RunTask", request, answer => new RunTaskResult([.. answer.Objects("tasks").Select(ReadTask)], Failures(answer)), write, write: true),
            async look =>
            {
                var started = await ListTasksAsync(cluster, new JsonObject { ["startedBy"] = startedBy }, look).ConfigureAwait(false);
                started.AddRange(await ListTasksAsync(cluster, new JsonObject { ["startedBy"] = startedBy, ["desiredStatus"] = "STOPPED" }, look).ConfigureAwait(false));
                return started.Count == 0 ? null : new RunTaskResult(await DescribeTasksAsync(cluster, started, look).ConfigureAwait(false), []);
            },
            cancel);
    }

    public async Task<IReadOnlyList<EcsTask>> DescribeTasksAsync(string cluster, IEnumerable<string> taskArns, CancellationToken cancel = default)
    {
        var tasks = new List<EcsTask>();
        // DescribeTasks takes at most 100 tasks.
        foreach (var batch in taskArns.Chunk(100))
        {
            tasks.AddRange(await _protocol.CallAsync("DescribeTasks", new JsonObject
            {
                ["cluster"] = cluster,
                ["tasks"] = new JsonArray([.. batch.Select(a => JsonValue.Create(a))]),
            }, answer => answer.Objects("tasks").Select(ReadTask).ToList(), cancel).ConfigureAwait(false));
        }
        return tasks;
    }

    /// <summary>
    /// A task definition family's tasks whose desired status is RUNNING or STOPPED, described;
    /// at most the first 100 ListTasks gives (one DescribeTasks call's worth).
    /// </summary>
    public async Task<IReadOnlyList<EcsTask>> FamilyTasksAsync(string cluster, string family, string desiredStatus, CancellationToken cancel = default)
    {
        var arns = await ListTasksAsync(cluster, new JsonObject { ["family"] = family, ["desiredStatus"] = desiredStatus }, cancel).ConfigureAwait(false);
        return await DescribeTasksAsync(cluster, arns, cancel).ConfigureAwait(false);
    }

    /// <summary>The ARNs of the tasks a filter (family, startedBy, serviceName, desiredStatus) selects: at most 100.</summary>
    public async Task<List<string>> ListTasksAsync(string cluster, JsonObject filter, CancellationToken cancel = default)
    {
        const int limit = 100;
        var arns = new List<string>();
        var pages = new PageGuard(AwsService.Ecs, "ListTasks", 20);
        string? token = null;
        do
        {
            var request = (JsonObject)filter.DeepClone();
            request["cluster"] = cluster;
            if (token is not null)
            {
                request["nextToken"] = token;
            }
            token = pages.Next(await _protocol.CallAsync("ListTasks", request, answer =>
            {
                arns.AddRange(answer.Strings("taskArns"));
                return answer.Text("nextToken");
            }, cancel).ConfigureAwait(false));
        }
        while (token is not null && arns.Count < limit);
        return [.. arns.Distinct(StringComparer.Ordinal).Take(limit)];
    }

    public async Task<IReadOnlyList<EcsService>> DescribeServicesAsync(string cluster, IEnumerable<string> services, CancellationToken cancel = default)
    {
        var found = new List<EcsService>();
        // DescribeServices takes at most 10 services.
        foreach (var batch in services.Chunk(10))
        {
            found.AddRange(await _protocol.CallAsync("DescribeServices", new JsonObject
            {
                ["cluster"] = cluster,
                ["services"] = new JsonArray([.. batch.Select(s => JsonValue.Create(s))]),
            }, answer => answer.Objects("services").Select(ReadService).ToList(), cancel).ConfigureAwait(false));
        }
        return found;
    }

    /// <summary>Stops a task; stopping one twice is harmless, so a lost answer is simply asked again.</summary>
    public Task StopTaskAsync(string cluster, string taskArn, string reason, CancellationToken cancel = default) =>
        _protocol.CallAsync("StopTask", new JsonObject { ["cluster"] = cluster, ["task"] = taskArn, ["reason"] = reason }, _ => true, cancel);

    /// <summary>ExecuteCommand's answer as it came: session-manager-plugin takes it whole.</summary>
    public Task<JsonObject> ExecuteCommandAsync(string cluster, string taskArn, string container, string command, CancellationToken cancel = default) =>
        _protocol.CallAsync("ExecuteCommand", new JsonObject
        {
            ["cluster"] = cluster,
            ["task"] = taskArn,
            ["container"] = container,
            ["command"] = command,
            ["interactive"] = true,
        }, answer => answer, cancel, write: true);

    private static IReadOnlyList<EcsFailure> Failures(JsonObject answer) =>
        [.. answer.Objects("failures").Select(f => new EcsFailure(f.Text("arn"), f.Text("reason") ?? "unknown", f.Text("detail")))];

    private static EcsTask ReadTask(JsonObject task) => new(
        task.Required("taskArn"),
        task.Text("lastStatus") ?? "",
        task.Text("desiredStatus") ?? "",
        task.Text("taskDefinitionArn") ?? "",
        task.Text("stopCode"),
        task.Text("stoppedReason") is { Length: > 0 } reason ? reason : null,
        task.EpochSeconds("startedAt"),
        task.EpochSeconds("stoppedAt"),
        task.EpochSeconds("createdAt"),
        task.Text("capacityProviderName") ?? task.Text("launchType"),
        task.Text("group"),
        task.Flag("enableExecuteCommand") ?? false,
        task.Text("startedBy"),
        [.. task.Objects("containers").Select(c => new EcsContainer(c.Text("name") ?? "", c.Text("lastStatus"),
            c.Number("exitCode") is { } code ? (int)Math.Clamp(code, int.MinValue, int.MaxValue) : null, c.Text("reason"), c.Text("runtimeId")))])
    {
        PullStartedAt = task.EpochSeconds("pullStartedAt"),
    };

    private static EcsService ReadService(JsonObject service)
    {
        var strategy = service.Objects("capacityProviderStrategy")
            .Select(s => $"{s.Text("capacityProvider")}{(s.Number("base") is > 0 and var b ? $" base {b}" : "")} weight {s.Number("weight") ?? 0}")
            .ToList();
        return new EcsService(
            service.Text("serviceName") ?? "",
            service.Required("serviceArn"),
            service.Text("status") ?? "",
            service.Number("desiredCount") ?? 0,
            service.Number("runningCount") ?? 0,
            service.Number("pendingCount") ?? 0,
            strategy.Count > 0 ? string.Join(", ", strategy) : service.Text("launchType") ?? "FARGATE",
            [.. service.Objects("deployments").Select(d => new EcsDeployment(d.Text("id") ?? "", d.Text("status") ?? "", d.Text("rolloutState"), d.Text("rolloutStateReason"),
                d.Number("desiredCount") ?? 0, d.Number("runningCount") ?? 0, d.Number("pendingCount") ?? 0, d.Number("failedTasks") ?? 0))],
            [.. service.Objects("events").Take(100).Select(e => new EcsServiceEvent(e.Text("id") ?? "", e.EpochSeconds("createdAt"), e.Text("message") ?? ""))]);
    }
}
