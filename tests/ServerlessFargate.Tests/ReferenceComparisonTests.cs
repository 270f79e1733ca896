namespace ServerlessFargate.Tests;

/// <summary>
/// Runs scripts/compare-with-reference.sh: the bundled examples packaged by the reference Node.js
/// plugin (under serverless@3.40.0) and by sls-fargate give the same Fargate resources and outputs,
/// apart from the intended differences the script lists. It needs Node.js and the two npm
/// packages; .ci/run installs them and sets SLS_FARGATE_REQUIRE_REFERENCE=1, so in CI it never skips.
/// </summary>
public sealed class ReferenceComparisonTests
{
    [SkippableFact]
    public void Bundled_examples_match_the_reference_plugin_apart_from_intended_differences()
    {
        var reference = Environment.GetEnvironmentVariable("SLS_FARGATE_REFERENCE_DIR") ?? Path.Combine(RepositoryPaths.Root, ".reference");
        var installed = File.Exists(Path.Combine(reference, "node_modules", ".bin", "serverless"));
        if (Environment.GetEnvironmentVariable("SLS_FARGATE_REQUIRE_REFERENCE") == "1")
        {
            Assert.True(installed, $"the reference is not installed in {reference}");
        }
        Skip.IfNot(installed, "serverless@3.40.0 and serverless-fargate@1.1.0 are not installed (scripts/compare-with-reference.sh installs them)");

        var result = ProcessRunner.Run("bash", [Path.Combine(RepositoryPaths.Root, "scripts", "compare-with-reference.sh")],
            new Dictionary<string, string>
            {
                ["SERVERLESS_FARGATE_CLI"] = Path.Combine(AppContext.BaseDirectory, "sls-fargate"),
                ["SLS_FARGATE_REFERENCE_DIR"] = reference,
            });

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("full: ", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("UNEXPECTED", result.Out, StringComparison.Ordinal);
    }
}
