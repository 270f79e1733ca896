using System.Globalization;
using System.Text.RegularExpressions;
using ServerlessFargate.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace ServerlessFargate.Yaml;

/// <summary>
/// Reads YAML (and JSON, which YAML 1.2 contains) into a <see cref="YNode"/> tree.
/// It works on the parser's event stream rather than YamlStream because YamlStream stops at the
/// first duplicate key, and we want to report every one, with both positions.
/// Plain scalars are typed by the YAML 1.2 core schema, as js-yaml (the Serverless Framework's
/// parser) does: <c>yes</c> and <c>on</c> stay strings.
/// </summary>
public static partial class YamlLoader
{
    /// <param name="allowScalarRoot">False for a configuration file (a map); true for files that
    /// <c>${file()}</c> reads, which may hold any value.</param>
    public static YNode? Load(SourceFile file, DiagnosticBag diagnostics, bool allowScalarRoot = false)
    {
        if (file.DisplayPath.EndsWith(".json", StringComparison.OrdinalIgnoreCase) && !IsStrictJson(file, diagnostics))
        {
            return null;
        }
        var builder = new Builder(file, diagnostics, allowScalarRoot);
        try
        {
            return builder.Run();
        }
        catch (YamlException ex)
        {
            ReportSyntaxError(file, ex.Start, ex.Message, diagnostics);
            return null;
        }
        catch (LimitException ex)
        {
            diagnostics.Error(YamlDiagnostics.TooLarge, ex.Span, ex.Message);
            return null;
        }
    }

    /// <summary>
    /// Untrusted files (validate runs on pull requests) must not exhaust the stack or memory. No
    /// real configuration nests 64 levels deep; a "billion laughs" file of 600 bytes expands its
    /// aliases to a billion nodes, and a service of 1,000 tasks has about 20,000.
    /// </summary>
    public const int MaxDepth = 64;

    public const long MaxExpandedNodes = 500_000;

    private sealed class LimitException(SourceSpan span, string message) : Exception(message)
    {
        public SourceSpan Span { get; } = span;
    }

    /// <summary>
    /// YAML accepts more than JSON (trailing commas, comments), and the framework reads .json
    /// files with a JSON parser; hold .json files to JSON before reading them as YAML for positions.
    /// </summary>
    private static bool IsStrictJson(SourceFile file, DiagnosticBag diagnostics)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(file.Text);
            return true;
        }
        catch (System.Text.Json.JsonException ex)
        {
            var (span, message) = JsonSyntax.Describe(file, ex);
            diagnostics.Error(YamlDiagnostics.Syntax, span, $"not valid JSON: {message}");
            return false;
        }
    }

    private static void ReportSyntaxError(SourceFile file, Mark mark, string message, DiagnosticBag diagnostics)
    {
        // YamlDotNet reports a tab in indentation at the start of the enclosing mapping, often
        // lines away. Find the tabs ourselves so the caret lands on them.
        var foundTab = false;
        for (var line = 1; line <= file.LineCount; line++)
        {
            var text = file.GetLine(line);
            for (var column = 0; column < text.Length && char.IsWhiteSpace(text[column]); column++)
            {
                if (text[column] == '\t')
                {
                    diagnostics.Error(YamlDiagnostics.Tab, file.SpanAt(line, column + 1),
                        "tab character in indentation; YAML indents with spaces only");
                    foundTab = true;
                    break;
                }
            }
        }
        if (foundTab)
        {
            return;
        }

        var span = mark.Line > 0 ? file.SpanAt((int)mark.Line, (int)mark.Column) : LastLine(file);
        diagnostics.Error(YamlDiagnostics.Syntax, span, CleanMessage(message));
    }

    private static SourceSpan LastLine(SourceFile file)
    {
        var line = Math.Max(1, file.LineCount);
        return new SourceSpan(file, line, 1, line, 2);
    }

    private static string CleanMessage(string message)
    {
        var text = message.Trim();
        var first = char.ToLowerInvariant(text[0]) + text[1..];
        return first.TrimEnd('.');
    }

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex DecimalInteger();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex Float();

    [GeneratedRegex(@"^([-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$")]
    private static partial Regex SpecialFloat();

    /// <summary>Types a plain (unquoted, untagged) scalar by the YAML 1.2 core schema.</summary>
    internal static (string Value, ScalarKind Kind) TypePlainScalar(string text)
    {
        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return (text, ScalarKind.Null);
            case "true" or "True" or "TRUE":
                return ("true", ScalarKind.Boolean);
            case "false" or "False" or "FALSE":
                return ("false", ScalarKind.Boolean);
        }
        if (DecimalInteger().IsMatch(text))
        {
            return (text, ScalarKind.Integer);
        }
        if (text.Length > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'o'))
        {
            var digits = text[2..];
            try
            {
                var value = text[1] == 'x'
                    ? long.Parse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture)
                    : Convert.ToInt64(digits, 8);
                return (value.ToString(CultureInfo.InvariantCulture), ScalarKind.Integer);
            }
            catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException)
            {
                return (text, ScalarKind.String);
            }
        }
        if (Float().IsMatch(text) || SpecialFloat().IsMatch(text))
        {
            return (text, ScalarKind.Float);
        }
        return (text, ScalarKind.String);
    }

    private sealed class Builder(SourceFile file, DiagnosticBag diagnostics, bool allowScalarRoot)
    {
        private readonly Dictionary<string, YNode> _anchors = new(StringComparer.Ordinal);
        private Parser _parser = null!;
        private int _depth;

        public YNode? Run()
        {
            _parser = new Parser(new StringReader(file.Text));
            Expect<StreamStart>();
            YNode? root = null;
            var documents = 0;
            while (!Accept<StreamEnd>())
            {
                var start = Expect<DocumentStart>();
                documents++;
                var node = ReadNode();
                Expect<DocumentEnd>();
                if (documents == 1)
                {
                    root = node;
                }
                else
                {
                    diagnostics.Error(YamlDiagnostics.Syntax, SpanOf(start),
                        "a second YAML document; a configuration file holds exactly one");
                }
            }

            if (allowScalarRoot)
            {
                return root;
            }
            if (root is null || root is YScalar { Kind: ScalarKind.Null })
            {
                diagnostics.Error(YamlDiagnostics.RootNotMapping, file.Start, "the file is empty; expected a map with `service`, `provider` and `fargate`");
                return null;
            }
            if (root is not YMapping)
            {
                diagnostics.Error(YamlDiagnostics.RootNotMapping, root.Span, $"the file holds {root.KindName}; expected a map of keys such as `service`, `provider` and `fargate`");
                return null;
            }
            return root;
        }

        private T Expect<T>() where T : ParsingEvent
        {
            var next = Next();
            return next as T ?? throw new YamlException(next.Start, next.End, $"unexpected {next.GetType().Name}");
        }

        private bool Accept<T>() where T : ParsingEvent
        {
            // Peek by looking at the next event without consuming it.
            if (_peeked is null)
            {
                if (!MoveNext())
                {
                    return false;
                }
                _peeked = _parser.Current;
                LastMark = _peeked?.Start ?? LastMark;
            }
            if (_peeked is T)
            {
                _peeked = null;
                return true;
            }
            return false;
        }

        private ParsingEvent? _peeked;

        /// <summary>Where the last event the parser produced starts, for errors that carry no position.</summary>
        public Mark LastMark { get; private set; } = Mark.Empty;

        private ParsingEvent Next()
        {
            if (_peeked is not null)
            {
                var peeked = _peeked;
                _peeked = null;
                return peeked;
            }
            if (!MoveNext() || _parser.Current is null)
            {
                throw new YamlException(LastMark, LastMark, "unexpected end of input");
            }
            LastMark = _parser.Current.Start;
            return _parser.Current;
        }

        /// <summary>
        /// YamlDotNet's scanner throws some syntax errors without a position (an unclosed flow
        /// sequence ends in InvalidOperationException). Only exceptions from the parser itself
        /// become syntax errors at the last place it reached; one from this loader stays a bug.
        /// </summary>
        private bool MoveNext()
        {
            try
            {
                return _parser.MoveNext();
            }
            catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or IndexOutOfRangeException)
            {
                throw new YamlException(LastMark, LastMark, "the YAML is malformed after this point (an unclosed `[`, `{` or quote?)", ex);
            }
        }

        private SourceSpan SpanOf(ParsingEvent e)
        {
            var line = (int)e.Start.Line;
            var column = (int)e.Start.Column;
            var endLine = (int)e.End.Line;
            var endColumn = (int)e.End.Column;
            var start = file.SpanAt(line, column);
            if (endLine < start.Line || (endLine == start.Line && endColumn <= start.Column))
            {
                return start;
            }
            return start with { EndLine = endLine, EndColumn = endColumn };
        }

        private YNode ReadNode() => ReadNode(Next());

        private YNode ReadNode(ParsingEvent e)
        {
            switch (e)
            {
                case AnchorAlias alias:
                    if (_anchors.TryGetValue(alias.Value.Value, out var target))
                    {
                        return target;
                    }
                    diagnostics.Error(YamlDiagnostics.Syntax, SpanOf(alias), $"alias *{alias.Value.Value} refers to no anchor defined before it");
                    return YScalar.String(SpanOf(alias), "");
                case Scalar scalar:
                    return Remember(scalar.Anchor, ApplyTag(scalar.Tag, SpanOf(scalar), MakeScalar(scalar, SpanOf(scalar))));
                case SequenceStart sequenceStart:
                    {
                        Enter(sequenceStart);
                        var items = new List<YNode>();
                        ParsingEvent next;
                        while ((next = Next()) is not SequenceEnd)
                        {
                            items.Add(ReadNode(next));
                        }
                        var span = Extend(SpanOf(sequenceStart), next);
                        _depth--;
                        return Remember(sequenceStart.Anchor, Bounded(ApplyTag(sequenceStart.Tag, span, new YSequence(span, items))));
                    }
                case MappingStart mappingStart:
                    {
                        Enter(mappingStart);
                        var mapping = ReadMapping(mappingStart);
                        _depth--;
                        return Remember(mappingStart.Anchor, Bounded(ApplyTag(mappingStart.Tag, mapping.Span, mapping)));
                    }
                default:
                    throw new YamlException(e.Start, e.End, $"unexpected {e.GetType().Name}");
            }
        }

        private void Enter(ParsingEvent start)
        {
            if (++_depth > MaxDepth)
            {
                throw new LimitException(SpanOf(start), $"lists and maps nest more than {MaxDepth} levels deep here; sls-fargate reads at most {MaxDepth}");
            }
        }

        private static YNode Bounded(YNode node) => node.Size <= MaxExpandedNodes ? node
            : throw new LimitException(node.Span, $"with its aliases expanded this holds {(node.Size == long.MaxValue ? "more than 9 quintillion" : node.Size.ToString("N0", CultureInfo.InvariantCulture))} values; sls-fargate reads at most {MaxExpandedNodes.ToString("N0", CultureInfo.InvariantCulture)} (is an alias used inside the anchor it repeats?)");

        private static SourceSpan Extend(SourceSpan start, ParsingEvent end) =>
            end.End.Line > 0 ? start with { EndLine = (int)end.End.Line, EndColumn = (int)end.End.Column } : start;

        private YMapping ReadMapping(MappingStart start)
        {
            var entries = new List<YEntry>();
            var byKey = new Dictionary<string, YEntry>(StringComparer.Ordinal);
            var merges = new List<(YScalar Key, YNode Value)>();
            ParsingEvent next;
            while ((next = Next()) is not MappingEnd)
            {
                var keyNode = ReadNode(next);
                var value = ReadNode();
                if (keyNode is not YScalar key)
                {
                    diagnostics.Error(YamlDiagnostics.NonScalarKey, keyNode.Span, $"a key must be a plain value, not {keyNode.KindName}");
                    continue;
                }
                if (key.Value == "<<" && key.Kind == ScalarKind.String && next is Scalar { Style: ScalarStyle.Plain })
                {
                    merges.Add((key, value));
                    continue;
                }
                if (byKey.TryGetValue(key.Value, out var first))
                {
                    diagnostics.Error(YamlDiagnostics.DuplicateKey, key.Span,
                        $"duplicate key `{key.Value}`; it is first defined on line {first.Key.Span.Line}");
                    continue;
                }
                var added = new YEntry(key, value);
                byKey.Add(key.Value, added);
                entries.Add(added);
            }

            // YAML merge keys (`<<: *defaults`): keys written in the map win over merged ones,
            // and among several merged maps the first one listed wins.
            foreach (var (key, value) in merges)
            {
                var sources = value switch
                {
                    YMapping single => [single],
                    YSequence list when list.Items.All(item => item is YMapping) => list.Items.Cast<YMapping>().ToList(),
                    _ => null,
                };
                if (sources is null)
                {
                    diagnostics.Error(YamlDiagnostics.MergeKey, key.Span, $"`<<` merges maps, but its value is {value.KindName}");
                    continue;
                }
                foreach (var source in sources)
                {
                    foreach (var entry in source.Entries)
                    {
                        if (byKey.TryAdd(entry.Key.Value, entry))
                        {
                            entries.Add(entry);
                        }
                    }
                }
            }
            return new YMapping(Extend(SpanOf(start), next), entries);
        }

        private static YScalar MakeScalar(Scalar scalar, SourceSpan span)
        {
            if (scalar.Style != ScalarStyle.Plain || !scalar.Tag.IsEmpty)
            {
                return YScalar.String(span, scalar.Value);
            }
            var (value, kind) = TypePlainScalar(scalar.Value);
            return new YScalar(span, value, kind);
        }

        private YNode Remember(AnchorName anchor, YNode node)
        {
            if (!anchor.IsEmpty)
            {
                _anchors[anchor.Value] = node;
            }
            return node;
        }

        /// <summary>
        /// Applies a tag. CloudFormation's short forms (<c>!Ref X</c>, <c>!GetAtt A.B</c>, <c>!Sub ...</c>)
        /// become the long form objects the Serverless Framework produces for them.
        /// </summary>
        private YNode ApplyTag(TagName tag, SourceSpan span, YNode node)
        {
            if (tag.IsEmpty || tag.IsNonSpecific)
            {
                return node;
            }
            var name = tag.Value;
            switch (name)
            {
                case "tag:yaml.org,2002:str":
                    return node is YScalar s ? YScalar.String(span, s.Value) : node;
                case "tag:yaml.org,2002:int" or "tag:yaml.org,2002:float" or "tag:yaml.org,2002:bool" or "tag:yaml.org,2002:null":
                    if (node is YScalar typed)
                    {
                        var (value, kind) = TypePlainScalar(typed.Value);
                        return new YScalar(span, value, kind);
                    }
                    return node;
                case "tag:yaml.org,2002:map" or "tag:yaml.org,2002:seq":
                    return node;
                case "!Ref":
                    return Wrap(span, "Ref", node);
                case "!Condition":
                    return Wrap(span, "Condition", node);
                case "!GetAtt":
                    if (node is YScalar attribute)
                    {
                        var dot = attribute.Value.IndexOf('.', StringComparison.Ordinal);
                        if (dot > 0)
                        {
                            return Wrap(span, "Fn::GetAtt", new YSequence(span,
                            [
                                YScalar.String(span, attribute.Value[..dot]),
                                YScalar.String(span, attribute.Value[(dot + 1)..]),
                            ]));
                        }
                    }
                    return Wrap(span, "Fn::GetAtt", node);
                case "!Base64" or "!Cidr" or "!FindInMap" or "!GetAZs" or "!ImportValue" or "!Join" or "!Select"
                    or "!Split" or "!Sub" or "!Transform" or "!And" or "!Equals" or "!If" or "!Not" or "!Or"
                    or "!ToJsonString" or "!Length":
                    return Wrap(span, "Fn::" + name[1..], node);
                default:
                    diagnostics.Error(YamlDiagnostics.UnknownTag, span,
                        $"unknown tag `{name}`; the CloudFormation short forms (!Ref, !GetAtt, !Sub, !Join, …) are supported");
                    return node;
            }
        }

        private static YMapping Wrap(SourceSpan span, string function, YNode value) =>
            new(span, [new YEntry(YScalar.String(span, function), value)]);
    }
}
