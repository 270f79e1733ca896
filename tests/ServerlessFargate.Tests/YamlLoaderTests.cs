using ServerlessFargate.Diagnostics;
using ServerlessFargate.Yaml;

namespace ServerlessFargate.Tests;

public sealed class YamlLoaderTests
{
    private static (YNode? Root, DiagnosticBag Diagnostics) Load(string yaml)
    {
        var diagnostics = new DiagnosticBag();
        return (YamlLoader.Load(new SourceFile("serverless.yml", yaml), diagnostics), diagnostics);
    }

    [Fact]
    public void Every_node_knows_its_line_and_column()
    {
        var (root, diagnostics) = Load("fargate:\n  tasks:\n    worker:\n      cpu: 512\n");

        Assert.Empty(diagnostics.Items);
        var cpu = ((((YMapping)root!).Get("fargate") as YMapping)!.Get("tasks") as YMapping)!.Get("worker") as YMapping;
        var entry = cpu!.GetEntry("cpu")!;
        Assert.Equal((4, 7), (entry.Key.Span.Line, entry.Key.Span.Column));
        Assert.Equal((4, 12), (entry.Value.Span.Line, entry.Value.Span.Column));
    }

    [Theory]
    [InlineData("512", ScalarKind.Integer)]
    [InlineData("\"512\"", ScalarKind.String)]
    [InlineData("0.5", ScalarKind.Float)]
    [InlineData("true", ScalarKind.Boolean)]
    [InlineData("True", ScalarKind.Boolean)]
    [InlineData("yes", ScalarKind.String)]
    [InlineData("on", ScalarKind.String)]
    [InlineData("~", ScalarKind.Null)]
    [InlineData("0.5GB", ScalarKind.String)]
    [InlineData("!!str 512", ScalarKind.String)]
    public void Plain_scalars_are_typed_by_the_yaml_1_2_core_schema_as_js_yaml_does(string text, ScalarKind kind)
    {
        var (root, _) = Load($"value: {text}\n");

        Assert.Equal(kind, ((YScalar)((YMapping)root!).Get("value")!).Kind);
    }

    [Fact]
    public void Cloudformation_short_forms_become_long_form_maps()
    {
        var (root, diagnostics) = Load("a: !Ref Queue\nb: !GetAtt Role.Arn\nc: !Sub '${AWS::Region}-x'\n");

        Assert.Empty(diagnostics.Items);
        var map = (YMapping)root!;
        Assert.Equal("""{"Ref":"Queue"}""", YNodeJson.ToJsonNode(map.Get("a")!)!.ToJsonString());
        Assert.Equal("""{"Fn::GetAtt":["Role","Arn"]}""", YNodeJson.ToJsonNode(map.Get("b")!)!.ToJsonString());
        Assert.Equal("""{"Fn::Sub":"${AWS::Region}-x"}""", YNodeJson.ToJsonNode(map.Get("c")!)!.ToJsonString());
    }

    [Fact]
    public void Merge_keys_copy_entries_that_the_map_does_not_set_itself()
    {
        var (root, _) = Load("base: &base\n  cpu: 256\n  memory: 512\ntask:\n  <<: *base\n  cpu: 1024\n");

        var task = (YMapping)((YMapping)root!).Get("task")!;
        Assert.Equal("1024", ((YScalar)task.Get("cpu")!).Value);
        Assert.Equal("512", ((YScalar)task.Get("memory")!).Value);
    }

    [Fact]
    public void Every_duplicate_key_is_reported_with_the_first_definitions_line()
    {
        var (_, diagnostics) = Load("a: 1\nb: 2\na: 3\nb: 4\n");

        Assert.Equal(["3:1 FG0003", "4:1 FG0003"], diagnostics.Items.Select(d => $"{d.Span.Line}:{d.Span.Column} {d.Id}"));
        Assert.Contains("first defined on line 1", diagnostics.Items[0].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a: [1, 2\n")]
    [InlineData("a: 'unclosed\n")]
    [InlineData("a:\n  - b\n c: d\n")]
    [InlineData("a: *undefined\n")]
    [InlineData("- just\n- a list\n")]
    [InlineData("")]
    [InlineData("--- \na: 1\n---\nb: 2\n")]
    [InlineData("a: !Unknown x\n")]
    public void Malformed_yaml_gives_positioned_diagnostics_and_never_throws(string yaml)
    {
        var (_, diagnostics) = Load(yaml);

        Assert.NotEmpty(diagnostics.Items);
        Assert.All(diagnostics.Items, d => Assert.InRange(d.Span.Line, 1, Math.Max(1, yaml.Split('\n').Length)));
    }
}
