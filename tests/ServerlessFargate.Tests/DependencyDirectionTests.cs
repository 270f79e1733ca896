using System.Text.RegularExpressions;

namespace ServerlessFargate.Tests;

/// <summary>
/// The engine is a one-way pipeline: each stage's namespace may use the stages before it, never
/// one after it. A file that reaches forward (a `using` or a qualified name) fails this test.
/// </summary>
public sealed partial class DependencyDirectionTests
{
    /// <summary>The stages in pipeline order; Diagnostics is shared by all, the root namespace (Engine) sits on top.</summary>
    private static readonly string[] Order =
        ["Diagnostics", "Yaml", "Variables", "Schema", "Model", "CloudFormation", "Compilation", "Rules", "Integration"];

    [GeneratedRegex(@"^namespace ServerlessFargate\.(?<ns>\w+);", RegexOptions.Multiline)]
    private static partial Regex Namespace();

    [GeneratedRegex(@"using ServerlessFargate\.(?<ns>\w+);|(?:\bServerlessFargate\.|(?<![\w.]))(?<ns>Diagnostics|Yaml|Variables|Schema|Model|CloudFormation|Compilation|Rules|Integration)\.(?=[A-Z])")]
    private static partial Regex Reference();

    [Fact]
    public void No_stage_uses_a_stage_after_it()
    {
        var source = Path.Combine(RepositoryPaths.Root, "src", "ServerlessFargate");
        var backwards = new List<string>();
        foreach (var file in Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories).Where(f => !f.Contains("/obj/") && !f.Contains("/bin/")))
        {
            var text = File.ReadAllText(file);
            if (Namespace().Match(text) is not { Success: true } match)
            {
                continue; // The root namespace may use every stage.
            }
            var own = Array.IndexOf(Order, match.Groups["ns"].Value);
            foreach (Match reference in Reference().Matches(text))
            {
                var used = Array.IndexOf(Order, reference.Groups["ns"].Value);
                if (used > own)
                {
                    backwards.Add($"{Path.GetRelativePath(source, file)} ({Order[own]}) uses {Order[used]}");
                }
            }
        }
        Assert.Empty(backwards.Distinct());
    }

    [Fact]
    public void The_aws_layer_reads_the_model_and_never_the_rules()
    {
        // status computes a schedule's runs from the model's Schedule, not by parsing it again.
        var source = Path.Combine(RepositoryPaths.Root, "src", "ServerlessFargate.Aws");
        var reaching = Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/obj/") && !f.Contains("/bin/"))
            .Where(f => Reference().Matches(File.ReadAllText(f)).Any(m => m.Groups["ns"].Value == "Rules"))
            .Select(f => Path.GetRelativePath(source, f));

        Assert.Empty(reaching);
    }

    [Fact]
    public void The_check_sees_a_forward_reference()
    {
        // Given a Model file that names a Compilation type or imports Rules, the pattern finds both.
        var sample = "using ServerlessFargate.Rules;\nnamespace ServerlessFargate.Model;\nvar x = Compilation.TemplateCompiler.Compile(m);";
        Assert.Equal(["Rules", "Compilation"], Reference().Matches(sample).Select(m => m.Groups["ns"].Value));
    }
}
