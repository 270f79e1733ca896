using System.Text;

namespace ServerlessFargate.Tests;

/// <summary>
/// One folder per case under tests/golden: a serverless.yml (and any files it reads) beside the
/// expected output. Optional: <c>args</c> (extra command-line arguments, one line), <c>env</c>
/// (KEY=VALUE lines for ${env:}), <c>merge-into.json</c> (runs package --merge-into).
/// A case expects <c>expected.template.json</c> when packaging succeeds and
/// <c>expected.diagnostics.txt</c> whenever anything is reported; a missing expected file fails.
/// To regenerate after an intended change: <c>UPDATE_GOLDEN=1 dotnet test</c>, then read the diff.
/// </summary>
public sealed class GoldenTests
{
    public const string TemplateFile = "expected.template.json";
    public const string DiagnosticsFile = "expected.diagnostics.txt";

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

        Compare(folder, TemplateFile, result.ExitCode == 0 && result.Out.Length > 0 ? result.Out : null, update);
        Compare(folder, DiagnosticsFile, result.Error.Length > 0 ? result.Error : null, update);
        Assert.True(result.ExitCode is 0 or 1, $"exit code {result.ExitCode}: {result.Error}");
    }

    internal static CliRun RunCase(string name)
    {
        var folder = Path.Combine(RepositoryPaths.Golden, name);
        var args = new List<string> { "package", ".", "--out", "-" };
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
        return CliRunner.Run(folder, environment, [.. args]);
    }

    private static void Compare(string folder, string fileName, string? actual, bool update)
    {
        var path = Path.Combine(folder, fileName);
        if (update)
        {
            if (actual is null)
            {
                File.Delete(path);
            }
            else
            {
                File.WriteAllText(path, actual, new UTF8Encoding(false));
            }
            return;
        }
        if (actual is null)
        {
            Assert.False(File.Exists(path), $"{fileName} exists, but the run produced no such output");
            return;
        }
        Assert.True(File.Exists(path), $"{Path.GetFileName(folder)}/{fileName} is missing; the run produced:\n{actual}\n(UPDATE_GOLDEN=1 dotnet test writes it)");
        Assert.Equal(File.ReadAllText(path), actual);
    }
}
