using ServerlessFargate.Diagnostics;

namespace ServerlessFargate.Schema;

/// <summary>
/// FG1xxx: values the JSON Schema of the fargate block (and the provider keys tasks inherit) does
/// not allow. The AWS facts (cpu values, ranges) are the schema's, each key's source beside it, so
/// these generic ids cite none.
/// </summary>
public static class SchemaDiagnostics
{
    public static readonly DiagnosticDescriptor UnknownKey = new("FG1001", "unknown key", Severity.Error,
        "An unknown key, usually a typo: the message suggests the closest known key, or lists them. Unknown keys are refused rather than ignored, so a misspelt setting never silently does nothing.",
        Source: null);

    public static readonly DiagnosticDescriptor WrongType = new("FG1002", "wrong type", Severity.Error,
        "A value of the wrong type, such as a list where a string is expected, or `yes` where `true` or `false` is expected (YAML 1.2 reads `yes` as a string).",
        Source: null);

    public static readonly DiagnosticDescriptor NotAllowed = new("FG1003", "value not allowed", Severity.Error,
        "A value outside the allowed set, such as a `cpu` Fargate does not offer or an `architecture` other than `X86_64` and `ARM64`.",
        Source: null);

    public static readonly DiagnosticDescriptor Required = new("FG1004", "required key missing", Severity.Error,
        "A required key is missing, such as a task's `image`.",
        Source: null);

    public static readonly DiagnosticDescriptor Pattern = new("FG1005", "value does not match the expected format", Severity.Error,
        "A value or key that does not have the required form, such as a task key with a `.` in it, a role named where its ARN is expected, a log group name with a space, or a tag key that starts with `aws:`. Values written as CloudFormation functions (`!Ref`, `!GetAtt`, `!Sub`…) are not checked.",
        Source: null);

    public static readonly DiagnosticDescriptor Range = new("FG1006", "value out of range", Severity.Error,
        "A number outside its range, or a text longer than AWS takes (a tag value over 256 characters, a health check path over 1024).",
        Source: null);

    public static readonly DiagnosticDescriptor Deprecated = new("FG1007", "deprecated key", Severity.Warning,
        "A deprecated key: `vpc.subnets` and `vpc.securityGroups` are the blog post's names of `subnetIds` and `securityGroupIds`. A warning, or an error when both names are given.",
        Source: null);

    public static readonly DiagnosticDescriptor Other = new("FG1008", "value does not satisfy the schema", Severity.Error,
        "Any other schema failure; the message is the validator's.",
        Source: null);

    public static readonly IReadOnlyList<DiagnosticDescriptor> All = [UnknownKey, WrongType, NotAllowed, Required, Pattern, Range, Deprecated, Other];
}
