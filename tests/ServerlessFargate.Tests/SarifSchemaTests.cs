using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace ServerlessFargate.Tests;

/// <summary>
/// `validate --format sarif` output is valid SARIF 2.1.0, checked against the schema the
/// @microsoft/jest-sarif npm package ships (.ci/run installs it beside the reference plugin).
/// </summary>
public sealed class SarifSchemaTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("sls-fargate-sarif-");

    public void Dispose() => _folder.Delete(recursive: true);

    [SkippableFact]
    public void Validate_sarif_output_is_valid_against_the_sarif_2_1_0_schema()
    {
        var reference = Environment.GetEnvironmentVariable("SLS_FARGATE_REFERENCE_DIR") ?? Path.Combine(RepositoryPaths.Root, ".reference");
        var schemaPath = Path.Combine(reference, "node_modules", "@microsoft", "jest-sarif", "lib", "schemas", "sarif-2.1.0-rtm.5.json");
        if (Environment.GetEnvironmentVariable("SLS_FARGATE_REQUIRE_REFERENCE") == "1")
        {
            Assert.True(File.Exists(schemaPath), $"the SARIF schema is not installed at {schemaPath}");
        }
        Skip.IfNot(File.Exists(schemaPath), "@microsoft/jest-sarif is not installed (.ci/run installs it)");

        // Given a configuration with an error, a warning and a did-you-mean
        File.WriteAllText(Path.Combine(_folder.FullName, "serverless.yml"), """
            service: sarif
            provider:
              name: aws
            fargate:
              cpu: 300
              vpc:
                subnets: [subnet-0123456789abcdef0]
              tasks:
                worker:
                  image: public.ecr.aws/docker/library/busybox:1.36
                  schedule: cron(0 3 * * *)
            """);

        // When it is validated as SARIF
        var run = CliRunner.Run(_folder.FullName, "validate", "--format", "sarif");

        // Then the log satisfies the SARIF 2.1.0 schema, and rules link to absolute help pages
        var evaluation = Schema(schemaPath).Evaluate(JsonDocument.Parse(run.Out).RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(evaluation.IsValid, string.Join("\n", (evaluation.Details ?? []).Where(d => d.Errors is not null)
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));
        var broken = JsonDocument.Parse("""{"version": "2.1.0", "runs": [{"tool": {"driver": {}}, "results": []}]}""").RootElement;
        Assert.False(Schema(schemaPath).Evaluate(broken).IsValid, "the schema must refuse a driver without a name");
        var rules = JsonNode.Parse(run.Out)!["runs"]![0]!["tool"]!["driver"]!["rules"]!.AsArray();
        Assert.True(rules.Count >= 2);
        Assert.All(rules, rule => Assert.StartsWith("https://", rule!["helpUri"]!.GetValue<string>(), StringComparison.Ordinal));
    }

    /// <summary>
    /// The shipped schema declares draft-04, which JsonSchema.Net does not evaluate; it uses no
    /// keyword whose meaning changed in draft-07 (exclusiveMinimum), so it is read as draft-07.
    /// </summary>
    private static JsonSchema Schema(string path)
    {
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        Assert.DoesNotContain("exclusiveM", json.ToJsonString(), StringComparison.Ordinal);
        json["$schema"] = "http://json-schema.org/draft-07/schema#";
        json.Remove("id"); // draft-04's base URI; every $ref in the schema is local.
        return JsonSchema.FromText(json.ToJsonString());
    }
}
