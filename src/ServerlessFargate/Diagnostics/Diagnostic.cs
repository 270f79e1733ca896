namespace ServerlessFargate.Diagnostics;

public enum Severity
{
    Error,
    Warning,

    /// <summary>Something the user should know that needs no change (a role the template generates).</summary>
    Notice,
}

/// <summary>
/// What a diagnostic id means, as cfn-lint's rule classes say it: a short title, the severity it
/// is reported with (its description says when it is another), a sentence or two on what is
/// checked and why it matters, and <paramref name="Source"/>, the AWS page its facts come from
/// (null when it encodes no fact about AWS: YAML syntax, the DSL's own forms, the framework's
/// ways). Each descriptor is declared once, beside the code that emits it (a rule class, or the
/// stage for YAML, schema and variable problems), so searching for an id finds its emitter;
/// docs/diagnostics.md and SARIF's rule list are written from them.
/// </summary>
public sealed record DiagnosticDescriptor(string Id, string Title, Severity DefaultSeverity, string Description, string? Source)
{
    /// <summary>A notice `validate` prints and `package` does not (it says nothing about cost or behaviour).</summary>
    public bool QuietInPackage { get; init; }

    /// <summary>The id's section of docs/diagnostics.md, which explains it and links its source.</summary>
    public string Help => ProjectInfo.DiagnosticsDocs + "#" + Id.ToLowerInvariant();
}

/// <summary>
/// One problem found in the input. <paramref name="Path"/> is the dotted config path
/// (<c>fargate.tasks.worker.cpu</c>) when the problem belongs to a key.
/// </summary>
public sealed record Diagnostic(DiagnosticDescriptor Descriptor, Severity Severity, string Message, SourceSpan Span, string? Path = null)
{
    public string Id => Descriptor.Id;

    public bool IsError => Severity == Severity.Error;

    /// <summary>
    /// Text that, put in place of <see cref="Span"/>, fixes the problem (a did-you-mean), when
    /// there is exactly one such fix. Tests apply every suggestion and validate again.
    /// </summary>
    public string? Suggestion { get; init; }

    public string SeverityName => Severity.Name();
}

public static class SeverityNames
{
    /// <summary>How text output, JSON and the docs write a severity.</summary>
    public static string Name(this Severity severity) => severity switch
    {
        Severity.Error => "error",
        Severity.Warning => "warning",
        _ => "notice",
    };
}

/// <summary>Collects diagnostics across the pipeline's stages.</summary>
public sealed class DiagnosticBag
{
    private readonly List<Diagnostic> _items = [];
    private readonly Dictionary<string, string> _redactions = new(StringComparer.Ordinal);

    public IReadOnlyList<Diagnostic> Items => _items;

    public bool HasErrors => _items.Any(d => d.IsError);

    public void Add(Diagnostic diagnostic) => _items.Add(diagnostic);

    public void Error(DiagnosticDescriptor descriptor, SourceSpan span, string message, string? path = null, string? suggestion = null) =>
        _items.Add(new Diagnostic(descriptor, Severity.Error, message, span, path) { Suggestion = suggestion });

    public void Warning(DiagnosticDescriptor descriptor, SourceSpan span, string message, string? path = null, string? suggestion = null) =>
        _items.Add(new Diagnostic(descriptor, Severity.Warning, message, span, path) { Suggestion = suggestion });

    public void Notice(DiagnosticDescriptor descriptor, SourceSpan span, string message, string? path = null) =>
        _items.Add(new Diagnostic(descriptor, Severity.Notice, message, span, path));

    /// <summary>
    /// A value read from the environment or a file, which no message may quote: where a message
    /// quotes it (in backticks, as messages quote values) it names <paramref name="source"/>,
    /// the variable, instead.
    /// </summary>
    public void Redact(string value, string source)
    {
        if (value.Length > 0)
        {
            _redactions.TryAdd(value, source);
        }
    }

    private Diagnostic Redacted(Diagnostic diagnostic)
    {
        if (_redactions.Count == 0)
        {
            return diagnostic;
        }
        var message = diagnostic.Message;
        var suggestion = diagnostic.Suggestion;
        foreach (var (value, source) in _redactions)
        {
            var quoted = $"`{value}`";
            if (message.Contains(quoted, StringComparison.Ordinal))
            {
                message = message.Replace(quoted, $"`{source}` (its value is not shown)", StringComparison.Ordinal);
            }
            if (suggestion is not null && suggestion.Contains(value, StringComparison.Ordinal))
            {
                suggestion = null;
            }
        }
        return diagnostic with { Message = message, Suggestion = suggestion };
    }

    /// <summary>Diagnostics in reading order: file, line, column, then id; values read from outside redacted.</summary>
    public IReadOnlyList<Diagnostic> Sorted() =>
        [.. _items
            .Select(Redacted)
            .Distinct()
            .OrderBy(d => d.Span.File.DisplayPath, StringComparer.Ordinal)
            .ThenBy(d => d.Span.Line)
            .ThenBy(d => d.Span.Column)
            .ThenBy(d => d.Id, StringComparer.Ordinal)
            .ThenBy(d => d.Message, StringComparer.Ordinal)];
}
