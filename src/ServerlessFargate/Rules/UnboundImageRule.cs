using ServerlessFargate.Diagnostics;
using ServerlessFargate.Model;

namespace ServerlessFargate.Rules;

/// <summary>
/// FG3013 (a warning): merging into the framework's template, an image the framework builds can
/// take its URI from a function that uses the same image; with no such function the merged
/// template needs a parameter that <c>serverless deploy</c> does not pass.
/// </summary>
internal sealed class UnboundImageRule() : Rule(new("FG3013", "merged template needs an image parameter", Severity.Warning,
    "With `--merge-into`, an image the framework builds (`path:`) that no function in the template uses: the merged template takes its URI as a parameter, which `serverless deploy` does not pass.",
    Source: null))
{
    public override void Check(RuleContext context, DiagnosticBag diagnostics)
    {
        if (context.MergeTemplateName is not { } template)
        {
            return;
        }
        foreach (var parameter in context.Model.ImageParameters)
        {
            var task = context.Tasks.First(t => t.Image is TaskImage.Parameter p && p.Image == parameter);
            diagnostics.Warning(Descriptor, task.KeySpan,
                $"image `{parameter.ImageName}` is built by the framework, but no function in {template} uses it, so the merged template takes its URI as the parameter {parameter.LogicalId}, which `serverless deploy` does not pass; give the image a `uri`, or package with the Serverless Framework plugin",
                $"fargate.tasks.{task.Key}.image");
        }
    }
}
