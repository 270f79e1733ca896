using Json.Schema;
using ServerlessFargate.Diagnostics;
using ServerlessFargate.Schema;
using ServerlessFargate.Yaml;

namespace ServerlessFargate.Tests;

/// <summary>schema/serverless.schema.json, the schema editors use for a whole serverless.yml.</summary>
public sealed class EditorSchemaTests
{
    /// <summary>
    /// Built from the file as an editor reads it. The SchemaStore schema it extends is not fetched
    /// in tests: a stand-in that accepts any map takes its place. Built once: the library keeps
    /// schemas in a shared registry.
    /// </summary>
    private static readonly Lazy<JsonSchema> Wrapper = new(() =>
    {
        var build = new BuildOptions();
        JsonSchema.FromText($$"""{"$id": "{{EditorSchema.ServerlessSchemaUri}}", "type": "object"}""", build);
        return JsonSchema.FromFile(Path.Combine(RepositoryPaths.Root, "schema", "serverless.schema.json"), build);
    });

    private static EvaluationResults Evaluate(string yaml)
    {
        var node = YamlLoader.Load(new SourceFile("serverless.yml", yaml), new DiagnosticBag())!;
        return Wrapper.Value.Evaluate(YNodeJson.ToJsonElement(node), new EvaluationOptions { OutputFormat = OutputFormat.List });
    }

    [Fact]
    public void The_file_is_what_the_engine_generates_from_the_fargate_schema()
    {
        // One source of truth: regenerate with `sls-fargate schema --editor > schema/serverless.schema.json`.
        Assert.Equal(EditorSchema.Build(), File.ReadAllText(Path.Combine(RepositoryPaths.Root, "schema", "serverless.schema.json")));
    }

    [Fact]
    public void The_wrapper_accepts_the_full_example_with_the_frameworks_own_keys()
    {
        var yaml = File.ReadAllText(Path.Combine(RepositoryPaths.Examples, "full", "serverless.yml"));

        Assert.True(Evaluate(yaml).IsValid);
    }

    [Fact]
    public void The_wrapper_accepts_variables_wherever_a_value_goes()
    {
        var results = Evaluate("service: x\nfargate:\n  cpu: ${self:custom.cpu}\n  vpc: ${file(./vpc.yml)}\n  tasks:\n    worker:\n      image: a:1\n      service:\n        desiredCount: ${param:count}\n");

        Assert.True(results.IsValid);
    }

    [Fact]
    public void The_wrapper_rejects_a_typo_and_a_wrong_value_inside_the_fargate_block()
    {
        var results = Evaluate("service: x\nfargate:\n  cpu: 300\n  tasks:\n    worker:\n      image: a:1\n      comand: [x]\n");

        Assert.False(results.IsValid);
        Assert.Contains(results.Details!, d => d.InstanceLocation.ToString() == "/fargate/tasks/worker/comand");
        Assert.Contains(results.Details!, d => d.InstanceLocation.ToString() == "/fargate/cpu" && d.Errors is not null);
    }
}
