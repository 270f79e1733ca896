using ServerlessFargate.Diagnostics;
using ServerlessFargate.Variables;

using ServerlessFargate.CloudFormation;

namespace ServerlessFargate.Rules;

/// <summary>FG3015: at most <see cref="StackLimits.Outputs"/> outputs in a stack; the task ARN outputs can be turned off.</summary>
internal sealed class OutputLimitRule() : SectionQuotaRule(new("FG3015", "more outputs than CloudFormation allows", Severity.Error,
    "The stack would have more than 200 outputs, CloudFormation's limit per stack, so the deploy would fail.",
    Source: StackQuotas.Source), "Outputs", StackLimits.Outputs)
{
    protected override int Existing(StackCounts counts) => counts.Outputs;

    protected override string Message(int count, TemplateContext context) =>
        $"the stack would have {count} outputs ({context.Compiled.Template.Outputs.Count} of them for Fargate tasks); CloudFormation allows {StackLimits.Outputs}. Emit fewer with `fargate.outputs`, e.g. `outputs: {{taskArn: false}}` drops one output per task";
}
