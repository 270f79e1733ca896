using ServerlessFargate.Diagnostics;

namespace ServerlessFargate.Yaml;

public enum ScalarKind
{
    String,
    Integer,
    Float,
    Boolean,
    Null,
}

/// <summary>
/// A node of the configuration tree. Every node knows where it came from, so every later
/// stage can point at the exact line and column.
/// </summary>
public abstract class YNode(SourceSpan span)
{
    public SourceSpan Span { get; } = span;

    /// <summary>How the node is named in messages: "a string", "a list", "a map".</summary>
    public abstract string KindName { get; }
}

public sealed class YScalar(SourceSpan span, string value, ScalarKind kind) : YNode(span)
{
    public string Value { get; } = value;

    public ScalarKind Kind { get; } = kind;

    public override string KindName => Kind switch
    {
        ScalarKind.String => "a string",
        ScalarKind.Integer => "an integer",
        ScalarKind.Float => "a number",
        ScalarKind.Boolean => "a boolean",
        _ => "null",
    };

    public static YScalar String(SourceSpan span, string value) => new(span, value, ScalarKind.String);
}

public sealed record YEntry(YScalar Key, YNode Value);

public sealed class YMapping(SourceSpan span, IReadOnlyList<YEntry> entries) : YNode(span)
{
    public IReadOnlyList<YEntry> Entries { get; } = entries;

    public override string KindName => "a map";

    public YEntry? GetEntry(string key)
    {
        foreach (var entry in Entries)
        {
            if (entry.Key.Value == key)
            {
                return entry;
            }
        }
        return null;
    }

    public YNode? Get(string key) => GetEntry(key)?.Value;
}

public sealed class YSequence(SourceSpan span, IReadOnlyList<YNode> items) : YNode(span)
{
    public IReadOnlyList<YNode> Items { get; } = items;

    public override string KindName => "a list";
}
