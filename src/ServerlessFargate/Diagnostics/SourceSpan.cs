namespace ServerlessFargate.Diagnostics;

/// <summary>Where something is in an input file: 1-based line and column, end exclusive.</summary>
public readonly record struct SourceSpan(SourceFile File, int Line, int Column, int EndLine, int EndColumn)
{
    public override string ToString() => $"{File.DisplayPath}:{Line}:{Column}";
}

/// <summary>A value with the position it was written at, so later stages can point at it.</summary>
public sealed record Located<T>(T Value, SourceSpan Span);
