using System.Text.Json.Nodes;
using ServerlessFargate.Compilation;
using ServerlessFargate.Diagnostics;
using ServerlessFargate.Model;
using ServerlessFargate.Variables;

namespace ServerlessFargate.Rules;

/// <summary>
/// What the model phase's rules look at: the model, the template compiled from it, the logical
/// IDs the stack already uses, and the name of the template being merged into (when there is one).
/// </summary>
internal sealed record RuleContext(ServiceModel Model, CompiledTemplate Compiled, IReadOnlyList<TakenId> TakenIds, string? MergeTemplateName)
{
    /// <summary>The tasks rules check: every task in the model (schema-broken ones never get there).</summary>
    public IReadOnlyList<TaskModel> Tasks => Model.Tasks;
}

/// <summary>
/// What the template phases look at: the stack's whole template as it will be written (ours
/// merged into the framework's, or with the service's own <c>resources</c>), its text, and what
/// the stack holds beside it.
/// </summary>
/// <param name="Existing">What the stack holds that the template does not show (the framework's template, in plugin mode).</param>
/// <param name="Standalone">
/// The template is the whole stack (<c>package</c> without <c>--merge-into</c>): every reference
/// in it can be checked, and one may deploy it inline.
/// </param>
/// <param name="TasksSpan">Where findings about the whole task list point: the <c>tasks:</c> key.</param>
internal sealed record TemplateContext(ServiceModel Model, CompiledTemplate Compiled, JsonObject Json, string Text,
    StackCounts Existing, bool Standalone, SourceSpan TasksSpan)
{
    /// <summary>How many entries a section (<c>Resources</c>, <c>Outputs</c>, <c>Parameters</c>) of the written template holds.</summary>
    public int Count(string section) => (Json[section] as JsonObject)?.Count ?? 0;
}

/// <summary>
/// One check, as cfn-lint's rules are: it emits one id, whose descriptor (id, title, default
/// severity, description, AWS source) is declared where the class is,
/// <c>class XRule() : Rule(new("FG3xxx", title, severity, description, Source: url))</c>.
/// <typeparamref name="TContext"/> is what its phase looks at.
/// </summary>
internal abstract class Rule<TContext>(DiagnosticDescriptor descriptor)
{
    public DiagnosticDescriptor Descriptor { get; } = descriptor;

    public abstract void Check(TContext context, DiagnosticBag diagnostics);
}

/// <summary>A rule on the model and the template compiled from it (the phase `validate` runs).</summary>
internal abstract class Rule(DiagnosticDescriptor descriptor) : Rule<RuleContext>(descriptor);

/// <summary>A rule on the stack's written template (the phases `package` runs after the model's).</summary>
internal abstract class TemplateRule(DiagnosticDescriptor descriptor) : Rule<TemplateContext>(descriptor);

/// <summary>Rules that look at the same thing and run together; the engine stops after a phase that found errors, as after every stage.</summary>
internal sealed record RulePhase<TContext>(IReadOnlyList<Rule<TContext>> Rules)
{
    public IEnumerable<DiagnosticDescriptor> Descriptors => Rules.Select(r => r.Descriptor);

    public void Run(TContext context, DiagnosticBag diagnostics)
    {
        foreach (var rule in Rules)
        {
            rule.Check(context, diagnostics);
        }
    }
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

    /// <summary>The same with "task" or "tasks" before it, as one or several keys take.</summary>
    public static string Named(IReadOnlyList<string> keys) => (keys.Count == 1 ? "task " : "tasks ") + Of(keys);
}

internal static class RuleSet
{
    public static readonly RulePhase<RuleContext> Model = new(
    [
        new NoTasksRule(),
        new MemorySizeRule(),
        new TaskSizeRule(),
        new SubnetsRule(),
        new ListParameterInListRule(),
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
        new BroadProviderStatementRule(),
        new LogRetentionRule(),
        new PlainHttpRule(),
        new EstimatedDurationRule(),
        new EventPatternRule(),
        new EventInputPathRule(),
        new EventBusRule(),
        new WholeEventNameRule(),
        new WholeEventRoleRule(),
        new EventsOnServiceRule(),
        new BucketNameRule(),
        new BucketEventsRule(),
        new BucketNotificationRule(),
        new AlertTargetRule(),
        new AlertEmailRule(),
        new DeploymentAlertRule(),
        new AlertTopicPolicyRule(),
        new RolePolicySizeRule(),
        new TagLimitRule(),
    ]);

    /// <summary>
    /// Names of the stack used as a particular kind of resource: a phase before
    /// <see cref="References"/>, which would otherwise also report a parameter named as a queue.
    /// </summary>
    public static readonly RulePhase<TemplateContext> Targets = new([new ScalingQueueRule()]);

    /// <summary>What the written template refers to.</summary>
    public static readonly RulePhase<TemplateContext> References = new([new DanglingReferenceRule(), new CircularReferenceRule()]);

    /// <summary>
    /// The written template against CloudFormation's quotas. A phase after <see cref="References"/>:
    /// a dangling reference is mended by adding a resource, which changes the counts and the size,
    /// so the template is measured once its references hold.
    /// </summary>
    public static readonly RulePhase<TemplateContext> Limits = new(
    [
        new ResourceLimitRule(),
        new OutputLimitRule(),
        new ParameterLimitRule(),
        new TemplateSizeRule(),
    ]);

    /// <summary>The phases on the written template, in the order they run.</summary>
    public static IReadOnlyList<RulePhase<TemplateContext>> TemplatePhases { get; } = [Targets, References, Limits];

    /// <summary>Every id a rule can emit.</summary>
    public static IEnumerable<DiagnosticDescriptor> Descriptors => TemplatePhases.Aggregate(Model.Descriptors, (all, phase) => all.Concat(phase.Descriptors));
}
