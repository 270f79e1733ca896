using ServerlessFargate.Diagnostics;

namespace ServerlessFargate.Variables;

/// <summary>FG2xxx: <c>${...}</c> variables that cannot be resolved offline, emitted by <see cref="VariableResolver"/>.</summary>
public static class VariableDiagnostics
{
    public static readonly DiagnosticDescriptor NotFound = new("FG2001", "variable has no value");
    public static readonly DiagnosticDescriptor NeedsAws = new("FG2002", "variable source needs AWS");
    public static readonly DiagnosticDescriptor UnknownSource = new("FG2003", "unknown variable source");
    public static readonly DiagnosticDescriptor Syntax = new("FG2004", "malformed variable");
    public static readonly DiagnosticDescriptor Cycle = new("FG2005", "variables refer to each other in a cycle");
    public static readonly DiagnosticDescriptor File = new("FG2006", "file variable cannot be read");
    public static readonly DiagnosticDescriptor NotAString = new("FG2007", "a list or map inside a longer string");
    public static readonly DiagnosticDescriptor TooDeep = new("FG2008", "variables chained or nested too deep");
    public static readonly DiagnosticDescriptor TooLarge = new("FG2009", "a resolved value too large");

    public static readonly DiagnosticDescriptor OutsideFolder = new("FG2010", "a file read from outside the service's folder");

    public static readonly IReadOnlyList<DiagnosticDescriptor> All = [NotFound, NeedsAws, UnknownSource, Syntax, Cycle, File, NotAString, TooDeep, TooLarge, OutsideFolder];
}
