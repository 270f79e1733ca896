using ServerlessFargate.Diagnostics;

namespace ServerlessFargate.Rules;

/// <summary>
/// FG3025: the reference's first releases (and another Fargate plugin) read tasks from
/// <c>custom.fargate</c>. Nothing reads it now: without a top-level <c>fargate</c> block the
/// service would deploy no tasks at all, so that is an error; beside one, a warning that it is ignored.
/// </summary>
internal sealed class LegacyCustomFargateRule() : Rule(new("FG3025", "tasks under custom.fargate, the old form", Severity.Error,
    "Tasks under `custom.fargate`, the form of the reference plugin's first releases, which nothing reads now. Without a top-level `fargate` block it is an error, since the service would deploy no task at all; beside one, a warning that it is ignored.",
    Source: null))
{
    public override void Check(RuleContext context, DiagnosticBag diagnostics)
    {
        if (context.Model.LegacyFargateKey is not { } at)
        {
            return;
        }
        if (!context.Model.FargateDeclared)
        {
            diagnostics.Error(Descriptor, at,
                "`custom.fargate` is the form of the reference plugin's first releases, and nothing reads it now, so no task would be deployed; move the block to the top level: cut `fargate:` with everything under it out of `custom:` and paste it unindented, as a sibling of `provider:` (keys stay the same: `tasks`, `vpc`, `memory`, …)",
                "custom.fargate");
        }
        else
        {
            diagnostics.Warning(Descriptor, at,
                "`custom.fargate` is ignored: the top-level `fargate` block declares the tasks. Remove `custom.fargate`, after moving anything in it that the top-level block lacks",
                "custom.fargate");
        }
    }
}
