using System.Text.Json.Nodes;
using ServerlessFargate.Cli;

namespace ServerlessFargate.Tests;

public sealed class CliTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("sls-fargate-cli-");

    private const string Valid = Configs.OneTask;

    private const string Invalid = """
        service: cli
        fargate:
          cpu: 300
          tasks:
            worker:
              image: public.ecr.aws/docker/library/busybox:1.36
        """;

    public void Dispose() => _folder.Delete(recursive: true);

    private CliRun Run(params string[] args) => CliRunner.Run(_folder.FullName, args);

    private void Write(string yaml, string name = "serverless.yml") => File.WriteAllText(Path.Combine(_folder.FullName, name), yaml);

    [Fact]
    public void Package_writes_the_template_beside_the_config_by_default()
    {
        Write(Valid);

        var run = Run("package");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        var template = Path.Combine(_folder.FullName, ".serverless-fargate", "cloudformation-template.json");
        Assert.True(File.Exists(template));
        Assert.NotNull(JsonNode.Parse(File.ReadAllText(template))!["Resources"]!["WorkerService"]);
        Assert.Contains("Packaged 1 task", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Package_is_byte_for_byte_deterministic()
    {
        Write(Valid);

        var first = Run("package", "--out", "-").Out;
        var second = Run("package", "--out", "-").Out;

        Assert.Equal(first, second);
        Assert.EndsWith("}\n", first, StringComparison.Ordinal);
    }

    [Fact]
    public void A_failed_package_writes_nothing_and_exits_1()
    {
        Write(Invalid);

        var run = Run("package", "--out", "out");

        Assert.Equal(ExitCodes.InputErrors, run.ExitCode);
        Assert.False(Directory.Exists(Path.Combine(_folder.FullName, "out")));
        Assert.False(Directory.Exists(Path.Combine(_folder.FullName, ".serverless-fargate")));
        Assert.Contains("serverless.yml:3:8: error FG1003: fargate.cpu:", run.Error, StringComparison.Ordinal);
        Assert.Contains("nothing was written", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_failed_package_leaves_an_earlier_template_untouched()
    {
        Write(Valid);
        Run("package", "--out", "out");
        var template = Path.Combine(_folder.FullName, "out", "cloudformation-template.json");
        var before = File.ReadAllText(template);

        Write(Invalid);
        var run = Run("package", "--out", "out");

        Assert.Equal(ExitCodes.InputErrors, run.ExitCode);
        Assert.Equal(before, File.ReadAllText(template));
        Assert.Single(Directory.GetFiles(Path.Combine(_folder.FullName, "out")));
    }

    [Fact]
    public void Validate_reports_in_text_with_source_line_and_caret()
    {
        Write(Invalid);

        var run = Run("validate");

        Assert.Equal(ExitCodes.InputErrors, run.ExitCode);
        Assert.Equal("""
            serverless.yml:3:8: error FG1003: fargate.cpu: `300` is not one of 256, 512, 1024, 2048, 4096, 8192, 16384
             3 |   cpu: 300
               |        ^^^
            serverless.yml: 1 error, 0 warnings

            """.Replace("\r\n", "\n"), run.Out);
    }

    [Fact]
    public void Validate_json_format_lists_id_position_and_message()
    {
        Write(Invalid);

        var run = Run("validate", "--format", "json");

        var diagnostic = JsonNode.Parse(run.Out)!["diagnostics"]![0]!;
        Assert.Equal("FG1003", diagnostic["id"]!.GetValue<string>());
        Assert.Equal(3, diagnostic["line"]!.GetValue<int>());
        Assert.Equal(8, diagnostic["column"]!.GetValue<int>());
        Assert.Equal("fargate.cpu", diagnostic["path"]!.GetValue<string>());
    }

    [Fact]
    public void Validate_sarif_format_is_sarif_2_1_0_with_rule_and_region()
    {
        Write(Invalid);

        var run = Run("validate", "--format", "sarif");

        var sarif = JsonNode.Parse(run.Out)!;
        Assert.Equal("2.1.0", sarif["version"]!.GetValue<string>());
        var result = sarif["runs"]![0]!["results"]![0]!;
        Assert.Equal("FG1003", result["ruleId"]!.GetValue<string>());
        Assert.Equal(3, result["locations"]![0]!["physicalLocation"]!["region"]!["startLine"]!.GetValue<int>());
        Assert.Equal("FG1003", sarif["runs"]![0]!["tool"]!["driver"]!["rules"]![0]!["id"]!.GetValue<string>());
    }

    [Fact]
    public void Validate_of_a_valid_config_exits_0()
    {
        Write(Valid);

        var run = Run("validate");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.EndsWith("\nserverless.yml: valid, 1 task\n", run.Out, StringComparison.Ordinal);
        Assert.Contains("notice FG3027: fargate: the template creates the IAM role FargateIamExecutionRole", run.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("validate", "missing-folder")]
    [InlineData("package", "--merge-into", "missing.json")]
    [InlineData("validate", "--format", "xml")]
    [InlineData("frobnicate")]
    [InlineData("package", "--no-such-option")]
    public void Usage_errors_exit_2_without_a_stack_trace(params string[] args)
    {
        Write(Valid);

        var run = Run(args);

        Assert.Equal(ExitCodes.UsageError, run.ExitCode);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
        Assert.NotEmpty(run.Error);
    }

    [Fact]
    public void A_folder_without_a_config_is_a_usage_error_naming_the_files_looked_for()
    {
        var run = Run("validate");

        Assert.Equal(ExitCodes.UsageError, run.ExitCode);
        Assert.Contains("no serverless.yml, serverless.yaml or serverless.json", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_javascript_config_is_refused_with_a_pointer_to_the_plugin()
    {
        Write("module.exports = {};", "serverless.js");

        var run = Run("validate");

        Assert.Equal(ExitCodes.UsageError, run.ExitCode);
        Assert.Contains("Serverless Framework plugin", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Schema_prints_the_embedded_draft_07_schema()
    {
        var run = Run("schema");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        var schema = JsonNode.Parse(run.Out)!;
        Assert.Equal("http://json-schema.org/draft-07/schema#", schema["$schema"]!.GetValue<string>());
        Assert.Equal(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "schema", "fargate.schema.json")), run.Out);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("validate", "--help")]
    [InlineData("package", "--help")]
    [InlineData("schema", "--help")]
    public void Every_command_has_help(params string[] args)
    {
        var run = Run(args);

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Contains("Usage:", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Version_prints_the_version()
    {
        var run = Run("--version");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Equal(CliApp.Version + "\n", run.Out);
    }

    [Fact]
    public void Stage_and_region_options_reach_the_variables()
    {
        Write(Valid.Replace("service: tests", "service: cli-${sls:stage}-${opt:region}", StringComparison.Ordinal));

        var run = Run("package", "--out", "-", "--stage", "prod", "--region", "eu-west-1");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Contains("Fargate tasks of the service cli-prod-eu-west-1", run.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("validat .", "unknown command `validat`; did you mean `validate`?")]
    [InlineData("frobnicate", "unknown command `frobnicate`; the commands are validate, package, schema, compile")]
    [InlineData("validate . --formt json", "unknown option `--formt` for `validate`; did you mean `--format`?")]
    [InlineData("validate --stge prod .", "unknown option `--stge` for `validate`; did you mean `--stage`?")]
    [InlineData("package . --merge-int x.json", "unknown option `--merge-int` for `package`; did you mean `--merge-into`?")]
    public void A_mistyped_command_or_option_is_named_with_a_did_you_mean(string args, string expected)
    {
        Write(Valid);

        var run = Run(args.Split(' '));

        Assert.Equal(ExitCodes.UsageError, run.ExitCode);
        Assert.Contains(expected, run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-v")]
    [InlineData("version")]
    [InlineData("--version")]
    public void Version_is_printed_for_each_usual_spelling(string arg)
    {
        var run = Run(arg);

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+", run.Out);
    }

    [Fact]
    public void Help_as_a_word_prints_the_usage()
    {
        var run = Run("help", "validate");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Contains("--warnings-as-errors", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Warnings_as_errors_fails_validate_and_package_on_a_warning_and_writes_nothing()
    {
        Write(Valid.Replace("      image:", "      service:\n        autoscaling: {min: 1, max: 2, cpu: 50}\n        desiredCount: 3\n      image:", StringComparison.Ordinal));

        var validate = Run("validate", ".", "--warnings-as-errors");
        var package = Run("package", ".", "--out", "out", "--warnings-as-errors");
        var lenient = Run("validate", ".");

        Assert.Equal(ExitCodes.InputErrors, validate.ExitCode);
        Assert.Equal(ExitCodes.InputErrors, package.ExitCode);
        Assert.Contains("nothing was written (--warnings-as-errors)", package.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_folder.FullName, "out")));
        Assert.Equal(ExitCodes.Ok, lenient.ExitCode);
    }

    [Theory]
    [InlineData("sls-fargate sta", "status")]
    [InlineData("sls-fargate status --form", "--format")]
    [InlineData("sls-fargate status --format ", "json text")]
    [InlineData("sls-fargate run migrate --det", "--detach")]
    public void Bash_completion_asks_the_cli_and_completes_commands_options_and_values(string line, string expected)
    {
        var cli = CliRunner.ExecutableUnderTest ?? Path.Combine(AppContext.BaseDirectory, "sls-fargate");
        var bin = Directory.CreateTempSubdirectory("sls-fargate-completion-");
        File.CreateSymbolicLink(Path.Combine(bin.FullName, "sls-fargate"), cli);
        var words = line.Split(' ');
        var script = $$"""
            source <(sls-fargate completion bash)
            COMP_LINE='{{line}}'; COMP_POINT=${#COMP_LINE}
            COMP_WORDS=({{string.Join(' ', words.Select(w => $"'{w}'"))}}); COMP_CWORD={{words.Length - 1}}
            _sls_fargate_complete
            echo "${COMPREPLY[*]}"
            """;

        var result = ProcessRunner.Run("bash", ["-c", script],
            new Dictionary<string, string> { ["PATH"] = bin.FullName + ":/usr/bin:/bin" });

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Equal(expected, result.Out.Trim());
    }
}
