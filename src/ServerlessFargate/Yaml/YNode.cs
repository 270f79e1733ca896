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

    /// <summary>
    /// How many nodes the tree holds with every alias expanded (a shared node counts each time
    /// it is used), saturating at long.MaxValue: what later stages would walk.
    /// </summary>
    public virtual long Size => 1;

    /// <summary>How many levels of lists and maps the node holds (a scalar is 0).</summary>
    public virtual int Depth => 0;

    private protected static long Sum(IEnumerable<YNode> nodes)
    {
        long total = 1;
        foreach (var node in nodes)
        {
            total = node.Size > long.MaxValue - total ? long.MaxValue : total + node.Size;
        }
        return total;
    }

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

    public override long Size { get; } = Sum(entries.Select(e => e.Value));

    public override int Depth { get; } = 1 + entries.Select(e => e.Value.Depth).DefaultIfEmpty(0).Max();

    // Keys are unique (the loader reports duplicates); a map of 60,000 keys is looked up by hash.
    private Dictionary<string, YEntry>? _index;

    public YEntry? GetEntry(string key)
    {
        if (Entries.Count <= 8)
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
        if (_index is null)
        {
            var index = new Dictionary<string, YEntry>(Entries.Count, StringComparer.Ordinal);
            foreach (var entry in Entries)
            {
                index.TryAdd(entry.Key.Value, entry);
            }
            _index = index;
        }
        return _index.GetValueOrDefault(key);
    }

    public YNode? Get(string key) => GetEntry(key)?.Value;
}

public sealed class YSequence(SourceSpan span, IReadOnlyList<YNode> items) : YNode(span)
{
    public IReadOnlyList<YNode> Items { get; } = items;

    public override long Size { get; } = Sum(items);

    public override int Depth { get; } = 1 + items.Select(i => i.Depth).DefaultIfEmpty(0).Max();

    public override string KindName => "a list";
}
