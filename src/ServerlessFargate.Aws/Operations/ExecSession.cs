using System.Diagnostics;
using System.Text.Json.Nodes;
using ServerlessFargate.Model;
using ServerlessFargate.Aws.Clients;

namespace ServerlessFargate.Aws.Operations;

/// <summary>
/// <c>exec</c>: picks a running task, asks ECS for an ECS Exec session and hands it to AWS's
/// session-manager-plugin, as <c>aws ecs execute-command</c> does: the plugin takes the session,
/// the region, <c>StartSession</c>, the profile, the target (JSON) and the endpoint. The session
/// (JSON with its token) travels in the environment variable <see cref="SessionVariable"/>, whose
/// name takes its place among the arguments: a process's arguments are readable by every user of
/// the machine (<c>ps</c>, /proc/PID/cmdline), its environment only by its owner.
/// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-exec.html
/// </summary>
public sealed class ExecSession(AwsSession session, DeployedService deployed, TextWriter messages)
{
    public const string PluginName = "session-manager-plugin";

    /// <summary>The variable session-manager-plugin reads the session from when its first argument is this name.</summary>
    public const string SessionVariable = "AWS_SSM_START_SESSION_RESPONSE";

    /// <summary>
    /// The first session-manager-plugin that reads the session from <see cref="SessionVariable"/>
    /// (its release notes: "Support reading StartSession API response parameters from environment
    /// variable"); older ones take it only as an argument, which we never pass.
    /// </summary>
    public static readonly Version FirstReadingEnvironment = new(1, 2, 536, 0);

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
        // Before ExecuteCommand, which opens a session on the task whether or not it is used.
        await RefuseOldPluginAsync(plugin, cancel).ConfigureAwait(false);

        var answer = await ecs.ExecuteCommandAsync(deployed.Cluster, target.Arn, container, command, cancel).ConfigureAwait(false);
        var sessionJson = answer["session"]?.ToJsonString()
            ?? throw new OperationException("ECS ExecuteCommand answered without a session");
        var targetJson = new JsonObject { ["Target"] = $"ecs:{deployed.Cluster}_{target.Id}_{runtime.RuntimeId}" }.ToJsonString();
        messages.WriteLine($"Opening a session in {container} of task {target.Id} ({command})");

        var start = new ProcessStartInfo(plugin) { UseShellExecute = false };
        start.Environment[SessionVariable] = sessionJson;
        foreach (var argument in new[] { SessionVariable, session.Region, "StartSession", session.Profile ?? "", targetJson, session.Endpoint(AwsService.Ecs).ToString() })
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new OperationException($"could not start {plugin}");
        await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        return process.ExitCode;
    }

    /// <summary>
    /// Refuses a plugin that says it is older than <see cref="FirstReadingEnvironment"/>. One that
    /// answers something else is trusted to be newer: at worst it fails to read the session.
    /// </summary>
    private static async Task RefuseOldPluginAsync(string plugin, CancellationToken cancel)
    {
        var start = new ProcessStartInfo(plugin, "--version") { UseShellExecute = false, RedirectStandardOutput = true };
        using var process = Process.Start(start) ?? throw new OperationException($"could not start {plugin}");
        // It prints one line such as 1.2.650.0; what is longer is not a version.
        var answer = new char[64];
        int read;
        try
        {
            read = await process.StandardOutput.ReadBlockAsync(answer, cancel).AsTask().WaitAsync(TimeSpan.FromSeconds(10), cancel).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new OperationException($"{plugin} --version did not answer within 10 seconds");
        }
        finally
        {
            // Done with it however the wait ended (an exited process is left as it is).
            process.Kill();
        }
        if (Version.TryParse(new string(answer, 0, read).Trim(), out var version) && version < FirstReadingEnvironment)
        {
            throw new OperationException($"{plugin} is version {version}, which takes the session (and its token) only in its command line, " +
                $"where every user of this machine can read it; update it to {FirstReadingEnvironment} or later: {InstallPage}");
        }
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
