using System.Globalization;
using System.Text.Json.Nodes;
using ServerlessFargate.Diagnostics;

namespace ServerlessFargate.Rules;

/// <summary>
/// CloudFormation's per-stack quotas, checked on the finished template so a deploy does not fail
/// after minutes of waiting. Source (checked 2026-11: 500 resources, 200 outputs, 200 parameters,
/// 51,200 bytes inline, 1 MB from S3):
/// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html
/// </summary>
public static class TemplateLimits
{
    private const string Quotas = "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html";

    public static readonly DiagnosticDescriptor ResourceLimit = new("FG3014", "more resources than CloudFormation allows", Severity.Error,
        "The stack would have more than 500 resources, CloudFormation's limit per stack, so the deploy would fail.",
        Source: Quotas);

    public static readonly DiagnosticDescriptor OutputLimit = new("FG3015", "more outputs than CloudFormation allows", Severity.Error,
        "The stack would have more than 200 outputs, CloudFormation's limit per stack, so the deploy would fail.",
        Source: Quotas);

    public static readonly DiagnosticDescriptor ParameterLimit = new("FG3016", "more parameters than CloudFormation allows", Severity.Error,
        "The stack would have more than 200 parameters, CloudFormation's limit per stack, so the deploy would fail.",
        Source: Quotas);

    public static readonly DiagnosticDescriptor TemplateSizeLimit = new("FG3017", "template larger than CloudFormation takes", Severity.Error,
        "The template is larger than CloudFormation accepts: an error above 1,000,000 bytes (the limit for templates uploaded through S3), a warning above 51,200 bytes for a standalone template (the limit for templates passed inline; deploy through S3 instead).",
        Source: Quotas);

    public static IReadOnlyList<DiagnosticDescriptor> Descriptors => [ResourceLimit, OutputLimit, ParameterLimit, TemplateSizeLimit];

    public const int MaxResources = 500;
    public const int MaxOutputs = 200;
    public const int MaxParameters = 200;

    /// <summary>A template body uploaded through S3 (as the Serverless Framework does).</summary>
    public const int MaxBodyBytes = 1_000_000;

    /// <summary>A template body passed inline (<c>aws cloudformation deploy</c> without <c>--s3-bucket</c>).</summary>
    public const int MaxInlineBodyBytes = 51_200;

    /// <param name="extra">What the stack holds that the template does not show (the framework's template, in plugin mode).</param>
    /// <param name="ours">How many resources and outputs the Fargate tasks add, to say what to change.</param>
    /// <param name="inlineMatters">True for a standalone template, which one may deploy inline.</param>
    public static void Check(JsonObject template, int bytes, Variables.StackCounts extra, (int Resources, int Outputs) ours,
        SourceSpan at, bool inlineMatters, DiagnosticBag diagnostics)
    {
        var resources = Count(template, "Resources") + extra.Resources;
        if (resources > MaxResources)
        {
            diagnostics.Error(ResourceLimit, at,
                $"the stack would have {resources} resources ({ours.Resources} of them for Fargate tasks); CloudFormation allows {MaxResources} per stack. Move some tasks to another service (each service is its own stack)",
                "fargate.tasks");
        }
        var outputs = Count(template, "Outputs") + extra.Outputs;
        if (outputs > MaxOutputs)
        {
            diagnostics.Error(OutputLimit, at,
                $"the stack would have {outputs} outputs ({ours.Outputs} of them for Fargate tasks); CloudFormation allows {MaxOutputs}. Emit fewer with `fargate.outputs`, e.g. `outputs: {{taskArn: false}}` drops one output per task",
                "fargate.tasks");
        }
        var parameters = Count(template, "Parameters") + extra.Parameters;
        if (parameters > MaxParameters)
        {
            diagnostics.Error(ParameterLimit, at,
                $"the stack would have {parameters} parameters; CloudFormation allows {MaxParameters}. Give images a `uri` in provider.ecr.images instead of a parameter each",
                "fargate.tasks");
        }
        bytes += extra.Bytes;
        if (bytes > MaxBodyBytes)
        {
            diagnostics.Error(TemplateSizeLimit, at,
                $"the template is {Bytes(bytes)} bytes; CloudFormation takes at most {Bytes(MaxBodyBytes)} bytes (1 MB) from S3. Move some tasks to another service, or share settings instead of repeating large environment maps",
                "fargate.tasks");
        }
        else if (inlineMatters && bytes > MaxInlineBodyBytes)
        {
            diagnostics.Warning(TemplateSizeLimit, at,
                $"the template is {Bytes(bytes)} bytes, over the {Bytes(MaxInlineBodyBytes)} bytes CloudFormation accepts inline; deploy it through S3 (`sls-fargate deploy --bucket …` or `aws cloudformation deploy --s3-bucket …`; the Serverless Framework does it itself)",
                "fargate.tasks");
        }
    }

    private static int Count(JsonObject template, string section) => (template[section] as JsonObject)?.Count ?? 0;

    private static string Bytes(int value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
