using System.Text.Json.Nodes;
using ServerlessFargate.Diagnostics;

namespace ServerlessFargate.Model;

/// <summary>Where a task role's statement or managed policy was written.</summary>
public enum IamSource
{
    /// <summary><c>provider.iam.role</c> or the provider's older keys: the Lambda functions' permissions.</summary>
    Provider,
    Fargate,
    Task,
}

/// <summary>A statement or a managed policy ARN of a task role, with where it was written (<c>provider.iamRoleStatements[0]</c>).</summary>
public sealed record IamEntry(JsonNode Value, IamSource Source, string Path, SourceSpan Span);

/// <summary>Which generated roles a task runs with where it names none by ARN.</summary>
public enum RoleScope
{
    /// <summary>The roles all such tasks share, as the reference plugin generates them.</summary>
    Shared,

    /// <summary>A task role of its own (the task sets <c>iamRoleStatements</c> or <c>iamManagedPolicies</c>); the shared execution role and the shared roles that start scheduled tasks.</summary>
    OwnTaskRole,

    /// <summary><c>roles: per-task</c>: a task role, an execution role and a role that starts it on its schedule, each its own.</summary>
    PerTask,
}

/// <summary>A role the template generates for a task: its logical ID, and whether other tasks use it too.</summary>
public sealed record GeneratedRole(string LogicalId, bool Shared);

/// <summary>A role a task uses: one the user gives by ARN, or one the template generates.</summary>
public abstract record RoleReference
{
    private RoleReference()
    {
    }

    public sealed record Given(JsonNode Arn) : RoleReference;

    public sealed record Generated(GeneratedRole Role) : RoleReference;
}

/// <summary>The roles a task runs with, and the roles whoever starts it must be allowed to pass.</summary>
public sealed partial record TaskModel
{
    /// <summary>The statements and managed policies of a task role of its own: the fargate level's, then the task's.</summary>
    public IamSettings Iam { get; init; } = IamSettings.None;

    /// <summary>Where the task sets <c>iamRoleStatements</c> or <c>iamManagedPolicies</c> itself (asking for a task role of its own), when it does.</summary>
    public SourceSpan? OwnIamKey { get; init; }

    public RoleScope Roles { get; init; } = RoleScope.Shared;

    /// <summary>The generated task role the task runs as; null when it names one (<c>taskRoleArn</c>).</summary>
    public GeneratedRole? GeneratedTaskRole => TaskRoleArn is not null ? null
        : Roles is RoleScope.Shared ? new(LogicalIds.TaskRole, Shared: true) : new(LogicalIds.OwnTaskRole(Id), Shared: false);

    /// <summary>The generated execution role of the task; null when it names one (<c>executionRoleArn</c>).</summary>
    public GeneratedRole? GeneratedExecutionRole => ExecutionRoleArn is not null ? null
        : Roles is RoleScope.PerTask ? new(LogicalIds.OwnExecutionRole(Id), Shared: false) : new(LogicalIds.ExecutionRole, Shared: true);

    /// <summary>
    /// The generated role EventBridge rules assume to start the task (a <c>schedule</c> string,
    /// or <c>events</c>); null when nothing of the kind starts it or it names that role (<c>eventsRoleArn</c>).
    /// </summary>
    public GeneratedRole? GeneratedEventsRole => StartedByRules && EventsRoleArn is null
        ? Roles is RoleScope.PerTask ? new(LogicalIds.OwnEventsRole(Id), Shared: false) : new(LogicalIds.EventsRole, Shared: true)
        : null;

    /// <summary>Whether EventBridge rules start the task: its <c>schedule</c> string, or its <c>events</c>.</summary>
    private bool StartedByRules => Kind is TaskKind.Scheduled || Events.Count > 0;

    /// <summary>The generated role Scheduler assumes for a <c>schedule</c> map; null without one or when it names that role (<c>schedulerRoleArn</c>).</summary>
    public GeneratedRole? GeneratedSchedulerRole => Kind is TaskKind.Schedules && SchedulerRoleArn is null
        ? Roles is RoleScope.PerTask ? new(LogicalIds.OwnSchedulerRole(Id), Shared: false) : new(LogicalIds.SchedulerRole, Shared: true)
        : null;

    /// <summary>The role EventBridge rules start the task with, or null when no rule does.</summary>
    public RoleReference? EventsRole => StartedByRules
        ? EventsRoleArn is { } arn ? new RoleReference.Given(arn) : new RoleReference.Generated(GeneratedEventsRole!)
        : null;

    /// <summary>
    /// Whether a rule's target is the task itself (a <c>schedule</c> string, or an event without
    /// <c>wholeEvent</c>), so the events role runs it; with <c>wholeEvent</c> the rule starts the
    /// task's state machine, and the events role only starts that.
    /// </summary>
    public bool RulesRunTheTask => Kind is TaskKind.Scheduled || Events.Any(e => !e.WholeEvent);

    /// <summary>The role <c>&lt;Id&gt;EventStateMachine</c> runs the task with; null without one.</summary>
    public RoleReference? EventStateMachineRole => HasEventStateMachine
        ? new RoleReference.Generated(new(LogicalIds.EventStateMachineRole(Id), Shared: false))
        : null;

    /// <summary>The role Scheduler starts the task with, or null without a <c>schedule</c> map.</summary>
    public RoleReference? SchedulerRole => Kind is TaskKind.Schedules
        ? SchedulerRoleArn is { } arn ? new RoleReference.Given(arn) : new RoleReference.Generated(GeneratedSchedulerRole!)
        : null;

    /// <summary>The role ECS pulls the task's images, writes its logs and reads its secrets with.</summary>
    public RoleReference ExecutionRole => ExecutionRoleArn is { } arn ? new RoleReference.Given(arn) : new RoleReference.Generated(GeneratedExecutionRole!);

    /// <summary>The role the task's code runs as.</summary>
    public RoleReference TaskRole => TaskRoleArn is { } arn ? new RoleReference.Given(arn) : new RoleReference.Generated(GeneratedTaskRole!);

    /// <summary>
    /// What the role of anything that starts this task (a schedule's rule or Scheduler, an event
    /// rule's target) may pass to ECS with <c>iam:PassRole</c>: exactly the task's execution role
    /// and task role, which RunTask hands on. AWS asks for the full ARN of each:
    /// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/CWE_IAM_role.html
    /// </summary>
    public IReadOnlyList<RoleReference> RolesItsStarterPasses => [ExecutionRole, TaskRole];
}
