namespace ServerlessFargate.Tests;

/// <summary>Every template we generate must pass cfn-lint (the official resource schemas) cleanly.</summary>
public sealed class CfnLintTests
{
    [Fact]
    public void Every_golden_template_passes_cfn_lint()
    {
        var templates = Directory.GetDirectories(RepositoryPaths.Golden)
            .Select(d => Path.Combine(d, GoldenTests.TemplateFile))
            .Where(File.Exists)
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.True(templates.Count >= 20, $"only {templates.Count} golden templates found");

        var result = CfnLint(templates);

        Assert.True(result.ExitCode == 0, $"cfn-lint exit code {result.ExitCode}:\n{result.Output}");
    }

    [Fact]
    public void Every_bundled_example_packages_into_a_template_that_passes_cfn_lint()
    {
        var output = Directory.CreateTempSubdirectory("sls-fargate-examples-");
        try
        {
            var templates = new List<string>();
            foreach (var example in Directory.GetDirectories(RepositoryPaths.Examples).Order(StringComparer.Ordinal))
            {
                var target = Path.Combine(output.FullName, Path.GetFileName(example));
                var run = CliRunner.Run(example, "package", ".", "--out", target);
                Assert.True(run.ExitCode == 0, $"{example}: {run.Error}");
                templates.Add(Path.Combine(target, "cloudformation-template.json"));
            }
            Assert.True(templates.Count >= 3, "expected at least three bundled examples");

            var result = CfnLint(templates);

            Assert.True(result.ExitCode == 0, $"cfn-lint exit code {result.ExitCode}:\n{result.Output}");
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    internal static ProcessResult CfnLint(IEnumerable<string> templates)
    {
        Assert.True(ProcessRunner.IsOnPath("cfn-lint"), "cfn-lint is not on PATH; install it (pip install cfn-lint) to run this test");
        return ProcessRunner.Run("cfn-lint", ["--", .. templates]);
    }
}
