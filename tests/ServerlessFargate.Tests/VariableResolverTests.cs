using ServerlessFargate.Diagnostics;
using ServerlessFargate.Variables;
using ServerlessFargate.Yaml;

namespace ServerlessFargate.Tests;

public sealed class VariableResolverTests
{
    private static (string? Value, DiagnosticBag Diagnostics) Resolve(string yaml, string path, VariableOptions? options = null, string? directory = null)
    {
        var diagnostics = new DiagnosticBag();
        var root = (YMapping)YamlLoader.Load(new SourceFile("serverless.yml", yaml), diagnostics)!;
        var resolver = new VariableResolver(root, directory ?? Path.GetTempPath(), options ?? new VariableOptions(Environment: _ => null), diagnostics);
        var node = resolver.ResolveAt(path.Split('.'));
        return (node is YScalar scalar ? scalar.Value : node is null ? null : YNodeJson.ToJsonNode(node)!.ToJsonString(), diagnostics);
    }

    [Theory]
    [InlineData("x: ${self:custom.a}\ncustom:\n  a: 1\n", "1")]
    [InlineData("x: pre-${self:custom.a}-post\ncustom:\n  a: mid\n", "pre-mid-post")]
    [InlineData("x: ${self:custom.sizes.${sls:stage}}\ncustom:\n  sizes:\n    dev: 256\n", "256")]
    [InlineData("x: ${opt:stage, 'fallback'}\n", "fallback")]
    [InlineData("x: ${env:NOPE, self:custom.a}\ncustom:\n  a: from-self\n", "from-self")]
    [InlineData("x: ${env:NOPE, env:ALSO_NOPE, 42}\n", "42")]
    [InlineData("x: ${sls:stage}\nprovider:\n  stage: qa\n", "qa")]
    [InlineData("x: ${sls:stage}\n", "dev")]
    [InlineData("x: ${aws:region}\n", "us-east-1")]
    [InlineData("x: ${aws:region}\nprovider:\n  region: eu-west-1\n", "eu-west-1")]
    [InlineData("x: ${self:custom.list.1}\ncustom:\n  list: [a, b]\n", "b")]
    [InlineData("x: ${AWS::Region}-${MyBucket}\n", "${AWS::Region}-${MyBucket}")]
    [InlineData("x: ${self:custom.a}\ncustom:\n  a: ${self:custom.b}\n  b: deep\n", "deep")]
    [InlineData("x: ${strToBool(true)}\n", "true")]
    public void Variables_resolve_as_the_framework_resolves_them(string yaml, string expected)
    {
        var (value, diagnostics) = Resolve(yaml, "x");

        Assert.Empty(diagnostics.Items);
        Assert.Equal(expected, value);
    }

    [Fact]
    public void Options_win_over_provider_settings_for_stage_and_region()
    {
        var yaml = "x: ${sls:stage}/${aws:region}/${opt:stage}\nprovider:\n  stage: qa\n  region: eu-west-1\n";

        var (value, _) = Resolve(yaml, "x", new VariableOptions("prod", "ap-south-1", _ => null));

        Assert.Equal("prod/ap-south-1/prod", value);
    }

    [Fact]
    public void Environment_variables_are_read_through_the_given_lookup()
    {
        var (value, _) = Resolve("x: ${env:TOKEN}\n", "x", new VariableOptions(Environment: name => name == "TOKEN" ? "s3cret" : null));

        Assert.Equal("s3cret", value);
    }

    [Fact]
    public void File_variables_read_yaml_and_json_relative_to_the_config()
    {
        var folder = Directory.CreateTempSubdirectory("sls-fargate-vars-");
        try
        {
            File.WriteAllText(Path.Combine(folder.FullName, "vpc.yml"), "subnetIds:\n  - subnet-0123456789abcdef0\n");
            File.WriteAllText(Path.Combine(folder.FullName, "settings.json"), """{"queue": {"name": "jobs-${sls:stage}"}}""");
            var yaml = "x: ${file(./vpc.yml)}\ny: ${file(./settings.json):queue.name}\n";

            var (vpc, _) = Resolve(yaml, "x", directory: folder.FullName);
            var (queue, diagnostics) = Resolve(yaml, "y", directory: folder.FullName);

            Assert.Empty(diagnostics.Items);
            Assert.Equal("""{"subnetIds":["subnet-0123456789abcdef0"]}""", vpc);
            Assert.Equal("jobs-dev", queue);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("x: ${ssm:/param}\n", "FG2002")]
    [InlineData("x: ${cf:stack.output}\n", "FG2002")]
    [InlineData("x: ${s3:bucket/key}\n", "FG2002")]
    [InlineData("x: ${aws:accountId}\n", "FG2002")]
    [InlineData("x: ${env:NOT_SET}\n", "FG2001")]
    [InlineData("x: ${self:custom.missing}\n", "FG2001")]
    [InlineData("x: ${opt:stage}\n", "FG2001")]
    [InlineData("x: ${vault:secret}\n", "FG2003")]
    [InlineData("x: ${sls:instanceId}\n", "FG2003")]
    [InlineData("x: ${file(./config.js)}\n", "FG2003")]
    [InlineData("x: ${self:custom.a\n", "FG2004")]
    [InlineData("x: ${self:x}\n", "FG2005")]
    [InlineData("x: a-${self:custom.map}\ncustom:\n  map: {a: 1}\n", "FG2007")]
    public void Unresolvable_variables_are_diagnostics_on_the_line_that_uses_them(string yaml, string id)
    {
        var (_, diagnostics) = Resolve(yaml, "x");

        var diagnostic = Assert.Single(diagnostics.Items);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(1, diagnostic.Span.Line);
    }

    [Fact]
    public void A_cycle_through_several_keys_is_reported_once()
    {
        var (_, diagnostics) = Resolve("x: ${self:a}\na: ${self:b}\nb: ${self:x}\n", "x");

        Assert.Equal("FG2005", Assert.Single(diagnostics.Items).Id);
    }

    [Fact]
    public void Unused_sections_are_not_resolved()
    {
        // Given an ${ssm:} variable in a function, which only AWS can resolve
        var yaml = "x: ok\nfunctions:\n  api:\n    environment:\n      SECRET: ${ssm:/secret}\n";

        // When only x is read
        var (value, diagnostics) = Resolve(yaml, "x");

        // Then nothing complains about the function
        Assert.Equal("ok", value);
        Assert.Empty(diagnostics.Items);
    }
}
