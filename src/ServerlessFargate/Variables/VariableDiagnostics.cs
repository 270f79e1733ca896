using ServerlessFargate.Diagnostics;

namespace ServerlessFargate.Variables;

/// <summary>FG2xxx: <c>${...}</c> variables that cannot be resolved offline, emitted by <see cref="VariableResolver"/>.</summary>
public static class VariableDiagnostics
{
    public static readonly DiagnosticDescriptor NotFound = new("FG2001", "variable has no value", Severity.Error,
        "A variable with no value and no fallback: an unset environment variable, an option not given, a path not in the configuration, a missing file.",
        Source: null);

    public static readonly DiagnosticDescriptor NeedsAws = new("FG2002", "variable source needs AWS", Severity.Error,
        "A variable that needs AWS to resolve (`${ssm:...}`, `${cf:...}`, `${s3:...}`, `${aws:accountId}`). sls-fargate works offline; pass the value another way or package through the Serverless Framework plugin, which resolves these.",
        Source: null);

    public static readonly DiagnosticDescriptor UnknownSource = new("FG2003", "unknown variable source", Severity.Error,
        "A variable source sls-fargate does not support: unknown sources, `${sls:instanceId}` (random at each deploy), `${file(x.js)}` (runs code), `${param:...}` (needs the Serverless Dashboard).",
        Source: null);

    public static readonly DiagnosticDescriptor Syntax = new("FG2004", "malformed variable", Severity.Error,
        "A malformed variable: an unclosed `${`, an empty fallback, an unclosed quote.",
        Source: null);

    public static readonly DiagnosticDescriptor Cycle = new("FG2005", "variables refer to each other in a cycle", Severity.Error,
        "Variables that refer to each other in a cycle, so none of them has a value.",
        Source: null);

    public static readonly DiagnosticDescriptor File = new("FG2006", "file variable cannot be read", Severity.Error,
        "A file named by `${file(...)}` that cannot be used: it has errors of its own (reported at their own positions), is a device or kernel file, or is larger than sls-fargate reads.",
        Source: null);

    public static readonly DiagnosticDescriptor NotAString = new("FG2007", "a list or map inside a longer string", Severity.Error,
        "A variable that gives a list or a map inside a longer string (`prefix-${self:custom.map}`), where only text can go.",
        Source: null);

    public static readonly DiagnosticDescriptor TooDeep = new("FG2008", "variables chained or nested too deep", Severity.Error,
        "Variables lead through more than 200 others: a chain `a: ${self:b}`, `b: ${self:c}`, … or variables nested inside variables that deep. The limit keeps a hostile file from exhausting the stack.",
        Source: null);

    public static readonly DiagnosticDescriptor TooLarge = new("FG2009", "a resolved value too large", Severity.Error,
        "A value grows past 1,000,000 characters as its variables are put in (`a: ${self:b}${self:b}` doubled level after level). CloudFormation takes no template larger than 1 MB, so such a value could never be deployed.",
        Source: "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html");

    public static readonly DiagnosticDescriptor OutsideFolder = new("FG2010", "a file read from outside the service's folder", Severity.Warning,
        "`${file()}` reads a file outside the service's folder (an absolute path, or `../`). The Serverless Framework reads it, so it works; the warning names the path because a pull request could point it at any file on the machine that runs `validate`.",
        Source: null);

    public static readonly IReadOnlyList<DiagnosticDescriptor> All = [NotFound, NeedsAws, UnknownSource, Syntax, Cycle, File, NotAString, TooDeep, TooLarge, OutsideFolder];
}
