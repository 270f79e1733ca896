namespace ServerlessFargate.Diagnostics;

public enum Severity
{
    Error,
    Warning,
}

/// <summary>
/// One problem found in the input. <paramref name="Path"/> is the dotted config path
/// (<c>fargate.tasks.worker.cpu</c>) when the problem belongs to a key.
/// </summary>
public sealed record Diagnostic(string Id, Severity Severity, string Message, SourceSpan Span, string? Path = null)
{
    public bool IsError => Severity == Severity.Error;

    public DiagnosticDescriptor Descriptor => DiagnosticCatalog.Get(Id);
}

/// <summary>Collects diagnostics across the pipeline's stages.</summary>
public sealed class DiagnosticBag
{
    private readonly List<Diagnostic> _items = [];

    public IReadOnlyList<Diagnostic> Items => _items;

    public bool HasErrors => _items.Any(d => d.IsError);

    public void Add(Diagnostic diagnostic) => _items.Add(diagnostic);

    public void Error(string id, SourceSpan span, string message, string? path = null) =>
        _items.Add(new Diagnostic(id, Severity.Error, message, span, path));

    public void Warning(string id, SourceSpan span, string message, string? path = null) =>
        _items.Add(new Diagnostic(id, Severity.Warning, message, span, path));

    /// <summary>Diagnostics in reading order: file, line, column, then id.</summary>
    public IReadOnlyList<Diagnostic> Sorted() =>
        [.. _items
            .Distinct()
            .OrderBy(d => d.Span.File.DisplayPath, StringComparer.Ordinal)
            .ThenBy(d => d.Span.Line)
            .ThenBy(d => d.Span.Column)
            .ThenBy(d => d.Id, StringComparer.Ordinal)
            .ThenBy(d => d.Message, StringComparer.Ordinal)];
}
