using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ServerlessFargate.Diagnostics;

namespace ServerlessFargate.Rules;

/// <summary>
/// FG3018 and FG3019: a secret is a Secrets Manager secret or an SSM parameter (by ARN, or the
/// ssm: short form), and its name is not also a plain environment variable, where its value would
/// sit in clear text beside the secret.
/// </summary>
internal sealed partial class SecretsRule : IRule
{
    [GeneratedRegex(@"^arn:aws[a-z-]*:(secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+|ssm:[a-z0-9-]+:[0-9]{12}:parameter/.+)$")]
    private static partial Regex SecretArn();

    public void Check(RuleContext context, DiagnosticBag diagnostics)
    {
        foreach (var task in context.Model.Tasks)
        {
            foreach (var secret in task.Runtime.Secrets)
            {
                var path = $"fargate.tasks.{task.Key}.secrets.{secret.Name}";
                if (secret.ValueFrom is JsonValue value && value.TryGetValue<string>(out var text) && !SecretArn().IsMatch(text))
                {
                    diagnostics.Error(DiagnosticCatalog.Secret, secret.Span,
                        $"secret `{secret.Name}` is `{text}`, which is neither a Secrets Manager secret ARN (arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME) nor an SSM parameter ARN (arn:aws:ssm:REGION:ACCOUNT:parameter/NAME); for a parameter in this stack's account and region write `ssm:/NAME`",
                        path);
                }
                if (task.Environment.Any(e => e.Key == secret.Name))
                {
                    diagnostics.Error(DiagnosticCatalog.SecretInEnvironment, secret.Span,
                        $"`{secret.Name}` is both a secret and an environment variable of task `{task.Key}`; ECS would refuse the task definition, and the plain value would sit beside the secret. Remove it from `environment`",
                        path);
                }
            }
        }
    }
}
