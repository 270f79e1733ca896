using System.Text;
using System.Text.RegularExpressions;

namespace ServerlessFargate.Tests;

/// <summary>
/// One folder per case under tests/golden: a serverless.yml (and any files it reads) beside the
/// expected output. Optional: <c>args</c> (extra command-line arguments, one line), <c>env</c>
/// (KEY=VALUE lines for ${env:}), <c>merge-into.json</c> (runs package --merge-into), <c>command</c>
/// (holding <c>validate</c>: runs validate instead of package; its report is the expected diagnostics;
/// holding <c>cost</c>: runs cost, whose estimate is <c>expected.cost.txt</c>).
/// A case expects <c>expected.template.json</c> (or <c>expected.cost.txt</c>) when its command succeeds and
/// <c>expected.diagnostics.txt</c> whenever anything is reported; a missing expected file fails.
/// To regenerate after an intended change: <c>UPDATE_GOLDEN=1 dotnet test</c>, then read the diff
/// and run the tests again without it. A run with UPDATE_GOLDEN fails every case it rewrote, so it
/// is never mistaken for a passing run.
/// </summary>
public sealed partial class GoldenTests
{
    public const string TemplateFile = "expected.template.json";
    public const string DiagnosticsFile = "expected.diagnostics.txt";
    public const string CostFile = "expected.cost.txt";

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var directory in Directory.GetDirectories(RepositoryPaths.Golden).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(directory));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Case_output_matches_expected(string name)
    {
        var result = RunCase(name);
        var folder = Path.Combine(RepositoryPaths.Golden, name);
        var update = Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1";

        var diagnostics = result.Error.Length > 0 ? MeasuredSize().Replace(result.Error, "the template is N bytes") : null;
        var outputFile = Command(folder) == "cost" ? CostFile : TemplateFile;
        if (update)
        {
            Rewrite(folder, outputFile, result.ExitCode == 0 && result.Out.Length > 0 ? result.Out : null);
            Rewrite(folder, DiagnosticsFile, diagnostics);
            Assert.Fail("UPDATE_GOLDEN is set: the expected files were rewritten; read the diff, then run the tests again without UPDATE_GOLDEN");
        }
        Compare(folder, outputFile, result.ExitCode == 0 && result.Out.Length > 0 ? result.Out : null);
        Compare(folder, DiagnosticsFile, diagnostics);
        Assert.True(result.ExitCode is 0 or 1, $"exit code {result.ExitCode}: {result.Error}");
    }

    /// <summary>
    /// FG3017 states the template's size, which every change to any resource moves; the goldens
    /// hold `N` in its place (TemplateLimitTests checks the number against the written file).
    /// </summary>
    [GeneratedRegex("the template is [0-9,]+ bytes")]
    private static partial Regex MeasuredSize();

    internal static CliRun RunCase(string name)
    {
        var folder = Path.Combine(RepositoryPaths.Golden, name);
        // A `command` file holding `validate` runs validate (whose report goes to stdout) instead of package.
        var validate = Command(folder) == "validate";
        var args = validate ? new List<string> { "validate", "." } : Command(folder) == "cost" ? ["cost", "."] : ["package", ".", "--out", "-"];
        var argsFile = Path.Combine(folder, "args");
        if (File.Exists(argsFile))
        {
            args.AddRange(File.ReadAllText(argsFile).Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries));
        }
        if (File.Exists(Path.Combine(folder, "merge-into.json")))
        {
            args.AddRange(["--merge-into", "merge-into.json"]);
        }
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        var envFile = Path.Combine(folder, "env");
        if (File.Exists(envFile))
        {
            foreach (var line in File.ReadAllLines(envFile).Where(l => l.Contains('=')))
            {
                environment[line[..line.IndexOf('=')]] = line[(line.IndexOf('=') + 1)..];
            }
        }
        var run = CliRunner.Run(folder, environment, [.. args]);
        return validate ? run with { Out = "", Error = run.Out } : run;
    }

    /// <summary>The case's <c>command</c> file, or null to package.</summary>
    private static string? Command(string folder) =>
        File.Exists(Path.Combine(folder, "command")) ? File.ReadAllText(Path.Combine(folder, "command")).Trim() : null;

    private static void Rewrite(string folder, string fileName, string? actual)
    {
        var path = Path.Combine(folder, fileName);
        if (actual is null)
        {
            File.Delete(path);
        }
        else
        {
            File.WriteAllText(path, actual, new UTF8Encoding(false));
        }
    }

    private static void Compare(string folder, string fileName, string? actual)
    {
        var path = Path.Combine(folder, fileName);
        if (actual is null)
        {
            Assert.False(File.Exists(path), $"{fileName} exists, but the run produced no such output");
            return;
        }
        Assert.True(File.Exists(path), $"{Path.GetFileName(folder)}/{fileName} is missing; the run produced:\n{actual}\n(UPDATE_GOLDEN=1 dotnet test writes it)");
        Assert.Equal(File.ReadAllText(path), actual);
    }
}
