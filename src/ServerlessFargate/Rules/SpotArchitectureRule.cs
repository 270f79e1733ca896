using ServerlessFargate.Diagnostics;
using ServerlessFargate.Model;

namespace ServerlessFargate.Rules;

/// <summary>FG3009: Fargate Spot runs only X86_64 tasks; an ARM64 task on Spot never starts.</summary>
internal sealed class SpotArchitectureRule : IRule
{
    public void Check(RuleContext context, DiagnosticBag diagnostics)
    {
        foreach (var task in context.Model.Tasks)
        {
            if (task.Kind is TaskKind.Service { Spot: true } && task.Architecture is { Value: "ARM64" } architecture)
            {
                diagnostics.Error(DiagnosticCatalog.SpotArm64, architecture.Span,
                    $"task `{task.Key}` runs on Fargate Spot with architecture ARM64, which Fargate Spot does not offer; use X86_64 or turn spot off",
                    $"fargate.tasks.{task.Key}.architecture");
            }
        }
    }
}
