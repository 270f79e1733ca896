using System.Text;

namespace ServerlessFargate.Tests;

/// <summary>
/// Inputs made to hurt: `validate` runs on untrusted pull requests, so none of these may leak
/// the environment, crash, hang or exhaust memory. Each gives a diagnostic or a clear usage
/// error instead. (How long the worst take is measured by scripts/benchmark.sh, not here.)
/// </summary>
public sealed class HostileInputTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("sls-fargate-hostile-");

    public void Dispose() => _folder.Delete(recursive: true);

    /// <summary>The ids these tests show produced, for the catalog's coverage check.</summary>
    public static readonly string[] ProducedIds = ["FG0011", "FG2006", "FG2008", "FG2009", "FG2010"];

    private const string Service = Configs.OneTask;

    private CliRun Validate(string yaml, IReadOnlyDictionary<string, string>? environment = null)
    {
        File.WriteAllText(Path.Combine(_folder.FullName, "serverless.yml"), yaml);
        return CliRunner.Run(_folder.FullName, environment, "validate", ".");
    }

    [Fact]
    public void A_file_variable_naming_the_process_environment_is_refused_and_never_quoted()
    {
        var run = Validate(Service + "      environment:\n        A: ${file(/proc/self/environ)}\n",
            new Dictionary<string, string> { ["HOSTILE_TEST_TOKEN"] = "hunter2-secret" });

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("error FG2006", run.Out, StringComparison.Ordinal);
        Assert.Contains("is a device or kernel file", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", run.Out + run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("PATH=", run.Out + run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Values_from_the_environment_and_from_files_are_named_not_quoted()
    {
        File.WriteAllText(Path.Combine(_folder.FullName, "secrets.yml"), "cpu: hunter3-secret\n");

        var run = Validate(Service.Replace("  vpc:", "  cpu: ${file(./secrets.yml):cpu}\n  memory: ${env:HOSTILE_MEMORY}\n  vpc:", StringComparison.Ordinal),
            new Dictionary<string, string> { ["HOSTILE_MEMORY"] = "hunter4-secret" });

        Assert.Equal(1, run.ExitCode);
        Assert.DoesNotContain("hunter", run.Out + run.Error, StringComparison.Ordinal);
        Assert.Contains("`${file(./secrets.yml):cpu}` (its value is not shown)", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_with_a_syntax_error_is_located_but_its_lines_are_not_quoted()
    {
        File.WriteAllText(Path.Combine(_folder.FullName, "broken.yml"), "password: \"hunter5-secret\n");

        var run = Validate(Service + "      environment:\n        A: ${file(./broken.yml):password}\n");

        Assert.Contains("broken.yml:", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter5", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_outside_the_service_folder_is_read_with_a_warning_naming_it()
    {
        var outside = Path.Combine(Path.GetTempPath(), $"sls-fargate-outside-{Guid.NewGuid():N}.yml");
        File.WriteAllText(outside, "value: from-outside\n");
        try
        {
            var run = Validate(Service + $"      environment:\n        A: ${{file({outside}):value}}\n");

            Assert.Equal(0, run.ExitCode);
            Assert.Contains($"warning FG2010: `${{file({outside})}}` reads {outside}, outside the service's folder", run.Out, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(outside);
        }
    }

    [Fact]
    public void File_variables_through_a_link_loop_fail_and_through_a_dangling_link_take_the_fallback()
    {
        File.CreateSymbolicLink(Path.Combine(_folder.FullName, "loop1"), "loop2");
        File.CreateSymbolicLink(Path.Combine(_folder.FullName, "loop2"), "loop1");
        File.CreateSymbolicLink(Path.Combine(_folder.FullName, "dangling"), "missing.yml");

        var run = Validate(Service + "      environment:\n        A: ${file(./dangling), 'fallback'}\n        B: ${file(./loop1), 'fallback'}\n");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("serverless.yml:12:12: error FG2006: `${file(./loop1)}` cannot be read", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("serverless.yml:11:", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void A_dangling_link_as_the_configuration_is_a_usage_error()
    {
        File.CreateSymbolicLink(Path.Combine(_folder.FullName, "serverless.yml"), "nowhere.yml");

        var run = CliRunner.Run(_folder.FullName, "validate", ".");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("a symbolic link to nowhere.yml, which does not exist", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Thirty_thousand_nested_brackets_stop_at_the_depth_limit()
    {
        var run = Validate(Service + "      command: " + new string('[', 30_000) + new string(']', 30_000) + "\n");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("error FG0011: lists and maps nest more than 64 levels deep", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void A_billion_laughs_file_stops_at_the_expansion_limit()
    {
        var yaml = new StringBuilder("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (var level = 1; level < 9; level++)
        {
            yaml.Append($"a{level}: &a{level} [{string.Join(", ", Enumerable.Repeat($"*a{level - 1}", 9))}]\n");
        }

        var run = Validate(yaml + Service);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("error FG0011: with its aliases expanded this holds", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void A_chain_of_thirty_thousand_references_stops_at_the_depth_limit()
    {
        var yaml = new StringBuilder("custom:\n");
        for (var i = 0; i < 30_000; i++)
        {
            yaml.Append($"  v{i}: ${{self:custom.v{i + 1}}}\n");
        }
        yaml.Append("  v30000: end\n");

        var run = Validate(yaml + Service + "      environment:\n        A: ${self:custom.v0}\n");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("error FG2008: following this variable leads through more than 200 others", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Ten_thousand_nested_variables_stop_at_the_depth_limit()
    {
        var nested = string.Concat(Enumerable.Repeat("${self:custom.", 10_000)) + "k" + new string('}', 10_000);

        var run = Validate("custom:\n  k: v\n" + Service + "      environment:\n        A: " + nested + "\n");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("error FG2008: this value nests variables inside variables more than 200 levels deep", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_doubled_thirty_times_stops_at_the_size_limit()
    {
        var yaml = new StringBuilder("custom:\n  b0: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n");
        for (var i = 0; i < 30; i++)
        {
            yaml.Append($"  b{i + 1}: ${{self:custom.b{i}}}${{self:custom.b{i}}}\n");
        }

        var run = Validate(yaml + Service + "      environment:\n        A: ${self:custom.b30}\n");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("error FG2009: this value grows past 1,000,000 characters", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Sixty_thousand_keys_in_one_map_validate()
    {
        var yaml = new StringBuilder("custom:\n");
        for (var i = 0; i < 60_000; i++)
        {
            yaml.Append($"  k{i}: v{i}\n");
        }

        var run = Validate(yaml + Service);

        Assert.Equal(0, run.ExitCode);
        Assert.EndsWith("serverless.yml: valid, 1 task\n", run.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cpu: 1024.0|memory: 2048", "\"Cpu\": \"1024\"")]
    [InlineData("service: {desiredCount: 3.0}", "\"DesiredCount\": 3,")]
    [InlineData("service: {desiredCount: 1e1}", "\"DesiredCount\": 10,")]
    [InlineData("service: {minimumHealthyPercent: 50.0}", "\"MinimumHealthyPercent\": 50,")]
    public void A_whole_number_written_as_a_float_is_that_number(string task, string expected)
    {
        File.WriteAllText(Path.Combine(_folder.FullName, "serverless.yml"), Configs.WithTaskLines(task.Split('|')));

        var run = CliRunner.Run(_folder.FullName, "package", ".", "--out", "-");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains(expected, run.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("service: {desiredCount: -2147483649}", "error FG1006")]
    [InlineData("service: {autoscaling: {min: 1, max: 99999999999, cpu: 50}}", "error FG1006")]
    [InlineData("service: {desiredCount: 2.5}", "error FG1002")]
    [InlineData("logRetentionInDays: 7.0", "error FG1001")]
    public void A_number_out_of_range_or_not_whole_is_a_diagnostic(string task, string expected)
    {
        var run = Validate(Configs.WithTaskLines(task.Split('|')));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(expected, run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void A_fargate_level_retention_written_as_a_float_is_that_number()
    {
        File.WriteAllText(Path.Combine(_folder.FullName, "serverless.yml"),
            Service.Replace("  vpc:", "  logRetentionInDays: 7.0\n  vpc:", StringComparison.Ordinal));

        var run = CliRunner.Run(_folder.FullName, "package", ".", "--out", "-");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("\"RetentionInDays\": 7", run.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a-file", "cannot write")]
    [InlineData("a-file/inside", "cannot write")]
    [InlineData("/dev/null", "cannot write")]
    [InlineData("", "--out needs a folder")]
    public void An_out_folder_that_cannot_be_written_is_a_usage_error_and_writes_nothing(string outFolder, string expected)
    {
        File.WriteAllText(Path.Combine(_folder.FullName, "serverless.yml"), Service);
        File.WriteAllText(Path.Combine(_folder.FullName, "a-file"), "keep me");

        var run = CliRunner.Run(_folder.FullName, "package", ".", "--out", outFolder);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", run.Error, StringComparison.Ordinal);
        Assert.Equal("keep me", File.ReadAllText(Path.Combine(_folder.FullName, "a-file")));
        Assert.Equal(["a-file", "serverless.yml"], Directory.GetFileSystemEntries(_folder.FullName).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_standard_output_that_cannot_be_written_is_a_write_error_not_a_bug()
    {
        File.WriteAllText(Path.Combine(_folder.FullName, "serverless.yml"), Service);
        var stderr = new StringWriter();

        var code = Cli.CliApp.Run(["package", ".", "--out", "-"], new FullWriter(), stderr,
            new Cli.CliEnvironment(_folder.FullName, _ => null));

        Assert.Equal(2, code);
        Assert.Contains("cannot write the template to standard output: No space left on device", stderr.ToString(), StringComparison.Ordinal);
    }

    /// <summary>Standard output on a full disk (what `> /dev/full` gives).</summary>
    private sealed class FullWriter : TextWriter
    {
        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value) => throw new IOException("No space left on device");

        public override void Write(string? value) => throw new IOException("No space left on device");
    }
}
