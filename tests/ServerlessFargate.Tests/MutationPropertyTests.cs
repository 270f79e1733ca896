using System.Globalization;
using System.Text;
using System.Text.Json;
using CsCheck;
using ServerlessFargate.Diagnostics;
using ServerlessFargate.Yaml;

namespace ServerlessFargate.Tests;

/// <summary>
/// Takes valid configurations (the golden cases that package and the bundled examples), mutates
/// them (drop, duplicate, retype and garble keys and values; break the text: truncate, delete or
/// duplicate lines, insert tabs and YAML punctuation; nest deeply, widen maps, prepend alias bombs
/// and chains of references), and checks that the engine never throws and
/// that every diagnostic points inside the file it names. Runs 20,000 cases; set
/// SLS_FARGATE_MUTATIONS to change that.
/// </summary>
public sealed class MutationPropertyTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private sealed record Seed(string Folder, string Text);

    private static readonly Lazy<IReadOnlyList<Seed>> Seeds = new(() =>
        [.. Directory.GetDirectories(RepositoryPaths.Golden)
            .Where(d => File.Exists(Path.Combine(d, GoldenTests.TemplateFile)) && File.Exists(Path.Combine(d, "serverless.yml")))
            .Concat(Directory.GetDirectories(RepositoryPaths.Examples))
            .Order(StringComparer.Ordinal)
            .Select(d => new Seed(d, File.ReadAllText(Path.Combine(d, "serverless.yml"))))]);

    private static readonly string[] Garbage =
    [
        "", " ", "~", "null", "true", "0", "-1", "300", "3.5", "99999999999999999999", "0x1F", "yes",
        "0.5GB", "2 GB", "512MB", "ARM64", "arm64", "X86_64", "rate(1 minutes)", "rate(5 minutes)",
        "cron(0 3 * * ?)", "cron(0 3 * * ? *)", "subnet-1234", "subnet-0123456789abcdef0", "sg-0123456789abcdef0",
        "${env:NOPE}", "${env:NOPE, 'x'}", "${self:fargate}", "${self:fargate.tasks}", "${self:custom.a",
        "${opt:stage}", "${sls:stage}", "${aws:region}", "${aws:accountId}", "${ssm:/x}", "${file(./nope.yml)}",
        "${file(./vpc.yml):subnetIds}", "${self:provider}", "pre-${self:fargate.vpc}-post", "${AWS::Region}",
        "${self:${sls:stage}}", "${strToBool(maybe)}", "!Ref X", "a:b:c", "{{", "[", "\"", "'", "&a", "*a",
        "public.ecr.aws/docker/library/busybox:1.36", "nginx", "UPPER/Case:1", "my task", "---",
        new string('w', 300), "ü", "\u0000",
        // Shapes the hostile-input review found: floats and huge numbers where integers go, names
        // as long as IDs allow, special files, patterns where one secret goes, dates that do not exist.
        "3.0", "1e3", "7.0", "-2147483649", "99999999999", "2147483648", new string('n', 57), new string('n', 239),
        "${file(/proc/self/environ)}", "${file(/dev/zero)}", "${file(../../../../../etc/hostname)}",
        "arn:aws:secretsmanager:eu-west-1:123456789012:secret:*", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db",
        "cron(0 3 * * *)", "at(2027-02-30T10:00:00)", "!GetAtt Missing.Arn",
    ];

    private static readonly string[] KeyPool =
    [
        "image", "cpu", "memory", "service", "schedule", "vpc", "subnetIds", "subnets", "securityGroups", "name",
        "tasks", "environment", "tags", "desiredCount", "spot", "strict", "cloudFormationResource", "task",
        "container", "additionalContainers", "dependsOn", "command", "entryPoint", "architecture", "Ref",
        "Fn::GetAtt", "<<", "executionRoleArn", "taskRoleArn", "iamRoleStatements", "logRetentionInDays",
        "comand", "desiredcount", "bad.key", "", "1", "fargate", "provider", "resources", "Resources", "functions",
    ];

    private static readonly string[] Punctuation = [":", "-", "[", "]", "{", "}", "\"", "'", "&a ", "*a", "!", "#", "|", ">", "%", "@", "`", "\t", "? ", ",", "\n", "${"];

    [Fact]
    public void Mutated_configurations_never_throw_and_every_diagnostic_points_inside_its_file()
    {
        var iterations = int.TryParse(Environment.GetEnvironmentVariable("SLS_FARGATE_MUTATIONS"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 20_000;
        var seeds = Seeds.Value;
        Assert.True(seeds.Count >= 20, $"only {seeds.Count} seed configurations");

        var mutation = Gen.Select(Gen.Int[0, seeds.Count - 1], Gen.Int[0, int.MaxValue].Array[2, 12]);
        var outcomes = new System.Collections.Concurrent.ConcurrentDictionary<string, int>(StringComparer.Ordinal);

        mutation.Sample((seedIndex, choices) =>
        {
            var seed = seeds[seedIndex];
            var text = Mutate(seed.Text, new Choices(choices));
            var result = CheckEngine(seed, text);
            outcomes.AddOrUpdate(Outcome(result), 1, (_, count) => count + 1);
        }, iter: iterations);

        // Where the mutated inputs were stopped, to show the cases reach every stage.
        output.WriteLine(string.Join(", ", outcomes.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Key}: {o.Value}")));
    }

    private static string Outcome(EngineResult result) =>
        result.TemplateJson is not null ? "packaged"
        : result.Diagnostics.FirstOrDefault(d => d.IsError)?.Id[..3] switch
        {
            "FG0" => "yaml errors",
            "FG1" => "schema errors",
            "FG2" => "variable errors",
            "FG3" => "rule errors",
            _ => "nothing to package",
        };

    private static EngineResult CheckEngine(Seed seed, string text)
    {
        EngineResult result;
        try
        {
            // Package runs every stage, the compiler and the writer included.
            result = Engine.PackageText(text, new EngineOptions(Environment: _ => null, WorkingDirectory: seed.Folder));
        }
        catch (Exception ex)
        {
            throw new InvalidOperationException($"the engine threw on:\n{text}\n", ex);
        }
        // A template exactly when the run succeeded, unless there was nothing to package.
        var nothingToPackage = result.Succeeded && (result.Model is null || result.Model.Tasks.Count == 0);
        Assert.True(result.Succeeded == (result.TemplateJson is not null) || nothingToPackage,
            $"a run that {(result.Succeeded ? "succeeded gave no template" : "failed gave a template")}:\n{text}");
        foreach (var diagnostic in result.Diagnostics)
        {
            var file = diagnostic.Span.File;
            var lines = Math.Max(1, file.LineCount);
            var line = diagnostic.Span.Line;
            var inside = line >= 1 && line <= lines
                && diagnostic.Span.Column >= 1 && diagnostic.Span.Column <= file.GetLine(line).Length + 1;
            Assert.True(inside, $"{diagnostic.Span} ({diagnostic.Id}: {diagnostic.Message}) lies outside {file.DisplayPath} ({lines} lines) in:\n{text}");
        }
        return result;
    }

    /// <summary>Random decisions drawn from the generated ints, so CsCheck can shrink a failing case.</summary>
    private sealed class Choices(int[] values)
    {
        private int _next;

        public int Next(int bound) => bound <= 0 ? 0 : values[_next++ % values.Length] % bound;

        public bool More => _next < values.Length;
    }

    private static string Mutate(string text, Choices choices)
    {
        var diagnostics = new DiagnosticBag();
        var root = YamlLoader.Load(new SourceFile("seed.yml", text), diagnostics)!;
        var operations = 1 + choices.Next(3);
        for (var i = 0; i < operations; i++)
        {
            root = MutateTree(root, choices);
        }
        var emitted = Emit(root);
        return choices.Next(3) == 0 ? MutateText(emitted, choices) : emitted;
    }

    private static YNode MutateTree(YNode root, Choices choices)
    {
        var nodes = new List<YNode>();
        Collect(root, nodes);
        var target = nodes[choices.Next(nodes.Count)];
        var operation = choices.Next(8);
        return Replace(root, target, node => operation switch
        {
            6 => Nest(node, 1 + choices.Next(70)),
            7 => node is YMapping map ? Widen(map, choices.Next(40) == 0 ? 2_000 : 20) : node,
            0 => node is YMapping { Entries.Count: > 0 } map ? Remove(map, choices.Next(map.Entries.Count)) : node,
            1 => node is YMapping { Entries.Count: > 0 } map ? Duplicate(map, choices.Next(map.Entries.Count)) : node,
            2 => Retype(node, choices),
            3 => node is YMapping { Entries.Count: > 0 } map ? RenameKey(map, choices.Next(map.Entries.Count), choices) : node,
            4 => YScalar.String(node.Span, Garbage[choices.Next(Garbage.Length)]),
            _ => nodes[choices.Next(nodes.Count)],
        });
    }

    private static void Collect(YNode node, List<YNode> nodes)
    {
        nodes.Add(node);
        switch (node)
        {
            case YMapping map:
                map.Entries.ToList().ForEach(e => Collect(e.Value, nodes));
                break;
            case YSequence list:
                list.Items.ToList().ForEach(i => Collect(i, nodes));
                break;
        }
    }

    private static YNode Replace(YNode node, YNode target, Func<YNode, YNode> change)
    {
        if (ReferenceEquals(node, target))
        {
            return change(node);
        }
        return node switch
        {
            YMapping map => new YMapping(map.Span, [.. map.Entries.Select(e => e with { Value = Replace(e.Value, target, change) })]),
            YSequence list => new YSequence(list.Span, [.. list.Items.Select(i => Replace(i, target, change))]),
            _ => node,
        };
    }

    /// <summary>The node inside <paramref name="depth"/> lists: deep enough, sometimes, for the depth limit.</summary>
    private static YNode Nest(YNode node, int depth)
    {
        for (var i = 0; i < depth; i++)
        {
            node = new YSequence(node.Span, [node]);
        }
        return node;
    }

    private static YMapping Widen(YMapping map, int keys) =>
        new(map.Span, [.. map.Entries, .. Enumerable.Range(0, keys).Select(i => new YEntry(YScalar.String(map.Span, $"wide{i}"), YScalar.String(map.Span, $"v{i}")))]);

    private static YMapping Remove(YMapping map, int index) => new(map.Span, [.. map.Entries.Where((_, i) => i != index)]);

    private static YMapping Duplicate(YMapping map, int index) => new(map.Span, [.. map.Entries, map.Entries[index]]);

    private static YMapping RenameKey(YMapping map, int index, Choices choices)
    {
        var entries = map.Entries.ToList();
        entries[index] = entries[index] with { Key = YScalar.String(entries[index].Key.Span, KeyPool[choices.Next(KeyPool.Length)]) };
        return new YMapping(map.Span, entries);
    }

    private static YNode Retype(YNode node, Choices choices) => choices.Next(6) switch
    {
        0 => new YScalar(node.Span, "300", ScalarKind.Integer),
        1 => new YScalar(node.Span, "true", ScalarKind.Boolean),
        2 => new YScalar(node.Span, "", ScalarKind.Null),
        3 => new YSequence(node.Span, [node]),
        4 => new YMapping(node.Span, [new YEntry(YScalar.String(node.Span, KeyPool[choices.Next(KeyPool.Length)]), node)]),
        _ => node is YScalar scalar ? YScalar.String(node.Span, scalar.Value) : new YMapping(node.Span, []),
    };

    private static string MutateText(string text, Choices choices)
    {
        var lines = text.Split('\n').ToList();
        switch (choices.Next(7))
        {
            case 5:
                // An alias bomb ahead of the configuration.
                var bomb = new StringBuilder("bomb0: &b0 [x, x, x, x, x, x, x, x, x]\n");
                for (var level = 1; level <= 2 + choices.Next(8); level++)
                {
                    bomb.Append($"bomb{level}: &b{level} [{string.Join(", ", Enumerable.Repeat($"*b{level - 1}", 9))}]\n");
                }
                return bomb + text;
            case 6:
                // A chain of references, or a value that doubles at each step, for ${self:chain0}.
                var chain = new StringBuilder("chain:\n");
                var steps = 1 + choices.Next(260);
                var doubling = choices.Next(2) == 0;
                for (var step = 0; step < steps; step++)
                {
                    chain.Append(doubling
                        ? $"  c{step}: ${{self:chain.c{step + 1}}}${{self:chain.c{step + 1}}}\n"
                        : $"  c{step}: ${{self:chain.c{step + 1}}}\n");
                }
                chain.Append($"  c{steps}: end-of-chain-value\n");
                return chain + text.Replace("busybox:1.36", "${self:chain.c0}", StringComparison.Ordinal);
            case 0:
                return text[..choices.Next(text.Length + 1)];
            case 1:
                lines.RemoveAt(choices.Next(lines.Count));
                break;
            case 2:
                var line = choices.Next(lines.Count);
                lines[line] = "\t" + lines[line];
                break;
            case 3:
                var copy = choices.Next(lines.Count);
                lines.Insert(copy, lines[copy]);
                break;
            default:
                var at = choices.Next(text.Length + 1);
                return text[..at] + Punctuation[choices.Next(Punctuation.Length)] + text[at..];
        }
        return string.Join('\n', lines);
    }

    /// <summary>Writes a node tree back as YAML: block maps, flow lists, JSON-quoted strings.</summary>
    private static string Emit(YNode root)
    {
        var text = new StringBuilder();
        EmitBlock(root, text, 0);
        return text.ToString().TrimStart('\n') + "\n";
    }

    private static void EmitBlock(YNode node, StringBuilder text, int indent)
    {
        if (node is YMapping { Entries.Count: > 0 } map)
        {
            foreach (var entry in map.Entries)
            {
                text.Append('\n').Append(' ', indent).Append(Quote(entry.Key.Value)).Append(':');
                if (entry.Value is YMapping { Entries.Count: > 0 })
                {
                    EmitBlock(entry.Value, text, indent + 2);
                }
                else
                {
                    text.Append(' ').Append(Flow(entry.Value));
                }
            }
            return;
        }
        text.Append(Flow(node));
    }

    private static string Flow(YNode node) => node switch
    {
        YScalar { Kind: ScalarKind.String } s => Quote(s.Value),
        YScalar { Kind: ScalarKind.Null } => "null",
        YScalar s => s.Value,
        YSequence list => "[" + string.Join(", ", list.Items.Select(Flow)) + "]",
        YMapping map => "{" + string.Join(", ", map.Entries.Select(e => Quote(e.Key.Value) + ": " + Flow(e.Value))) + "}",
        _ => "null",
    };

    private static string Quote(string value) => JsonSerializer.Serialize(value);
}
