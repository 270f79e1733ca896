using ServerlessFargate.Diagnostics;
using ServerlessFargate.Variables;

using ServerlessFargate.CloudFormation;

namespace ServerlessFargate.Rules;

/// <summary>FG3016: at most <see cref="StackLimits.Parameters"/> parameters; a standalone template takes one per image the framework builds.</summary>
internal sealed class ParameterLimitRule() : SectionQuotaRule(new("FG3016", "more parameters than CloudFormation allows", Severity.Error,
    "The stack would have more than 200 parameters, CloudFormation's limit per stack, so the deploy would fail.",
    Source: StackQuotas.Source), "Parameters", StackLimits.Parameters)
{
    protected override int Existing(StackCounts counts) => counts.Parameters;

    protected override string Message(int count, TemplateContext context) =>
        $"the stack would have {count} parameters; CloudFormation allows {StackLimits.Parameters}. Give images a `uri` in provider.ecr.images instead of a parameter each";
}
