using ServerlessFargate.Diagnostics;
using ServerlessFargate.Model;

namespace ServerlessFargate.Rules;

/// <summary>FG3018: a secret is a Secrets Manager secret or an SSM parameter, by ARN, by the ssm: short form, or through a function.</summary>
internal sealed class SecretsRule() : TaskRule(new("FG3018", "secret that is not a Secrets Manager secret or SSM parameter", Severity.Error,
    "A secret that is neither a Secrets Manager secret nor an SSM parameter (by ARN, or `ssm:/NAME`), or one written as a pattern with `*` or `?`, which would let the execution role read every secret it matches.",
    Source: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/specifying-sensitive-data.html"))
{
    protected override void Check(TaskModel task, RuleContext context, DiagnosticBag diagnostics)
    {
        foreach (var secret in task.Runtime.Secrets)
        {
            var written = secret.Source switch
            {
                SecretSource.SecretsManagerArn arn => arn.Arn,
                SecretSource.ParameterArn arn => arn.Arn,
                SecretSource.ParameterName name => "ssm:/" + name.Name,
                _ => null,
            };
            if (written is not null && written.IndexOfAny(['*', '?']) >= 0)
            {
                // The execution role would be allowed every secret the pattern matches.
                diagnostics.Error(Descriptor, secret.Span,
                    $"secret `{secret.Name}` is `{written}`, a pattern; the execution role may read exactly the secrets the tasks name, so name one secret or parameter, without `*` or `?`",
                    $"fargate.tasks.{task.Key}.secrets.{secret.Name}");
            }
            if (secret.Source is SecretSource.Invalid { Text: var text })
            {
                diagnostics.Error(Descriptor, secret.Span,
                    $"secret `{secret.Name}` is `{text}`, which is neither a Secrets Manager secret ARN (arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME) nor an SSM parameter ARN (arn:aws:ssm:REGION:ACCOUNT:parameter/NAME); for a parameter in this stack's account and region write `ssm:/NAME`",
                    $"fargate.tasks.{task.Key}.secrets.{secret.Name}");
            }
        }
    }
}
