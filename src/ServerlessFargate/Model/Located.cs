using ServerlessFargate.Diagnostics;

namespace ServerlessFargate.Model;

/// <summary>A value with the position it was written at, so rules can point at it.</summary>
public sealed record Located<T>(T Value, SourceSpan Span);

/// <summary>A logical ID already used in the stack, and what uses it ("function `api`", "resources.Resources").</summary>
public sealed record TakenId(string Id, SourceSpan Span, string Owner);
