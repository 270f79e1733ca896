using ServerlessFargate.Diagnostics;
using ServerlessFargate.Variables;

using ServerlessFargate.CloudFormation;

namespace ServerlessFargate.Rules;

/// <summary>FG3014: at most <see cref="StackLimits.Resources"/> resources in a stack, counting what the framework adds.</summary>
internal sealed class ResourceLimitRule() : SectionQuotaRule(new("FG3014", "more resources than CloudFormation allows", Severity.Error,
    "The stack would have more than 500 resources, CloudFormation's limit per stack, so the deploy would fail.",
    Source: StackQuotas.Source), "Resources", StackLimits.Resources)
{
    protected override int Existing(StackCounts counts) => counts.Resources;

    protected override string Message(int count, TemplateContext context) =>
        $"the stack would have {count} resources ({context.Compiled.Template.Resources.Count} of them for Fargate tasks); CloudFormation allows {StackLimits.Resources} per stack. Move some tasks to another service (each service is its own stack)";
}
