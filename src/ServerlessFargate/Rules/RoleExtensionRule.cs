using ServerlessFargate.Diagnostics;
using ServerlessFargate.Model;

namespace ServerlessFargate.Rules;

/// <summary>
/// FG3021 (a warning): a feature needs permissions on a role the user supplied by ARN, which
/// sls-fargate cannot change: ECS Exec or task-level statements on the task role, secrets on the execution role.
/// </summary>
internal sealed class RoleExtensionRule() : TaskRule(new("FG3021", "a role sls-fargate cannot give the permissions a feature needs", Severity.Warning,
    "A feature needs permissions on a role given by ARN, which sls-fargate cannot change: ECS Exec or a task's own `iamRoleStatements` on the task role, secrets on the execution role.",
    Source: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-exec.html"))
{
    protected override void Check(TaskModel task, RuleContext context, DiagnosticBag diagnostics)
    {
        if (task.Runtime.Exec.Value && task.TaskRoleArn is not null)
        {
            diagnostics.Warning(Descriptor, task.Runtime.Exec.Span,
                $"task `{task.Key}` uses its own taskRoleArn, which sls-fargate cannot extend: for ECS Exec that role needs ssmmessages:CreateControlChannel, CreateDataChannel, OpenControlChannel and OpenDataChannel",
                $"fargate.tasks.{task.Key}.exec");
        }
        if (task.OwnIamKey is { } ownIam && task.TaskRoleArn is not null)
        {
            diagnostics.Warning(Descriptor, ownIam,
                $"task `{task.Key}` uses its own taskRoleArn, which sls-fargate cannot extend, so its `iamRoleStatements` and `iamManagedPolicies` are not applied; add them to that role, or remove `taskRoleArn` to get a generated role of the task's own",
                $"fargate.tasks.{task.Key}");
        }
        if (task.Runtime.Secrets.Count > 0 && task.ExecutionRoleArn is not null)
        {
            diagnostics.Warning(Descriptor, task.Runtime.Secrets[0].Span,
                $"task `{task.Key}` uses its own executionRoleArn, which sls-fargate cannot extend: that role must be allowed to read its secrets (secretsmanager:GetSecretValue, ssm:GetParameters, and kms:Decrypt for customer managed keys)",
                $"fargate.tasks.{task.Key}.secrets");
        }
    }
}
