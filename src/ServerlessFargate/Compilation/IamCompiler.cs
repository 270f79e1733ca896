using System.Text.Json.Nodes;
using ServerlessFargate.CloudFormation;
using ServerlessFargate.Model;

namespace ServerlessFargate.Compilation;

/// <summary>
/// The generated roles: the execution role (pull images, write logs, read secrets), the task
/// role (the tasks' own permissions), and the roles EventBridge and Scheduler assume to start
/// scheduled tasks. Each is generated only when some task needs it and names no role of its own.
/// </summary>
internal static class IamCompiler
{
    public static void AddSharedRoles(CompiledTemplate template, ServiceModel model)
    {
        if (model.Tasks.Any(t => t.ExecutionRoleArn is null))
        {
            template.Add(LogicalIds.ExecutionRole, BuildExecutionRole(model));
        }
        if (model.Tasks.Any(t => t.TaskRoleArn is null))
        {
            template.Add(LogicalIds.TaskRole, BuildTaskRole(model));
        }
        var scheduled = model.Tasks.Where(t => (t.Kind is TaskKind.Scheduled || t.Events.Count > 0) && t.EventsRoleArn is null).ToList();
        if (scheduled.Count > 0)
        {
            template.Add(LogicalIds.EventsRole, BuildRunTaskRole("events.amazonaws.com", "FargateRunScheduledTasks", scheduled, [], model.Cluster));
        }
        var withSchedules = model.Tasks.Where(t => t.Kind is TaskKind.Schedules && t.SchedulerRoleArn is null).ToList();
        if (withSchedules.Count > 0)
        {
            var deadLetterQueues = withSchedules.SelectMany(t => ((TaskKind.Schedules)t.Kind).Entries)
                .Select(e => e.DeadLetterQueueArn).OfType<JsonNode>().ToList();
            template.Add(LogicalIds.SchedulerRole, BuildRunTaskRole("scheduler.amazonaws.com", "FargateRunSchedules", withSchedules,
                deadLetterQueues.Count > 0 ? [IamPolicy.Allow("sqs:SendMessage", IamPolicy.Distinct(deadLetterQueues))] : [], model.Cluster));
        }
    }

    /// <summary>The reference passes the role's name (<c>Fn::Sub ${Role}</c>); ECS documents an ARN.</summary>
    public static JsonNode ExecutionRoleArn(TaskModel task) =>
        task.ExecutionRoleArn?.DeepClone() ?? Fn.GetAtt(LogicalIds.ExecutionRole, "Arn");

    public static JsonNode TaskRoleArn(TaskModel task) =>
        task.TaskRoleArn?.DeepClone() ?? Fn.GetAtt(LogicalIds.TaskRole, "Arn");

    public static JsonNode EventsRoleArn(TaskModel task) =>
        task.EventsRoleArn?.DeepClone() ?? Fn.GetAtt(LogicalIds.EventsRole, "Arn");

    public static JsonNode SchedulerRoleArn(TaskModel task) =>
        task.SchedulerRoleArn?.DeepClone() ?? Fn.GetAtt(LogicalIds.SchedulerRole, "Arn");

    /// <summary>
    /// The role ECS uses to pull images and write logs. Unlike the reference, EventBridge may not
    /// assume it: scheduled tasks get their own narrowly scoped role (<see cref="BuildRunTaskRole"/>).
    /// </summary>
    private static Resource BuildExecutionRole(ServiceModel model)
    {
        var properties = IamPolicy.RoleProperties("ecs-tasks.amazonaws.com");
        properties["ManagedPolicyArns"] = new JsonArray(Fn.PartitionArn("iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"));
        var secrets = model.Tasks.Where(t => t.ExecutionRoleArn is null).SelectMany(t => t.Runtime.Secrets).ToList();
        if (secrets.Count > 0)
        {
            properties["Policies"] = new JsonArray(IamPolicy.Inline("FargateReadSecrets", SecretStatements(secrets, model.SecretsKmsKeyArns)));
        }
        Properties.AddTags(properties, model.Cluster.Tags);
        return new Resource("AWS::IAM::Role", properties);
    }

    /// <summary>The role the tasks' code runs as: the provider's and fargate's statements and managed policies.</summary>
    private static Resource BuildTaskRole(ServiceModel model)
    {
        var properties = IamPolicy.RoleProperties("ecs-tasks.amazonaws.com");
        var policies = new JsonArray();
        if (model.Iam.Statements.Count > 0)
        {
            policies.Add((JsonNode)IamPolicy.Inline("FargateTaskPolicy", model.Iam.Statements.Select(s => s.DeepClone())));
        }
        if (model.Tasks.Any(t => t.TaskRoleArn is null && t.Runtime.Exec.Value))
        {
            // ECS Exec opens an SSM session into the container; its agent needs these channels.
            // They take no resource narrower than "*".
            policies.Add((JsonNode)IamPolicy.Inline("FargateExec",
            [
                IamPolicy.Allow(new JsonArray("ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel",
                    "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"), "*"),
            ]));
        }
        if (policies.Count > 0)
        {
            properties["Policies"] = policies;
        }
        if (model.Iam.ManagedPolicies.Count > 0)
        {
            properties["ManagedPolicyArns"] = new JsonArray([.. model.Iam.ManagedPolicies.Select(p => p.DeepClone())]);
        }
        Properties.AddTags(properties, model.Cluster.Tags);
        return new Resource("AWS::IAM::Role", properties);
    }

    /// <summary>
    /// The role EventBridge (rules, or Scheduler) assumes to start scheduled tasks: it may run
    /// exactly these task definitions, only in this cluster, and pass exactly their roles to ECS
    /// tasks; <paramref name="extra"/> adds what else the service needs (a dead-letter queue).
    /// </summary>
    private static Resource BuildRunTaskRole(string principal, string policyName, IReadOnlyList<TaskModel> scheduled,
        IReadOnlyList<JsonNode> extra, ClusterSettings cluster)
    {
        var roles = IamPolicy.Distinct(scheduled.SelectMany(task => new[] { ExecutionRoleArn(task), TaskRoleArn(task) }));
        var properties = IamPolicy.RoleProperties(principal);
        properties["Policies"] = new JsonArray(IamPolicy.Inline(policyName,
        [
            IamPolicy.Allow("ecs:RunTask", scheduled.Select(t => (JsonNode)Fn.Ref(LogicalIds.TaskDefinition(t.Id))),
                new JsonObject { ["ArnEquals"] = new JsonObject { ["ecs:cluster"] = Fn.GetAtt(LogicalIds.Cluster, "Arn") } }),
            IamPolicy.Allow("iam:PassRole", roles,
                new JsonObject { ["StringLike"] = new JsonObject { ["iam:PassedToService"] = "ecs-tasks.amazonaws.com" } }),
            .. extra,
        ]));
        Properties.AddTags(properties, cluster.Tags);
        return new Resource("AWS::IAM::Role", properties);
    }

    /// <summary>
    /// The execution role reads exactly the secrets the tasks name: Secrets Manager secrets by
    /// their ARN (without a :json-key:stage:version suffix, which IAM does not know), parameters
    /// by theirs, and decrypts with the customer keys listed in <c>secretsKmsKeyArns</c>.
    /// </summary>
    private static IEnumerable<JsonNode> SecretStatements(IReadOnlyList<SecretReference> secrets, IReadOnlyList<JsonNode> kmsKeys)
    {
        var arns = secrets.Select(secret => PolicyArn(secret.Source)).ToList();
        var secretArns = IamPolicy.Distinct(arns.Where(a => !a.IsParameter).Select(a => a.Arn));
        var parameterArns = IamPolicy.Distinct(arns.Where(a => a.IsParameter).Select(a => a.Arn));
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
            yield return IamPolicy.Allow("kms:Decrypt", kmsKeys.Select(k => k.DeepClone()));
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
