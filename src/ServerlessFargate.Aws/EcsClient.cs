using System.Text.Json.Nodes;
using ServerlessFargate.Aws.Protocol;

namespace ServerlessFargate.Aws;

/// <param name="RuntimeId">The container runtime's id: ECS Exec's Session Manager target names it.</param>
public sealed record EcsContainer(string Name, string? LastStatus, int? ExitCode, string? Reason, string? RuntimeId);

public sealed record EcsTask(string Arn, string LastStatus, string DesiredStatus, string TaskDefinitionArn, string? StopCode,
    string? StoppedReason, DateTimeOffset? StartedAt, DateTimeOffset? StoppedAt, DateTimeOffset? CreatedAt,
    string? CapacityProvider, string? Group, bool ExecEnabled, IReadOnlyList<EcsContainer> Containers)
{
    /// <summary>The last part of the ARN: what the console, log streams and <c>--task-id</c> use.</summary>
    public string Id => Arn[(Arn.LastIndexOf('/') + 1)..];
}

public sealed record EcsFailure(string? Arn, string Reason, string? Detail);

public sealed record EcsDeployment(string Status, string? RolloutState, string? RolloutStateReason, long Desired, long Running, long Pending, long Failed);

public sealed record EcsServiceEvent(DateTimeOffset? CreatedAt, string Message);

public sealed record EcsService(string Name, string Arn, string Status, long Desired, long Running, long Pending, string Capacity,
    IReadOnlyList<EcsDeployment> Deployments, IReadOnlyList<EcsServiceEvent> Events);

/// <summary>The ECS operations the commands use (JSON 1.1, target AmazonEC2ContainerServiceV20141113).</summary>
public sealed class EcsClient(AwsSession session)
{
    private readonly JsonProtocol _protocol = new(session, AwsService.Ecs, "AmazonEC2ContainerServiceV20141113");

    /// <summary>RunTask with a request in ECS's own shape; the tasks it started and the failures it reported.</summary>
    public async Task<(IReadOnlyList<EcsTask> Tasks, IReadOnlyList<EcsFailure> Failures)> RunTaskAsync(JsonObject request, CancellationToken cancel = default)
    {
        var answer = await _protocol.CallAsync("RunTask", request, cancel).ConfigureAwait(false);
        return ([.. answer.Items("tasks").Select(ReadTask)], Failures(answer));
    }

    public async Task<IReadOnlyList<EcsTask>> DescribeTasksAsync(string cluster, IEnumerable<string> taskArns, CancellationToken cancel = default)
    {
        var tasks = new List<EcsTask>();
        // DescribeTasks takes at most 100 tasks.
        foreach (var batch in taskArns.Chunk(100))
        {
            var answer = await _protocol.CallAsync("DescribeTasks", new JsonObject
            {
                ["cluster"] = cluster,
                ["tasks"] = new JsonArray([.. batch.Select(a => JsonValue.Create(a))]),
            }, cancel).ConfigureAwait(false);
            tasks.AddRange(answer.Items("tasks").Select(ReadTask));
        }
        return tasks;
    }

    /// <summary>
    /// A task definition family's tasks whose desired status is RUNNING or STOPPED, described;
    /// at most the first 100 ListTasks gives (one DescribeTasks call's worth).
    /// </summary>
    public async Task<IReadOnlyList<EcsTask>> FamilyTasksAsync(string cluster, string family, string desiredStatus, CancellationToken cancel = default)
    {
        const int limit = 100;
        var arns = new List<string>();
        string? token = null;
        do
        {
            var request = new JsonObject { ["cluster"] = cluster, ["family"] = family, ["desiredStatus"] = desiredStatus };
            if (token is not null)
            {
                request["nextToken"] = token;
            }
            var answer = await _protocol.CallAsync("ListTasks", request, cancel).ConfigureAwait(false);
            arns.AddRange(answer.Items("taskArns").Select(a => a.GetValue<string>()));
            token = answer.Text("nextToken");
        }
        while (token is not null && arns.Count < limit);
        return await DescribeTasksAsync(cluster, arns.Take(limit), cancel).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<EcsService>> DescribeServicesAsync(string cluster, IEnumerable<string> services, CancellationToken cancel = default)
    {
        var found = new List<EcsService>();
        // DescribeServices takes at most 10 services.
        foreach (var batch in services.Chunk(10))
        {
            var answer = await _protocol.CallAsync("DescribeServices", new JsonObject
            {
                ["cluster"] = cluster,
                ["services"] = new JsonArray([.. batch.Select(s => JsonValue.Create(s))]),
            }, cancel).ConfigureAwait(false);
            found.AddRange(answer.Items("services").Select(ReadService));
        }
        return found;
    }

    public Task StopTaskAsync(string cluster, string taskArn, string reason, CancellationToken cancel = default) =>
        _protocol.CallAsync("StopTask", new JsonObject { ["cluster"] = cluster, ["task"] = taskArn, ["reason"] = reason }, cancel);

    /// <summary>ExecuteCommand's answer as it came: session-manager-plugin takes it whole.</summary>
    public Task<JsonObject> ExecuteCommandAsync(string cluster, string taskArn, string container, string command, CancellationToken cancel = default) =>
        _protocol.CallAsync("ExecuteCommand", new JsonObject
        {
            ["cluster"] = cluster,
            ["task"] = taskArn,
            ["container"] = container,
            ["command"] = command,
            ["interactive"] = true,
        }, cancel);

    private static IReadOnlyList<EcsFailure> Failures(JsonObject answer) =>
        [.. answer.Items("failures").Select(f => new EcsFailure(f.Text("arn"), f.Text("reason") ?? "unknown", f.Text("detail")))];

    private static EcsTask ReadTask(JsonNode task) => new(
        task.Text("taskArn") ?? "",
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
        task is JsonObject o && o["enableExecuteCommand"] is JsonValue v && v.TryGetValue<bool>(out var exec) && exec,
        [.. task.Items("containers").Select(c => new EcsContainer(c.Text("name") ?? "", c.Text("lastStatus"),
            c.Number("exitCode") is { } code ? (int)code : null, c.Text("reason"), c.Text("runtimeId")))]);

    private static EcsService ReadService(JsonNode service)
    {
        var strategy = service.Items("capacityProviderStrategy")
            .Select(s => $"{s.Text("capacityProvider")}{(s.Number("base") is > 0 and var b ? $" base {b}" : "")} weight {s.Number("weight") ?? 0}")
            .ToList();
        return new EcsService(
            service.Text("serviceName") ?? "",
            service.Text("serviceArn") ?? "",
            service.Text("status") ?? "",
            service.Number("desiredCount") ?? 0,
            service.Number("runningCount") ?? 0,
            service.Number("pendingCount") ?? 0,
            strategy.Count > 0 ? string.Join(", ", strategy) : service.Text("launchType") ?? "FARGATE",
            [.. service.Items("deployments").Select(d => new EcsDeployment(d.Text("status") ?? "", d.Text("rolloutState"), d.Text("rolloutStateReason"),
                d.Number("desiredCount") ?? 0, d.Number("runningCount") ?? 0, d.Number("pendingCount") ?? 0, d.Number("failedTasks") ?? 0))],
            [.. service.Items("events").Take(20).Select(e => new EcsServiceEvent(e.EpochSeconds("createdAt"), e.Text("message") ?? ""))]);
    }
}
