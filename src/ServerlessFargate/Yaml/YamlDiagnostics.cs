using ServerlessFargate.Diagnostics;

namespace ServerlessFargate.Yaml;

/// <summary>FG0xxx: problems reading a file as YAML or JSON, emitted by <see cref="YamlLoader"/>. No AWS fact in them.</summary>
public static class YamlDiagnostics
{
    public static readonly DiagnosticDescriptor Syntax = new("FG0001", "YAML or JSON syntax error", Severity.Error,
        "The file cannot be read as YAML or JSON. The message is the parser's, and the position is where it stopped.",
        Source: null);

    public static readonly DiagnosticDescriptor Tab = new("FG0002", "tab character in indentation", Severity.Error,
        "A tab character in indentation. YAML indents with spaces only; the caret is on the tab.",
        Source: null);

    public static readonly DiagnosticDescriptor DuplicateKey = new("FG0003", "duplicate key", Severity.Error,
        "A key appears twice in one map. YAML forbids it and the Serverless Framework rejects it; the message names the line of the first definition.",
        Source: null);

    public static readonly DiagnosticDescriptor UnknownTag = new("FG0004", "unknown YAML tag", Severity.Error,
        "A YAML tag sls-fargate does not know. It reads the CloudFormation short forms (`!Ref`, `!GetAtt`, `!Sub`, …) and the YAML core tags.",
        Source: null);

    public static readonly DiagnosticDescriptor RootNotMapping = new("FG0005", "the file is not a mapping", Severity.Error,
        "The file is empty or is not a map. A configuration is a map of top-level keys such as `service`, `provider` and `fargate`.",
        Source: null);

    public static readonly DiagnosticDescriptor MergeKey = new("FG0006", "invalid merge key", Severity.Error,
        "A merge key (`<<`) whose value is not a map or a list of maps, the only things YAML can merge.",
        Source: null);

    public static readonly DiagnosticDescriptor NonScalarKey = new("FG0007", "a key that is not a scalar", Severity.Error,
        "A key that is a list or a map; keys must be plain values.",
        Source: null);

    // FG0008 ("input file not found") is retired (DiagnosticCatalog.Retired).
    public static readonly DiagnosticDescriptor TooLarge = new("FG0011", "nesting or aliases beyond what sls-fargate reads", Severity.Error,
        "The file nests lists and maps more than 64 levels deep, or its aliases (`*name`) expand to more than 500,000 values. No configuration needs either; both are how a small hostile file would exhaust the stack or memory of the job that validates it.",
        Source: null);

    public static readonly IReadOnlyList<DiagnosticDescriptor> All = [Syntax, Tab, DuplicateKey, UnknownTag, RootNotMapping, MergeKey, NonScalarKey, TooLarge];
}
