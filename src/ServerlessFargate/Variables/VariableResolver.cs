using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ServerlessFargate.Diagnostics;
using ServerlessFargate.Yaml;

namespace ServerlessFargate.Variables;

/// <summary>
/// Resolves Serverless Framework (v3) variables on the node tree, on demand: only the parts of
/// the configuration the engine reads are resolved, so an <c>${ssm:...}</c> in a Lambda
/// function's settings does not stop an offline package. Results keep positions: a value taken
/// from elsewhere (<c>${self:custom.x}</c>, <c>${file(./vpc.yml)}</c>) keeps the position where it
/// is written; a value built from text (<c>${env:X}</c>, <c>prefix-${sls:stage}</c>) takes the
/// position of the scalar that held the variable.
/// </summary>
public sealed partial class VariableResolver
{
    private readonly YMapping _root;
    private readonly string _baseDirectory;
    private readonly VariableOptions _options;
    private readonly DiagnosticBag _diagnostics;
    private readonly Func<string, string, SourceFile> _openFile;
    private readonly Dictionary<YNode, YNode> _resolved = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<YNode> _inProgress = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<YNode> _failed = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string, YNode?> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _refusedFiles = new(StringComparer.Ordinal);
    private readonly Stack<YScalar> _holders = new();
    private string? _stage;
    private string? _region;

    /// <summary>
    /// Bounds for untrusted input: a chain of references (a: ${self:b}, b: ${self:c}, …) or of
    /// nested variables deeper than this is refused before it can exhaust the stack, and no
    /// resolved string may outgrow the largest template CloudFormation takes (1 MB).
    /// </summary>
    public const int MaxDepth = 200;

    public const int MaxValueLength = 1_000_000;

    /// <param name="openFile">Makes the source file of a file that <c>${file()}</c> named, given its full path and text.</param>
    public VariableResolver(YMapping root, string baseDirectory, VariableOptions options, DiagnosticBag diagnostics,
        Func<string, string, SourceFile>? openFile = null)
    {
        _root = root;
        _baseDirectory = baseDirectory;
        _options = options;
        _diagnostics = diagnostics;
        _openFile = openFile ?? ((full, text) => new SourceFile(full, text) { Confidential = true });
    }

    /// <summary>The effective stage: <c>--stage</c>, else <c>provider.stage</c>, else <c>dev</c>.</summary>
    public string Stage => _stage ??= _options.Stage ?? ScalarAt("provider", "stage") ?? "dev";

    /// <summary>The command's region (<see cref="FrameworkRegion"/>): every variable, the template and every AWS call use it.</summary>
    public string Region => _region ??= FrameworkRegion.Choose(_options.Region, ScalarAt("provider", "region"));

    /// <summary>True when the node, or a value it was built from, could not be resolved (already reported).</summary>
    public bool HasFailed(YNode node) => _failed.Contains(node);

    /// <summary>Resolves the node at a path from the root, and everything beneath it.</summary>
    public YNode? ResolveAt(params string[] path) => Lookup(_root, path, out _);

    /// <summary>
    /// Walks to a node resolving only what lies on the way (not the siblings), and returns it
    /// without resolving what is beneath it; used to read keys of sections we do not otherwise use.
    /// </summary>
    public YNode? NavigateShallow(params string[] path)
    {
        YNode? current = _root;
        foreach (var segment in path)
        {
            current = Child(Shallow(current!), segment);
            if (current is null)
            {
                return null;
            }
        }
        return Shallow(current!);
    }

    private string? ScalarAt(params string[] path) =>
        ResolveAt(path) is YScalar { Kind: not ScalarKind.Null } scalar && !HasFailed(scalar) ? scalar.Value : null;

    /// <summary>
    /// Resolves a node and everything beneath it, and refuses the result if the variables put
    /// in it made it deeper than the loader lets a file be (a value nested 40 levels, placed
    /// 40 levels down): null then, with FG2009 at <paramref name="at"/>.
    /// </summary>
    public YNode? ResolveBounded(YNode node, SourceSpan at)
    {
        var resolved = Resolve(node);
        if (resolved.Depth <= YamlLoader.MaxDepth)
        {
            return resolved;
        }
        _diagnostics.Error(VariableDiagnostics.TooLarge, at,
            $"with its variables put in, this nests {resolved.Depth} levels deep; sls-fargate reads at most {YamlLoader.MaxDepth}");
        _failed.Add(resolved);
        return null;
    }

    /// <summary>Resolves a node and everything beneath it.</summary>
    public YNode Resolve(YNode node)
    {
        if (_resolved.TryGetValue(node, out var done))
        {
            return done;
        }
        if (_inProgress.Contains(node))
        {
            // Point at the variable that closed the cycle, not at the map it reached back into.
            var at = _holders.TryPeek(out var holder) ? holder : node;
            _diagnostics.Error(VariableDiagnostics.Cycle, at.Span,
                "variables refer to each other in a cycle; this value depends on itself");
            _failed.Add(node);
            _failed.Add(at);
            return node;
        }
        if (_inProgress.Count >= MaxDepth)
        {
            // Point at the variable the chain starts from, the one the user is reading.
            var at = _holders.Count > 0 ? _holders.Last() : node;
            _diagnostics.Error(VariableDiagnostics.TooDeep, at.Span,
                $"following this variable leads through more than {MaxDepth} others (each refers to the next); sls-fargate follows at most {MaxDepth}");
            _failed.Add(node);
            _failed.Add(at);
            return node;
        }
        _inProgress.Add(node);
        try
        {
            var result = node switch
            {
                YScalar { Kind: ScalarKind.String } scalar when VariableTemplate.ContainsVariable(scalar.Value) => ResolveScalar(scalar),
                YMapping mapping => ResolveMapping(mapping),
                YSequence sequence => ResolveSequence(sequence),
                _ => node,
            };
            _resolved[node] = result;
            _resolved.TryAdd(result, result);
            return result;
        }
        finally
        {
            _inProgress.Remove(node);
        }
    }

    /// <summary>Resolves a node only when it is itself a variable, leaving what is beneath a map or list alone.</summary>
    internal YNode Shallow(YNode node) =>
        node is YScalar { Kind: ScalarKind.String } scalar && VariableTemplate.ContainsVariable(scalar.Value) ? Resolve(node) : node;

    private YMapping ResolveMapping(YMapping mapping)
    {
        var changed = false;
        var entries = new List<YEntry>(mapping.Entries.Count);
        foreach (var entry in mapping.Entries)
        {
            var value = Resolve(entry.Value);
            changed |= !ReferenceEquals(value, entry.Value);
            MarkFailedIf(mapping, value);
            entries.Add(value == entry.Value ? entry : entry with { Value = value });
        }
        return changed ? Propagate(mapping, new YMapping(mapping.Span, entries)) : mapping;
    }

    private YSequence ResolveSequence(YSequence sequence)
    {
        var changed = false;
        var items = new List<YNode>(sequence.Items.Count);
        foreach (var item in sequence.Items)
        {
            var value = Resolve(item);
            changed |= !ReferenceEquals(value, item);
            MarkFailedIf(sequence, value);
            items.Add(value);
        }
        return changed ? Propagate(sequence, new YSequence(sequence.Span, items)) : sequence;
    }

    private void MarkFailedIf(YNode parent, YNode child)
    {
        if (_failed.Contains(child))
        {
            _failed.Add(parent);
        }
    }

    private T Propagate<T>(YNode original, T result) where T : YNode
    {
        if (_failed.Contains(original))
        {
            _failed.Add(result);
        }
        return result;
    }

    private YNode ResolveScalar(YScalar scalar)
    {
        _holders.Push(scalar);
        try
        {
            return ResolveParts(scalar);
        }
        finally
        {
            _holders.Pop();
        }
    }

    private YNode ResolveParts(YScalar scalar)
    {
        if (_holders.Count > MaxDepth)
        {
            return Fail(_holders.Last(), VariableDiagnostics.TooDeep, $"this value nests variables inside variables more than {MaxDepth} levels deep; sls-fargate follows at most {MaxDepth}");
        }
        var parts = VariableTemplate.Split(scalar.Value);
        if (parts is null)
        {
            return Fail(scalar, VariableDiagnostics.Syntax, $"`{scalar.Value}` opens a variable with `${{` that is never closed with `}}`");
        }

        if (!parts.Exists(part => part.IsVariable))
        {
            return scalar;
        }

        // A scalar that is exactly one variable takes the variable's value, of any type;
        // otherwise the pieces are joined into a string.
        if (parts is [{ IsVariable: true } only])
        {
            return EvaluateVariable(scalar, only.Text) ?? Failed(scalar);
        }

        var text = new StringBuilder();
        foreach (var part in parts)
        {
            if (!part.IsVariable)
            {
                text.Append(part.Text);
                continue;
            }
            var value = EvaluateVariable(scalar, part.Text);
            if (value is null)
            {
                return Failed(scalar);
            }
            if (value is not YScalar piece)
            {
                return Fail(scalar, VariableDiagnostics.NotAString,
                    $"`${{{part.Text}}}` gives {value.KindName}, which cannot be placed inside the string `{scalar.Value}`");
            }
            text.Append(piece.Value);
            if (text.Length > MaxValueLength)
            {
                return Fail(scalar, VariableDiagnostics.TooLarge,
                    $"this value grows past {MaxValueLength:N0} characters as its variables are put in; CloudFormation takes no template larger than 1 MB");
            }
        }
        return YScalar.String(scalar.Span, text.ToString());
    }

    /// <summary>Evaluates one <c>${...}</c> body, trying each fallback in turn. Null when it failed (reported).</summary>
    private YNode? EvaluateVariable(YScalar holder, string body)
    {
        if (VariableTemplate.ContainsVariable(body))
        {
            var inner = ResolveScalar(YScalar.String(holder.Span, body));
            if (_failed.Contains(inner) || inner is not YScalar innerScalar)
            {
                return null;
            }
            body = innerScalar.Value;
        }

        var alternatives = VariableTemplate.SplitAlternatives(body);
        foreach (var alternative in alternatives)
        {
            if (alternative.Length == 0)
            {
                Fail(holder, VariableDiagnostics.Syntax, $"`${{{body}}}` has an empty part; write `${{source:address, fallback}}`");
                return null;
            }
            var outcome = EvaluateAlternative(holder, alternative);
            if (outcome.Failed)
            {
                return null;
            }
            if (outcome.Value is not null)
            {
                return outcome.Value;
            }
        }

        var first = alternatives[0];
        Fail(holder, VariableDiagnostics.NotFound, $"`${{{body}}}` has no value: {DescribeMissing(first)}" +
            (alternatives.Count == 1 ? $"; give a fallback such as `${{{first}, 'default'}}`" : ""));
        return null;
    }

    private readonly record struct Outcome(YNode? Value, bool Failed)
    {
        public static Outcome NotFound => default;
        public static Outcome Failure => new(null, true);
        public static Outcome Found(YNode value) => new(value, false);
    }

    [GeneratedRegex(@"^(?<source>[A-Za-z][A-Za-z0-9]*)(\((?<param>[^)]*)\))?(:(?<address>.*))?$", RegexOptions.Singleline)]
    private static partial Regex SourcePattern();

    private Outcome EvaluateAlternative(YScalar holder, string text)
    {
        var span = holder.Span;
        if (text[0] is '\'' or '"')
        {
            if (text.Length < 2 || text[^1] != text[0])
            {
                Fail(holder, VariableDiagnostics.Syntax, $"the string {text} in a variable is not closed");
                return Outcome.Failure;
            }
            return Outcome.Found(YScalar.String(span, text[1..^1]));
        }
        var (literal, kind) = YamlLoader.TypePlainScalar(text);
        if (kind is ScalarKind.Integer or ScalarKind.Float or ScalarKind.Boolean)
        {
            return Outcome.Found(new YScalar(span, literal, kind));
        }
        if (kind is ScalarKind.Null)
        {
            return Outcome.NotFound;
        }

        var match = SourcePattern().Match(text);
        if (!match.Success)
        {
            Fail(holder, VariableDiagnostics.Syntax, $"`{text}` is not a variable source; write `source:address` (self:, opt:, sls:, aws:, env:, file()) or a quoted string");
            return Outcome.Failure;
        }
        var source = match.Groups["source"].Value;
        var param = match.Groups["param"].Success ? match.Groups["param"].Value.Trim() : null;
        var address = match.Groups["address"].Success ? match.Groups["address"].Value.Trim() : null;

        switch (source)
        {
            case "self":
                return FromLookup(holder, _root, address ?? "");
            case "opt":
                return address switch
                {
                    "stage" => Text(span, _options.Stage),
                    "region" => Text(span, _options.Region),
                    _ => Outcome.NotFound,
                };
            case "sls":
                return address switch
                {
                    "stage" => Text(span, Stage),
                    "instanceId" => Unsupported(holder, "`${sls:instanceId}` is a random id made at each deploy, so an offline template cannot contain it"),
                    _ => Unsupported(holder, $"`sls:{address}` is not a variable; `sls:` offers `stage`"),
                };
            case "aws":
                return address switch
                {
                    "region" => Text(span, Region),
                    "accountId" => NeedsAws(holder, "${aws:accountId}", "the account id"),
                    _ => Unsupported(holder, $"`aws:{address}` is not a variable; `aws:` offers `region` and `accountId`"),
                };
            case "env":
                if (address is not { Length: > 0 })
                {
                    return Syntax(holder, "`env:` needs the name of an environment variable, as in `${env:HOME}`");
                }
                var environment = _options.GetEnvironment(address);
                if (environment is not null)
                {
                    _diagnostics.Redact(environment, $"${{env:{address}}}");
                }
                return Text(span, environment);
            case "file":
                return FromFile(holder, param, address);
            case "strToBool":
                return param?.Trim() switch
                {
                    "true" or "1" => Outcome.Found(new YScalar(span, "true", ScalarKind.Boolean)),
                    "false" or "0" => Outcome.Found(new YScalar(span, "false", ScalarKind.Boolean)),
                    _ => Syntax(holder, $"`strToBool({param})` takes true, false, 1 or 0"),
                };
            case "ssm" or "cf" or "s3" or "secretsmanager":
                return NeedsAws(holder, "${" + text + "}", source switch
                {
                    "ssm" => "an SSM parameter",
                    "cf" => "another stack's output",
                    "s3" => "an S3 object",
                    _ => "a Secrets Manager secret",
                });
            case "param":
                return FromParams(holder, address ?? "");
            default:
                return Unsupported(holder, $"`{source}:` is not a variable source sls-fargate knows; it reads self:, opt:, sls:, aws:region, env:, file() and strToBool()");
        }
    }

    private static Outcome Text(Diagnostics.SourceSpan span, string? value) =>
        value is null ? Outcome.NotFound : Outcome.Found(YScalar.String(span, value));

    private Outcome NeedsAws(YScalar holder, string variable, string what)
    {
        Fail(holder, VariableDiagnostics.NeedsAws,
            $"`{variable}` reads {what} from AWS, which sls-fargate does not call; give the value another way (`${{env:...}}`, `${{opt:...}}`, a literal) or package through the Serverless Framework plugin, which resolves it");
        return Outcome.Failure;
    }

    private Outcome Unsupported(YScalar holder, string message)
    {
        Fail(holder, VariableDiagnostics.UnknownSource, message);
        return Outcome.Failure;
    }

    private Outcome Syntax(YScalar holder, string message)
    {
        Fail(holder, VariableDiagnostics.Syntax, message);
        return Outcome.Failure;
    }

    /// <summary>
    /// <c>${param:NAME}</c> as the framework resolves it offline: the top-level <c>params</c>
    /// block's entry for the stage, then its <c>default</c> entry. Only a name in neither would go
    /// to the Serverless Dashboard, which needs a login; that is reported as having no value.
    /// </summary>
    private Outcome FromParams(YScalar holder, string name)
    {
        if (name.Length == 0 || name.Contains('.', StringComparison.Ordinal))
        {
            return Syntax(holder, "`param:` needs the name of a parameter, as in `${param:apiUrl}`");
        }
        var forStage = FromLookup(holder, _root, $"params.{Stage}.{name}");
        return forStage == Outcome.NotFound ? FromLookup(holder, _root, $"params.default.{name}") : forStage;
    }

    private Outcome FromLookup(YScalar holder, YNode start, string address)
    {
        var segments = address.Length == 0 ? [] : address.Split('.');
        if (segments.Any(segment => segment.Length == 0))
        {
            return Syntax(holder, $"`{address}` is not a path; write keys separated by single dots, as in `custom.sizes.prod`");
        }
        var found = Lookup(start, segments, out var failed);
        if (failed)
        {
            _failed.Add(holder);
            return Outcome.Failure;
        }
        return found is null || found is YScalar { Kind: ScalarKind.Null } ? Outcome.NotFound : Outcome.Found(found);
    }

    private YNode? Lookup(YNode start, IReadOnlyList<string> segments, out bool failed)
    {
        var current = Shallow(start);
        foreach (var segment in segments)
        {
            if (_failed.Contains(current))
            {
                failed = true;
                return null;
            }
            var next = Child(current, segment);
            if (next is null)
            {
                failed = false;
                return null;
            }
            current = Shallow(next);
        }
        if (_failed.Contains(current))
        {
            failed = true;
            return null;
        }
        var result = Resolve(current);
        failed = _failed.Contains(result);
        return failed ? null : result;
    }

    private static YNode? Child(YNode node, string segment) => node switch
    {
        YMapping mapping => mapping.Get(segment),
        YSequence sequence when int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            && index < sequence.Items.Count => sequence.Items[index],
        _ => null,
    };

    private Outcome FromFile(YScalar holder, string? relativePath, string? address)
    {
        if (string.IsNullOrEmpty(relativePath))
        {
            return Syntax(holder, "`file()` needs a path, as in `${file(./config.yml)}`");
        }
        var extension = Path.GetExtension(relativePath).ToLowerInvariant();
        if (extension is ".js" or ".cjs" or ".mjs" or ".ts")
        {
            return Unsupported(holder, $"`${{file({relativePath})}}` runs JavaScript, which sls-fargate does not do; use a .yml or .json file, or package through the Serverless Framework plugin");
        }
        var fullPath = Path.GetFullPath(Path.Combine(_baseDirectory, relativePath));
        if (_refusedFiles.TryGetValue(fullPath, out var reason))
        {
            Fail(holder, VariableDiagnostics.File, $"`${{file({relativePath})}}` {reason}");
            return Outcome.Failure;
        }
        if (!_files.TryGetValue(fullPath, out var root))
        {
            root = null;
            var folder = Path.TrimEndingDirectorySeparator(_baseDirectory) + Path.DirectorySeparatorChar;
            if (!fullPath.StartsWith(folder, StringComparison.Ordinal))
            {
                // The framework reads it, so it works; but a pull request can point it anywhere.
                _diagnostics.Warning(VariableDiagnostics.OutsideFolder, holder.Span,
                    $"`${{file({relativePath})}}` reads {fullPath}, outside the service's folder");
            }
            var read = InputFile.Read(fullPath);
            if (read is InputFile.Result.Refused refused)
            {
                _refusedFiles[fullPath] = refused.Reason;
                Fail(holder, VariableDiagnostics.File, $"`${{file({relativePath})}}` {refused.Reason}");
                return Outcome.Failure;
            }
            if (read is InputFile.Result.Found found)
            {
                var file = _openFile(fullPath, found.Text);
                var fileDiagnostics = new DiagnosticBag();
                root = YamlLoader.Load(file, fileDiagnostics, allowScalarRoot: true);
                foreach (var diagnostic in fileDiagnostics.Items)
                {
                    _diagnostics.Add(diagnostic);
                }
                if (fileDiagnostics.HasErrors)
                {
                    root = null;
                    _files[fullPath] = null;
                    Fail(holder, VariableDiagnostics.File, $"`${{file({relativePath})}}` names a file with errors (reported above)");
                    return Outcome.Failure;
                }
            }
            _files[fullPath] = root;
        }
        if (root is null)
        {
            // The framework treats a missing file as "no value", so a fallback can apply.
            return Outcome.NotFound;
        }
        var outcome = FromLookup(holder, root, address ?? "");
        if (outcome.Value is { } value)
        {
            var source = address is null ? $"${{file({relativePath})}}" : $"${{file({relativePath}):{address}}}";
            foreach (var scalar in Scalars(value))
            {
                _diagnostics.Redact(scalar, source);
            }
        }
        return outcome;
    }

    /// <summary>The scalar values in a node (a file's content is already bounded in size).</summary>
    private static IEnumerable<string> Scalars(YNode node)
    {
        var pending = new Stack<YNode>([node]);
        while (pending.TryPop(out var current))
        {
            switch (current)
            {
                case YScalar { Kind: not ScalarKind.Null } scalar:
                    yield return scalar.Value;
                    break;
                case YSequence sequence:
                    sequence.Items.ToList().ForEach(pending.Push);
                    break;
                case YMapping mapping:
                    mapping.Entries.ToList().ForEach(e => pending.Push(e.Value));
                    break;
            }
        }
    }

    private string DescribeMissing(string alternative)
    {
        var match = SourcePattern().Match(alternative);
        var source = match.Success ? match.Groups["source"].Value : alternative;
        var address = match.Groups["address"].Value;
        return source switch
        {
            "self" => $"`{address}` is not in the configuration",
            "opt" => $"the option --{address} was not given",
            "env" => $"the environment variable {address} is not set",
            "param" => $"`{address}` is in neither params.{Stage} nor params.default (a Serverless Dashboard parameter needs an online login; give it in `params`)",
            "file" => File.Exists(Path.Combine(_baseDirectory, match.Groups["param"].Value))
                ? $"the file {match.Groups["param"].Value} has no `{address}`"
                : $"the file {match.Groups["param"].Value} does not exist",
            _ => "no value was found",
        };
    }

    private YScalar Failed(YScalar scalar)
    {
        _failed.Add(scalar);
        return scalar;
    }

    private YScalar Fail(YScalar scalar, DiagnosticDescriptor id, string message)
    {
        _diagnostics.Error(id, scalar.Span, message);
        return Failed(scalar);
    }
}
