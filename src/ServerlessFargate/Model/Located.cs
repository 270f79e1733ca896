using ServerlessFargate.Diagnostics;

namespace ServerlessFargate.Model;

/// <summary>A value with the position it was written at, so rules can point at it.</summary>
public sealed record Located<T>(T Value, SourceSpan Span);
