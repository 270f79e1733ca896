using System.Globalization;
using System.Text;
using ServerlessFargate.Diagnostics;

using ServerlessFargate.CloudFormation;

namespace ServerlessFargate.Rules;

/// <summary>
/// FG3017: the template body CloudFormation takes: an error above the S3 limit, and for a
/// standalone template (which one may deploy inline) a warning above the inline limit.
/// </summary>
internal sealed class TemplateSizeRule() : TemplateRule(new("FG3017", "template larger than CloudFormation takes", Severity.Error,
    "The template is larger than CloudFormation accepts: an error above 1,000,000 bytes (the limit for templates uploaded through S3), a warning above 51,200 bytes for a standalone template (the limit for templates passed inline; deploy through S3 instead).",
    Source: StackQuotas.Source))
{
    public override void Check(TemplateContext context, DiagnosticBag diagnostics)
    {
        var bytes = Encoding.UTF8.GetByteCount(context.Text) + context.Existing.Bytes;
        if (bytes > StackLimits.BodyBytes)
        {
            diagnostics.Error(Descriptor, context.TasksSpan,
                $"the template is {Bytes(bytes)} bytes; CloudFormation takes at most {Bytes(StackLimits.BodyBytes)} bytes (1 MB) from S3. Move some tasks to another service, or share settings instead of repeating large environment maps",
                StackQuotas.Path);
        }
        else if (context.Standalone && bytes > StackLimits.InlineBodyBytes)
        {
            diagnostics.Warning(Descriptor, context.TasksSpan,
                $"the template is {Bytes(bytes)} bytes, over the {Bytes(StackLimits.InlineBodyBytes)} bytes CloudFormation accepts inline; deploy it through S3 (`sls-fargate deploy --bucket …` or `aws cloudformation deploy --s3-bucket …`; the Serverless Framework does it itself)",
                StackQuotas.Path);
        }
    }

    private static string Bytes(int value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
