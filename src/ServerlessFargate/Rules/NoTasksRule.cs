using ServerlessFargate.Diagnostics;

namespace ServerlessFargate.Rules;

/// <summary>FG3011 (a warning): a configuration with no tasks packages nothing, which is rarely what was meant.</summary>
internal sealed class NoTasksRule() : Rule(new("FG3011", "no tasks declared", Severity.Warning,
    "No `fargate` block, or one that declares no tasks: there is nothing to package, which is rarely what was meant.",
    Source: null))
{
    public override void Check(RuleContext context, DiagnosticBag diagnostics)
    {
        var model = context.Model;
        if (!model.FargateDeclared && model.LegacyFargateKey is null)
        {
            diagnostics.Warning(Descriptor, model.FargateKeySpan, "there is no `fargate` block, so there are no tasks to package");
        }
        else if (model.FargateDeclared && model.Tasks.Count == 0 && model.SkippedTasks.Count == 0)
        {
            diagnostics.Warning(Descriptor, model.FargateKeySpan,
                "`fargate` declares no tasks, so there is nothing to package; add them under `fargate.tasks`", "fargate");
        }
    }
}
