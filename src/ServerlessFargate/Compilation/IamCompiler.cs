using System.Text.Json.Nodes;
using ServerlessFargate.CloudFormation;
using ServerlessFargate.Model;

namespace ServerlessFargate.Compilation;

/// <summary>
/// The generated roles: the execution role (pull images, write logs, read secrets), the task
/// role (the tasks' own permissions), and the roles EventBridge and Scheduler assume to start
/// scheduled tasks. Each is generated only when some task needs it and names no role of its own.
/// The shared roles are the reference's; a task gets roles of its own as <see cref="RoleScope"/> says.
/// </summary>
internal static class IamCompiler
{
    public static void AddSharedRoles(CompiledTemplate template, ServiceModel model)
    {
        var execution = model.Tasks.Where(t => t.GeneratedExecutionRole is { Shared: true }).ToList();
        if (execution.Count > 0)
        {
            template.Add(LogicalIds.ExecutionRole, BuildExecutionRole(execution, model.Cluster.Tags));
        }
        var shared = model.Tasks.FirstOrDefault(t => t.GeneratedTaskRole is { Shared: true });
        if (shared is not null)
        {
            template.Add(LogicalIds.TaskRole, BuildTaskRole(TaskRoleContents(model, shared), model.Cluster.Tags));
        }
        var scheduled = model.Tasks.Where(t => t.GeneratedEventsRole is { Shared: true }).ToList();
        if (scheduled.Count > 0)
        {
            template.Add(LogicalIds.EventsRole, BuildEventsRole(scheduled, model.Cluster.Tags));
        }
        var withSchedules = model.Tasks.Where(t => t.GeneratedSchedulerRole is { Shared: true }).ToList();
        if (withSchedules.Count > 0)
        {
            template.Add(LogicalIds.SchedulerRole, BuildSchedulerRole(withSchedules, model.Cluster.Tags));
        }
    }

    /// <summary>
    /// The roles a task has of its own (<see cref="RoleScope"/>), tagged as the task is. Its
    /// execution role may pull the images and write to the log groups of <paramref name="definition"/>,
    /// the task definition as it is written (escape hatches included).
    /// </summary>
    public static void AddOwnRoles(CompiledTemplate template, ServiceModel model, TaskModel task, Resource definition)
    {
        if (task.GeneratedTaskRole is { Shared: false } taskRole)
        {
            template.Add(taskRole.LogicalId, BuildTaskRole(TaskRoleContents(model, task), task.Tags));
        }
        if (task.GeneratedExecutionRole is { Shared: false } executionRole)
        {
            template.Add(executionRole.LogicalId, BuildOwnExecutionRole(task, definition));
        }
        if (task.GeneratedEventsRole is { Shared: false } eventsRole)
        {
            template.Add(eventsRole.LogicalId, BuildEventsRole([task], task.Tags));
        }
        if (task.GeneratedSchedulerRole is { Shared: false } schedulerRole)
        {
            template.Add(schedulerRole.LogicalId, BuildSchedulerRole([task], task.Tags));
        }
    }

    /// <summary>The reference passes the role's name (<c>Fn::Sub ${Role}</c>); ECS documents an ARN.</summary>
    public static JsonNode ExecutionRoleArn(TaskModel task) => Arn(task.ExecutionRole);

    public static JsonNode TaskRoleArn(TaskModel task) => Arn(task.TaskRole);

    /// <summary>A role's ARN as the template writes it: the user's value, or the generated role's Arn attribute.</summary>
    public static JsonNode Arn(RoleReference role) => role switch
    {
        RoleReference.Given given => given.Arn.DeepClone(),
        RoleReference.Generated generated => Fn.GetAtt(generated.Role.LogicalId, "Arn"),
        _ => throw new InvalidOperationException($"unknown role {role}"),
    };

    /// <summary>
    /// The iam:PassRole statement of a role that starts <paramref name="tasks"/> (schedules, and
    /// whatever else starts a task): the roles each task's starter passes
    /// (<see cref="TaskModel.RolesItsStarterPasses"/>), to ECS tasks only.
    /// </summary>
    public static JsonObject PassRoleStatement(IEnumerable<TaskModel> tasks) =>
        IamPolicy.Allow("iam:PassRole", IamPolicy.Distinct(tasks.SelectMany(t => t.RolesItsStarterPasses).Select(Arn)),
            new JsonObject { ["StringLike"] = new JsonObject { ["iam:PassedToService"] = "ecs-tasks.amazonaws.com" } });

    /// <summary>The role an EventBridge rule (a <c>schedule</c> string, or an event) assumes to start the task.</summary>
    public static JsonNode EventsRoleArn(TaskModel task) => Arn(task.EventsRole!);

    /// <summary>The role Scheduler assumes to start the task on a schedule of its <c>schedule</c> map.</summary>
    public static JsonNode SchedulerRoleArn(TaskModel task) => Arn(task.SchedulerRole!);

    /// <summary>What the generated task role <paramref name="task"/> runs as holds: its statements and managed policies, and who uses it.</summary>
    public sealed record TaskRolePolicy(IamSettings Iam, bool Exec);

    /// <summary>
    /// The shared role holds the provider's and the fargate level's statements; a task's own
    /// role, the fargate level's and the task's. Either holds the ECS Exec statement only when
    /// a task that runs as it has exec on. None when the task names its role.
    /// </summary>
    public static TaskRolePolicy TaskRoleContents(ServiceModel model, TaskModel task) => task.GeneratedTaskRole switch
    {
        null => new(IamSettings.None, false),
        { Shared: true } => new(model.Iam, model.Tasks.Any(t => t.GeneratedTaskRole is { Shared: true } && t.Runtime.Exec.Value)),
        _ => new(task.Iam, task.Runtime.Exec.Value),
    };

    /// <summary>
    /// ECS Exec opens an SSM session into the container; its agent needs these channels, which
    /// take no resource narrower than "*".
    /// </summary>
    public static JsonObject ExecStatement() => IamPolicy.Allow(new JsonArray("ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel",
        "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"), "*");

    /// <summary>
    /// The role ECS uses to pull images and write logs for tasks that share it. Unlike the
    /// reference, EventBridge may not assume it: scheduled tasks get their own narrowly scoped
    /// role (<see cref="BuildRunTaskRole"/>).
    /// </summary>
    private static Resource BuildExecutionRole(IReadOnlyList<TaskModel> tasks, IReadOnlyList<KeyValuePair<string, JsonNode>> tags)
    {
        var properties = IamPolicy.RoleProperties("ecs-tasks.amazonaws.com");
        properties["ManagedPolicyArns"] = new JsonArray(Fn.PartitionArn("iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"));
        var secrets = SecretStatements(tasks).ToList();
        if (secrets.Count > 0)
        {
            properties["Policies"] = new JsonArray(IamPolicy.Inline("FargateReadSecrets", secrets));
        }
        Properties.AddTags(properties, tags);
        return new Resource("AWS::IAM::Role", properties);
    }

    /// <summary>
    /// A task's own execution role: instead of AmazonECSTaskExecutionRolePolicy (every
    /// repository, every log group), the task's images, its log groups and its secrets only.
    /// </summary>
    private static Resource BuildOwnExecutionRole(TaskModel task, Resource definition)
    {
        var properties = IamPolicy.RoleProperties("ecs-tasks.amazonaws.com");
        var policies = new JsonArray();
        var execution = TaskExecutionPolicy.Statements(task, definition).ToList();
        if (execution.Count > 0)
        {
            policies.Add((JsonNode)IamPolicy.Inline("FargateTaskExecution", execution));
        }
        var secrets = SecretStatements([task]).ToList();
        if (secrets.Count > 0)
        {
            policies.Add((JsonNode)IamPolicy.Inline("FargateReadSecrets", secrets));
        }
        if (policies.Count > 0)
        {
            properties["Policies"] = policies;
        }
        Properties.AddTags(properties, task.Tags);
        return new Resource("AWS::IAM::Role", properties);
    }

    /// <summary>The role a task's code runs as: its statements and managed policies, and ECS Exec's channels where exec is on.</summary>
    private static Resource BuildTaskRole(TaskRolePolicy contents, IReadOnlyList<KeyValuePair<string, JsonNode>> tags)
    {
        var properties = IamPolicy.RoleProperties("ecs-tasks.amazonaws.com");
        var policies = new JsonArray();
        if (contents.Iam.Statements.Count > 0)
        {
            policies.Add((JsonNode)IamPolicy.Inline("FargateTaskPolicy", contents.Iam.Statements.Select(s => s.Value.DeepClone())));
        }
        if (contents.Exec)
        {
            policies.Add((JsonNode)IamPolicy.Inline("FargateExec", [ExecStatement()]));
        }
        if (policies.Count > 0)
        {
            properties["Policies"] = policies;
        }
        if (contents.Iam.ManagedPolicies.Count > 0)
        {
            // The provider, fargate and task levels add up; one ARN twice is refused (uniqueItems).
            properties["ManagedPolicyArns"] = new JsonArray([.. IamPolicy.Distinct(contents.Iam.ManagedPolicies.Select(p => p.Value))]);
        }
        Properties.AddTags(properties, tags);
        return new Resource("AWS::IAM::Role", properties);
    }

    /// <summary>
    /// The role EventBridge rules assume: it runs the tasks rules start themselves, and starts the
    /// state machines of tasks whose events pass the whole event (which then run the task).
    /// </summary>
    private static Resource BuildEventsRole(IReadOnlyList<TaskModel> tasks, IReadOnlyList<KeyValuePair<string, JsonNode>> tags)
    {
        var machines = tasks.Where(t => t.HasEventStateMachine).Select(t => (JsonNode)Fn.Ref(LogicalIds.EventStateMachine(t.Id))).ToList();
        return BuildRunTaskRole("events.amazonaws.com", "FargateRunScheduledTasks", [.. tasks.Where(t => t.RulesRunTheTask)],
            machines.Count > 0 ? [IamPolicy.Allow("states:StartExecution", machines)] : [], tags);
    }

    /// <summary>The role a task's <c>&lt;Id&gt;EventStateMachine</c> runs it with: this task only, as the events role would.</summary>
    internal static Resource EventStateMachineRole(TaskModel task) =>
        BuildRunTaskRole("states.amazonaws.com", "FargateRunEventTask", [task], [], task.Tags);

    private static Resource BuildSchedulerRole(IReadOnlyList<TaskModel> withSchedules, IReadOnlyList<KeyValuePair<string, JsonNode>> tags)
    {
        var deadLetterQueues = withSchedules.SelectMany(t => ((TaskKind.Schedules)t.Kind).Entries)
            .Select(e => e.DeadLetterQueueArn).OfType<JsonNode>().ToList();
        return BuildRunTaskRole("scheduler.amazonaws.com", "FargateRunSchedules", withSchedules,
            deadLetterQueues.Count > 0 ? [IamPolicy.Allow("sqs:SendMessage", IamPolicy.Distinct(deadLetterQueues))] : [], tags);
    }

    /// <summary>
    /// The role EventBridge (rules, or Scheduler) assumes to start scheduled tasks: it may run
    /// exactly these task definitions, only in this cluster, and pass exactly their roles to ECS
    /// tasks; <paramref name="extra"/> adds what else the service needs (a dead-letter queue).
    /// </summary>
    private static Resource BuildRunTaskRole(string principal, string policyName, IReadOnlyList<TaskModel> scheduled,
        IReadOnlyList<JsonNode> extra, IReadOnlyList<KeyValuePair<string, JsonNode>> tags)
    {
        var properties = IamPolicy.RoleProperties(principal);
        // An events role whose tasks all pass the whole event only starts their state machines.
        IEnumerable<JsonNode> runTask = scheduled.Count == 0 ? [] :
        [
            IamPolicy.Allow("ecs:RunTask", scheduled.Select(t => (JsonNode)Fn.Ref(LogicalIds.TaskDefinition(t.Id))),
                new JsonObject { ["ArnEquals"] = new JsonObject { ["ecs:cluster"] = Fn.GetAtt(LogicalIds.Cluster, "Arn") } }),
            PassRoleStatement(scheduled),
        ];
        properties["Policies"] = new JsonArray(IamPolicy.Inline(policyName, [.. runTask, .. extra]));
        Properties.AddTags(properties, tags);
        return new Resource("AWS::IAM::Role", properties);
    }

    /// <summary>
    /// An execution role reads exactly the secrets its tasks name: Secrets Manager secrets by
    /// their ARN (without a :json-key:stage:version suffix, which IAM does not know), parameters
    /// by theirs, and decrypts with the customer keys those tasks list in <c>secretsKmsKeyArns</c>.
    /// </summary>
    private static IEnumerable<JsonNode> SecretStatements(IReadOnlyList<TaskModel> tasks)
    {
        var arns = tasks.SelectMany(t => t.Runtime.Secrets).Select(secret => PolicyArn(secret.Source)).ToList();
        var secretArns = IamPolicy.Distinct(arns.Where(a => !a.IsParameter).Select(a => a.Arn));
        var parameterArns = IamPolicy.Distinct(arns.Where(a => a.IsParameter).Select(a => a.Arn));
        var kmsKeys = IamPolicy.Distinct(tasks.Where(t => t.Runtime.Secrets.Count > 0).SelectMany(t => t.Runtime.SecretsKmsKeyArns));
        if (secretArns.Count > 0)
        {
            yield return IamPolicy.Allow("secretsmanager:GetSecretValue", secretArns);
        }
        if (parameterArns.Count > 0)
        {
            yield return IamPolicy.Allow("ssm:GetParameters", parameterArns);
        }
        if (kmsKeys.Count > 0)
        {
            yield return IamPolicy.Allow("kms:Decrypt", kmsKeys);
        }
    }

    private static (JsonNode Arn, bool IsParameter) PolicyArn(SecretSource source) => source switch
    {
        SecretSource.SecretsManagerArn secret => (JsonValue.Create(secret.PolicyArn), false),
        SecretSource.ParameterArn parameter => (JsonValue.Create(parameter.Arn), true),
        SecretSource.ParameterName name => (ValueFrom(name), true),
        SecretSource.Intrinsic intrinsic => (intrinsic.Value.DeepClone(), intrinsic.IsParameter),
        SecretSource.Invalid invalid => (JsonValue.Create(invalid.Text), false),
        _ => throw new InvalidOperationException($"unknown secret source {source}"),
    };

    /// <summary>What ECS reads a secret from (its <c>ValueFrom</c>): the ARN as written, or the ARN of an <c>ssm:</c> name.</summary>
    public static JsonNode ValueFrom(SecretSource source) => source switch
    {
        SecretSource.SecretsManagerArn secret => JsonValue.Create(secret.Arn),
        SecretSource.ParameterArn parameter => JsonValue.Create(parameter.Arn),
        SecretSource.ParameterName name => Fn.Sub("arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/" + name.Name),
        SecretSource.Intrinsic intrinsic => intrinsic.Value.DeepClone(),
        SecretSource.Invalid invalid => JsonValue.Create(invalid.Text),
        _ => throw new InvalidOperationException($"unknown secret source {source}"),
    };
}
