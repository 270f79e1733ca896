using ServerlessFargate.Diagnostics;
using ServerlessFargate.Model;

namespace ServerlessFargate.Rules;

/// <summary>
/// FG3019: a secret's name is not also a plain environment variable, where its value would sit in
/// clear text beside the secret (and ECS refuses the task definition).
/// </summary>
internal sealed class SecretInEnvironmentRule() : TaskRule(new("FG3019", "a name both a secret and an environment variable", Severity.Error,
    "A name that is both a secret and an environment variable of the same task. ECS refuses such a task definition, and the plain value would sit beside the secret.",
    Source: null))
{
    protected override void Check(TaskModel task, RuleContext context, DiagnosticBag diagnostics)
    {
        foreach (var secret in task.Runtime.Secrets.Where(s => task.Environment.Any(e => e.Key == s.Name)))
        {
            diagnostics.Error(Descriptor, secret.Span,
                $"`{secret.Name}` is both a secret and an environment variable of task `{task.Key}`; ECS would refuse the task definition, and the plain value would sit beside the secret. Remove it from `environment`",
                $"fargate.tasks.{task.Key}.secrets.{secret.Name}");
        }
    }
}
