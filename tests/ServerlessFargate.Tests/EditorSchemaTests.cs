using Json.Schema;
using ServerlessFargate.Diagnostics;
using ServerlessFargate.Yaml;

namespace ServerlessFargate.Tests;

/// <summary>schema/serverless.schema.json, the wrapper editors use, resolves the fargate schema beside it.</summary>
public sealed class EditorSchemaTests
{
    /// <summary>
    /// Built from the files as an editor reads them: the wrapper's relative $ref finds the fargate
    /// schema by its file location. Built once: the library keeps schemas in a shared registry.
    /// </summary>
    private static readonly Lazy<JsonSchema> Wrapper = new(() =>
    {
        var folder = Path.Combine(RepositoryPaths.Root, "schema");
        var build = new BuildOptions();
        JsonSchema.FromFile(Path.Combine(folder, "fargate.schema.json"), build);
        return JsonSchema.FromFile(Path.Combine(folder, "serverless.schema.json"), build);
    });

    private static EvaluationResults Evaluate(string yaml)
    {
        var wrapper = Wrapper.Value;
        var node = YamlLoader.Load(new SourceFile("serverless.yml", yaml), new DiagnosticBag())!;
        return wrapper.Evaluate(YNodeJson.ToJsonElement(node), new EvaluationOptions { OutputFormat = OutputFormat.List });
    }

    [Fact]
    public void The_wrapper_accepts_the_full_example_with_the_frameworks_own_keys()
    {
        var yaml = File.ReadAllText(Path.Combine(RepositoryPaths.Examples, "full", "serverless.yml"));

        Assert.True(Evaluate(yaml).IsValid);
    }

    [Fact]
    public void The_wrapper_rejects_a_typo_inside_the_fargate_block()
    {
        var results = Evaluate("service: x\nfargate:\n  tasks:\n    worker:\n      image: a:1\n      comand: [x]\n");

        Assert.False(results.IsValid);
        Assert.Contains(results.Details!, d => d.InstanceLocation.ToString() == "/fargate/tasks/worker/comand");
    }
}
