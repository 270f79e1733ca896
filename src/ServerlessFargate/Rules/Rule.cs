using ServerlessFargate.Compilation;
using ServerlessFargate.Diagnostics;
using ServerlessFargate.Model;
using ServerlessFargate.Variables;

namespace ServerlessFargate.Rules;

/// <summary>
/// What rules look at: the model, the template compiled from it, the logical IDs the stack
/// already uses, and the name of the template being merged into (when there is one).
/// </summary>
internal sealed record RuleContext(ServiceModel Model, CompiledTemplate Compiled, IReadOnlyList<TakenId> TakenIds, string? MergeTemplateName)
{
    /// <summary>The tasks rules check: every task in the model (schema-broken ones never get there).</summary>
    public IReadOnlyList<TaskModel> Tasks => Model.Tasks;
}

/// <summary>
/// One semantic check, as cfn-lint's rules are: it emits one id, whose descriptor (id, title,
/// default severity, description, AWS source) is declared where the class is,
/// <c>class XRule() : Rule(new("FG3xxx", title, severity, description, Source: url))</c>.
/// </summary>
internal abstract class Rule(DiagnosticDescriptor descriptor)
{
    public DiagnosticDescriptor Descriptor { get; } = descriptor;

    public abstract void Check(RuleContext context, DiagnosticBag diagnostics);
}

/// <summary>A rule that looks at one task at a time.</summary>
internal abstract class TaskRule(DiagnosticDescriptor descriptor) : Rule(descriptor)
{
    public sealed override void Check(RuleContext context, DiagnosticBag diagnostics)
    {
        foreach (var task in context.Tasks)
        {
            Check(task, context, diagnostics);
        }
    }

    protected abstract void Check(TaskModel task, RuleContext context, DiagnosticBag diagnostics);
}

/// <summary>How messages name several tasks: the first five, then how many more.</summary>
internal static class TaskList
{
    public static string Of(IReadOnlyList<string> keys) =>
        string.Join(", ", keys.Take(5).Select(k => $"`{k}`")) + (keys.Count > 5 ? $" and {keys.Count - 5} more" : "");
}

internal static class RuleSet
{
    public static readonly IReadOnlyList<Rule> All =
    [
        new NoTasksRule(),
        new MemorySizeRule(),
        new TaskSizeRule(),
        new SubnetsRule(),
        new PortRule(),
        new HttpRule(),
        new GeneratedNetworkRule(),
        new GeneratedNetworkSecurityGroupsRule(),
        new ImageRule(),
        new UnboundImageRule(),
        new ScheduleRule(),
        new TimeZoneRule(),
        new ServiceOnScheduledTaskRule(),
        new TaskIdCollisionRule(),
        new ExistingIdCollisionRule(),
        new EcsNameRule(),
        new SpotPlatformRule(),
        new SpotStrategyRule(),
        new SpotFallbackRule(),
        new ServiceCountsRule(),
        new SecretsRule(),
        new SecretInEnvironmentRule(),
        new AutoscalingRule(),
        new RoleExtensionRule(),
        new LegacyCustomFargateRule(),
        new EscapeHatchLossRule(),
        new GeneratedRolesRule(),
    ];

    /// <summary>Every id a rule or the limits check can emit.</summary>
    public static IEnumerable<DiagnosticDescriptor> Descriptors => All.Select(r => r.Descriptor).Concat(TemplateLimits.Descriptors).Append(DanglingReferenceRule.Descriptor);

    public static void Run(RuleContext context, DiagnosticBag diagnostics)
    {
        foreach (var rule in All)
        {
            rule.Check(context, diagnostics);
        }
    }
}
