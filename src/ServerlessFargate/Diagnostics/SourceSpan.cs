namespace ServerlessFargate.Diagnostics;

/// <summary>Where something is in an input file: 1-based line and column, end exclusive.</summary>
public readonly record struct SourceSpan(SourceFile File, int Line, int Column, int EndLine, int EndColumn)
{
    public override string ToString() => $"{File.DisplayPath}:{Line}:{Column}";
}
