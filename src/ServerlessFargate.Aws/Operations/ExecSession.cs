using System.Diagnostics;
using System.Text.Json.Nodes;
using ServerlessFargate.Model;

namespace ServerlessFargate.Aws.Operations;

/// <summary>
/// <c>exec</c>: picks a running task, asks ECS for an ECS Exec session and hands it to AWS's
/// session-manager-plugin, as <c>aws ecs execute-command</c> does: the plugin takes the session
/// (JSON), the region, <c>StartSession</c>, the profile, the target (JSON) and the endpoint.
/// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-exec.html
/// </summary>
public sealed class ExecSession(AwsSession session, DeployedService deployed, TextWriter messages)
{
    public const string PluginName = "session-manager-plugin";

    /// <summary>Where AWS says how to install the plugin.</summary>
    public const string InstallPage = "https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-working-with-install-plugin.html";

    /// <param name="findProgram">Finds a program on PATH (the environment's, so tests can give their own).</param>
    public async Task<int> StartAsync(TaskModel task, string? taskId, string? containerName, string command, Func<string, string?> findProgram, CancellationToken cancel)
    {
        var ecs = new EcsClient(session);
        var container = containerName ?? task.Name.Value;
        var target = await PickTaskAsync(ecs, task, taskId, cancel).ConfigureAwait(false);
        if (!target.ExecEnabled)
        {
            throw new OperationException($"ECS Exec is not enabled on task {target.Id} of {task.Name.Value}: set `exec: true` on the task, deploy, and start a new task (running tasks keep the setting they started with)");
        }
        var runtime = target.Containers.FirstOrDefault(c => c.Name == container)
            ?? throw new OperationException($"task {target.Id} has no container `{container}`; its containers are {string.Join(", ", target.Containers.Select(c => c.Name))}", isUsage: true);
        var plugin = findProgram(PluginName)
            ?? throw new OperationException($"{PluginName} is not installed; ECS Exec needs it to open the session: {InstallPage}");

        var answer = await ecs.ExecuteCommandAsync(deployed.Cluster, target.Arn, container, command, cancel).ConfigureAwait(false);
        var sessionJson = answer["session"]?.ToJsonString()
            ?? throw new OperationException("ECS ExecuteCommand answered without a session");
        var targetJson = new JsonObject { ["Target"] = $"ecs:{deployed.Cluster}_{target.Id}_{runtime.RuntimeId}" }.ToJsonString();
        messages.WriteLine($"Opening a session in {container} of task {target.Id} ({command})");

        var start = new ProcessStartInfo(plugin) { UseShellExecute = false };
        foreach (var argument in new[] { sessionJson, session.Region, "StartSession", session.Profile ?? "", targetJson, session.Endpoint(AwsService.Ecs).ToString() })
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new OperationException($"could not start {plugin}");
        await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        return process.ExitCode;
    }

    private async Task<EcsTask> PickTaskAsync(EcsClient ecs, TaskModel task, string? taskId, CancellationToken cancel)
    {
        var running = await ecs.FamilyTasksAsync(deployed.Cluster, task.Name.Value, "RUNNING", cancel).ConfigureAwait(false);
        if (taskId is not null)
        {
            return running.FirstOrDefault(t => t.Id == taskId || t.Arn == taskId || t.Id.StartsWith(taskId, StringComparison.Ordinal))
                ?? throw new OperationException($"no running task of {task.Name.Value} has the id {taskId}" +
                    (running.Count > 0 ? $"; the running ones are {string.Join(", ", running.Select(t => t.Id))}" : ""));
        }
        return running.Where(t => t.LastStatus == "RUNNING").OrderByDescending(t => t.StartedAt ?? t.CreatedAt).FirstOrDefault()
            ?? throw new OperationException($"no task of {task.Name.Value} is running; start one with `run {task.Key} --detach`, or wait for its service to start one");
    }
}
