using ServerlessFargate.Diagnostics;
using ServerlessFargate.Model;

namespace ServerlessFargate.Rules;

/// <summary>What rules look at: the model, and the logical IDs already taken in the stack.</summary>
internal sealed record RuleContext(ServiceModel Model, IReadOnlyList<TakenId> TakenIds);

/// <summary>One semantic check. Its id and title live in <see cref="DiagnosticCatalog"/>.</summary>
internal interface IRule
{
    void Check(RuleContext context, DiagnosticBag diagnostics);
}

internal static class RuleSet
{
    public static readonly IReadOnlyList<IRule> All =
    [
        new TaskSizeRule(),
        new SubnetsRule(),
        new ScheduleRule(),
        new LogicalIdRule(),
        new EcsNameRule(),
        new SpotStrategyRule(),
        new ServiceCountsRule(),
        new SecretsRule(),
        new AutoscalingRule(),
        new RoleExtensionRule(),
        new SpotFallbackRule(),
    ];

    public static void Run(RuleContext context, DiagnosticBag diagnostics)
    {
        foreach (var rule in All)
        {
            rule.Check(context, diagnostics);
        }
    }
}
