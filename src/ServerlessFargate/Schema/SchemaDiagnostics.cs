using ServerlessFargate.Diagnostics;

namespace ServerlessFargate.Schema;

/// <summary>FG1xxx: values the JSON Schema of the fargate block (and the provider keys tasks inherit) does not allow.</summary>
public static class SchemaDiagnostics
{
    public static readonly DiagnosticDescriptor UnknownKey = new("FG1001", "unknown key");
    public static readonly DiagnosticDescriptor WrongType = new("FG1002", "wrong type");
    public static readonly DiagnosticDescriptor NotAllowed = new("FG1003", "value not allowed");
    public static readonly DiagnosticDescriptor Required = new("FG1004", "required key missing");
    public static readonly DiagnosticDescriptor Pattern = new("FG1005", "value does not match the expected format");
    public static readonly DiagnosticDescriptor Range = new("FG1006", "value out of range");
    public static readonly DiagnosticDescriptor Deprecated = new("FG1007", "deprecated key");
    public static readonly DiagnosticDescriptor Other = new("FG1008", "value does not satisfy the schema");

    public static readonly IReadOnlyList<DiagnosticDescriptor> All = [UnknownKey, WrongType, NotAllowed, Required, Pattern, Range, Deprecated, Other];
}
