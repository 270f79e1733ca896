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

        // Given a configuration with a schema error, a rule's error with a fix, a warning and notices
        File.WriteAllText(Path.Combine(_folder.FullName, "serverless.yml"), """
            service: sarif
            provider:
              name: aws
            fargate:
              vpc:
                subnets: [subnet-0123456789abcdef0]
              tasks:
                worker:
                  image: public.ecr.aws/docker/library/busybox:1.36
                  cpu: 300
                nightly:
                  image: public.ecr.aws/docker/library/busybox:1.36
                  schedule: cron(0 3 * * *)
            """);

        // When it is validated as SARIF
        var run = CliRunner.Run(_folder.FullName, "validate", "--format", "sarif");

        // Then the log satisfies the SARIF 2.1.0 schema, and rules describe themselves: the
        // description, the level they are reported with, our page, and the AWS page they cite
        var evaluation = Schema(schemaPath).Evaluate(JsonDocument.Parse(run.Out).RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(evaluation.IsValid, string.Join("\n", (evaluation.Details ?? []).Where(d => d.Errors is not null)
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));
        var broken = JsonDocument.Parse("""{"version": "2.1.0", "runs": [{"tool": {"driver": {}}, "results": []}]}""").RootElement;
        Assert.False(Schema(schemaPath).Evaluate(broken).IsValid, "the schema must refuse a driver without a name");
        var rules = JsonNode.Parse(run.Out)!["runs"]![0]!["tool"]!["driver"]!["rules"]!.AsArray();
        Assert.Equal(["FG1003", "FG1007", "FG3003", "FG3027", "FG3034"], rules.Select(r => r!["id"]!.GetValue<string>()));
        Assert.All(rules, rule =>
        {
            var descriptor = DiagnosticCatalog.Descriptors.Single(d => d.Id == rule!["id"]!.GetValue<string>());
            Assert.Equal(descriptor.Description, rule!["fullDescription"]!["text"]!.GetValue<string>());
            Assert.Equal(descriptor.Help, rule["helpUri"]!.GetValue<string>());
            Assert.Equal(descriptor.Source, rule["properties"]?["source"]?.GetValue<string>());
        });
        var schedule = rules.Single(r => r!["id"]!.GetValue<string>() == "FG3003")!;
        Assert.Equal("error", schedule["defaultConfiguration"]!["level"]!.GetValue<string>());
        Assert.StartsWith("https://docs.aws.amazon.com/", schedule["properties"]!["source"]!.GetValue<string>(), StringComparison.Ordinal);
        var deprecated = rules.Single(r => r!["id"]!.GetValue<string>() == "FG1007")!;
        Assert.Equal("warning", deprecated["defaultConfiguration"]!["level"]!.GetValue<string>());
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
