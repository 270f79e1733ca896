using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ServerlessFargate.Schema;

namespace ServerlessFargate.Tests;

/// <summary>
/// The provider keys tasks inherit are listed once, in schema/provider.schema.json
/// (<c>"x-inherited": true</c>); the engine and the plugin both read that list.
/// </summary>
public sealed partial class ProviderKeyTests
{
    /// <summary>Quoted words in a row, separated by commas: an array or parameter list written out by hand.</summary>
    [GeneratedRegex("""(?:["'][A-Za-z]+["']\s*,\s*)+["'][A-Za-z]+["']""")]
    private static partial Regex QuotedList();

    private static readonly string[] SourceExtensions = [".cs", ".js", ".sh", ".py"];

    /// <summary>
    /// Quoted lists in <paramref name="text"/> made mostly of inherited keys, three or more (a pool
    /// of every key name, such as the mutation tests' <c>KeyPool</c>, is not such a list).
    /// </summary>
    private static IEnumerable<string> ListsOfInheritedKeys(string text) =>
        QuotedList().Matches(text)
            .Select(m => m.Value)
            .Where(list =>
            {
                var words = Regex.Matches(list, "[A-Za-z]+").Select(w => w.Value).Distinct().ToList();
                var inherited = words.Count(EmbeddedSchemas.InheritedProviderKeys.Contains);
                return inherited >= 3 && inherited * 2 >= words.Count;
            });

    [Fact]
    public void Nothing_but_the_provider_schema_lists_the_inherited_keys()
    {
        var folders = new[] { "src", "integrations", "scripts", "tests", "benchmarks" }.Select(f => Path.Combine(RepositoryPaths.Root, f));
        var listed = folders
            .SelectMany(folder => Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
            .Where(file => SourceExtensions.Contains(Path.GetExtension(file)) && !Regex.IsMatch(file, "/(bin|obj|node_modules)/"))
            .SelectMany(file => ListsOfInheritedKeys(File.ReadAllText(file)).Select(list => $"{Path.GetRelativePath(RepositoryPaths.Root, file)}: {list}"));

        Assert.Empty(listed);
    }

    [Fact]
    public void The_check_sees_a_list_kept_by_hand()
    {
        // Given lists like those this test replaced, ResolvedConfig's array and the plugin's
        // constant (written here from the schema, so that this file lists nothing itself)
        var keys = EmbeddedSchemas.InheritedProviderKeys.Order(StringComparer.Ordinal).ToList();
        var csharp = $"private static readonly string[] ProviderKeys = [{string.Join(", ", keys.Select(k => $"\"{k}\""))}];";
        var javascript = $"const PROVIDER_KEYS = [\n{string.Join(",\n", keys.Select(k => $"  '{k}'"))},\n];";

        Assert.Single(ListsOfInheritedKeys(csharp));
        Assert.Single(ListsOfInheritedKeys(javascript));
    }

    [Fact]
    public void Tasks_inherit_marked_keys_and_stage_and_region_are_read_but_not_inherited()
    {
        Assert.Contains("environment", EmbeddedSchemas.InheritedProviderKeys);
        Assert.Contains("stage", EmbeddedSchemas.ProviderKeys);
        Assert.DoesNotContain("stage", EmbeddedSchemas.InheritedProviderKeys);
        Assert.DoesNotContain("region", EmbeddedSchemas.InheritedProviderKeys);
        Assert.Subset(EmbeddedSchemas.ProviderKeys.ToHashSet(), EmbeddedSchemas.InheritedProviderKeys.ToHashSet());
    }

    [SkippableFact]
    public void The_plugin_forwards_the_keys_the_engine_inherits()
    {
        Skip.IfNot(ProcessRunner.IsOnPath("node"), "Node.js is not installed");
        var plugin = Path.Combine(RepositoryPaths.Root, "integrations", "serverless-plugin", "index.js");

        var run = ProcessRunner.Run("node", ["-e", $"console.log(require({System.Text.Json.JsonSerializer.Serialize(plugin)}).inheritedProviderKeys().join('\\n'))"]);

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal(EmbeddedSchemas.InheritedProviderKeys.Order(StringComparer.Ordinal), run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// The provider's tags and IAM statements reach the same resources as fargate's, so the
    /// provider schema copies what the fargate schema allows for them; a change to one alone would
    /// let the provider's through where fargate's are refused.
    /// </summary>
    [Theory]
    [InlineData("definitions/managedPolicyArn", "definitions/managedPolicyArn")]
    [InlineData("definitions/iamStatementOrCondition", "definitions/iamStatementOrCondition")]
    [InlineData("definitions/iamStatement", "definitions/iamStatement")]
    [InlineData("definitions/tags/propertyNames", "properties/tags/propertyNames")]
    [InlineData("definitions/tags/additionalProperties", "properties/tags/additionalProperties")]
    public void The_provider_schema_allows_what_the_fargate_schema_allows(string fargatePointer, string providerPointer)
    {
        var fargate = At(EmbeddedSchemas.FargateSchemaText, fargatePointer);
        var provider = At(EmbeddedSchemas.ProviderSchemaText, providerPointer);

        Assert.True(JsonNode.DeepEquals(fargate, provider), $"provider {providerPointer} differs from fargate {fargatePointer}");
    }

    private static JsonNode? At(string schema, string pointer) =>
        pointer.Split('/').Aggregate(JsonNode.Parse(schema), (node, part) => node?[part]);
}
