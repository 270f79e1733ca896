using ServerlessFargate.Diagnostics;

namespace ServerlessFargate.Yaml;

/// <summary>FG0xxx: problems reading a file as YAML or JSON, emitted by <see cref="YamlLoader"/>.</summary>
public static class YamlDiagnostics
{
    public static readonly DiagnosticDescriptor Syntax = new("FG0001", "YAML or JSON syntax error");
    public static readonly DiagnosticDescriptor Tab = new("FG0002", "tab character in indentation");
    public static readonly DiagnosticDescriptor DuplicateKey = new("FG0003", "duplicate key");
    public static readonly DiagnosticDescriptor UnknownTag = new("FG0004", "unknown YAML tag");
    public static readonly DiagnosticDescriptor RootNotMapping = new("FG0005", "the file is not a mapping");
    public static readonly DiagnosticDescriptor MergeKey = new("FG0006", "invalid merge key");
    public static readonly DiagnosticDescriptor NonScalarKey = new("FG0007", "a key that is not a scalar");

    // FG0008 ("input file not found") is retired: a missing file is a usage error (exit 2).
    public static readonly DiagnosticDescriptor TooLarge = new("FG0011", "nesting or aliases beyond what sls-fargate reads");

    public static readonly IReadOnlyList<DiagnosticDescriptor> All = [Syntax, Tab, DuplicateKey, UnknownTag, RootNotMapping, MergeKey, NonScalarKey, TooLarge];
}
