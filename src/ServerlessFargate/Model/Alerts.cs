using System.Text.Json.Nodes;
using ServerlessFargate.Diagnostics;

namespace ServerlessFargate.Model;

/// <summary>
/// A task's <c>alerts</c>, after the fargate level's are merged in: the addresses its topic sends
/// to, a topic of the user's, and what to alert on.
/// </summary>
/// <param name="Span">Where the <c>alerts</c> key is written (the fargate level's, when the task has none of its own).</param>
/// <param name="Path">That key's config path: <c>fargate.alerts</c> or <c>fargate.tasks.worker.alerts</c>.</param>
public sealed record AlertSettings(
    IReadOnlyList<Located<string>> Emails,
    Located<JsonNode>? TopicArn,
    bool OnFailure,
    bool OnDeployment,
    SourceSpan Span,
    string Path)
{
    /// <summary>
    /// The task's addresses are the fargate level's, so the task shares the stack's topic
    /// (<c>FargateAlertsTopic</c>) instead of having one of its own.
    /// </summary>
    public bool SharesTopic { get; init; }

    public bool Any => OnFailure || OnDeployment;

    /// <summary>The config path of <c>email</c>: the task's, or the fargate level's when the task takes those.</summary>
    public string EmailsPath { get; init; } = "fargate.alerts.email";
}

/// <summary>
/// What counts as a task's failure, for its alert rule and for <c>status</c> alike: a task that
/// failed to start, or a stopped task one of whose containers exited with a code other than 0,
/// unless it was stopped on purpose. ECS names why a task stopped in its stop code (TaskFailedToStart,
/// EssentialContainerExited, UserInitiated, ServiceSchedulerInitiated, SpotInterruption,
/// TerminationNotice): https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Task.html
/// </summary>
public static class TaskFailure
{
    /// <summary>CannotPullContainerError, ResourceInitializationError and the like: no container ran.</summary>
    public const string FailedToStart = "TaskFailedToStart";

    /// <summary>
    /// Stop codes under which a container's exit other than 0 is a failure: its essential container
    /// exited, or, for a task that is not a service, Fargate took the capacity back before the task
    /// finished (a service's interrupted task is replaced by ECS, and its SIGTERM exit 143 is no
    /// news). Not listed, so never a failure: a service's task replaced by a deployment or removed
    /// by scale-in (ServiceSchedulerInitiated) and a task someone stopped (UserInitiated), whose
    /// containers get SIGTERM and often exit 143.
    /// </summary>
    public static IReadOnlyList<string> FailingStopCodes(bool service) =>
        service ? ["EssentialContainerExited"] : ["EssentialContainerExited", "SpotInterruption", "TerminationNotice"];

    public static bool IsFailure(string? stopCode, IEnumerable<int?> exitCodes, bool service) =>
        stopCode == FailedToStart || (FailingStopCodes(service).Contains(stopCode ?? "") && exitCodes.Any(code => code is not null and not 0));
}
