using System.Text.Json.Nodes;

namespace ServerlessFargate.Tests;

/// <summary>
/// Advice that works: every suggested fix in the diagnostics corpus (the golden cases), put in
/// place of the text it points at, makes that diagnostic go away when the file is validated again.
/// </summary>
public sealed class SuggestionTests
{
    public static TheoryData<string> CasesWithSuggestions()
    {
        var data = new TheoryData<string>();
        foreach (var folder in Directory.GetDirectories(RepositoryPaths.Golden).Order(StringComparer.Ordinal))
        {
            if (File.Exists(Path.Combine(folder, GoldenTests.DiagnosticsFile)) && Suggestions(Validate(folder)).Any())
            {
                data.Add(Path.GetFileName(folder));
            }
        }
        return data;
    }

    [Fact]
    public void The_corpus_has_suggestions_to_apply() => Assert.True(CasesWithSuggestions().Count >= 5);

    [Theory]
    [MemberData(nameof(CasesWithSuggestions))]
    public void Applying_each_suggestion_removes_its_diagnostic(string name)
    {
        var source = Path.Combine(RepositoryPaths.Golden, name);
        foreach (var suggestion in Suggestions(Validate(source)))
        {
            // Given a copy of the case with one suggestion applied
            var copy = Directory.CreateTempSubdirectory("sls-fargate-suggestion-");
            try
            {
                foreach (var file in Directory.GetFiles(source))
                {
                    File.Copy(file, Path.Combine(copy.FullName, Path.GetFileName(file)));
                }
                var path = Path.Combine(copy.FullName, suggestion.File);
                var lines = File.ReadAllLines(path);
                var line = lines[suggestion.Line - 1];
                var original = line[(suggestion.Column - 1)..(suggestion.EndColumn - 1)];
                var quote = original.Length > 1 && original[0] is '"' or '\'' ? original[0].ToString() : "";
                lines[suggestion.Line - 1] = line[..(suggestion.Column - 1)] + quote + suggestion.Text + quote + line[(suggestion.EndColumn - 1)..];
                File.WriteAllLines(path, lines);

                // When it is validated again
                var after = Validate(copy.FullName);

                // Then that diagnostic is gone
                Assert.DoesNotContain(after, d => d.Id == suggestion.Id && d.Line == suggestion.Line);
            }
            finally
            {
                copy.Delete(recursive: true);
            }
        }
    }

    private sealed record Found(string Id, string File, int Line, int Column, int EndColumn, string? Text);

    private static IEnumerable<Found> Suggestions(IEnumerable<Found> diagnostics) =>
        diagnostics.Where(d => d.Text is not null && d.File == "serverless.yml");

    private static List<Found> Validate(string folder)
    {
        var args = new List<string> { "validate", ".", "--format", "json" };
        var argsFile = Path.Combine(folder, "args");
        if (File.Exists(argsFile))
        {
            args.AddRange(File.ReadAllText(argsFile).Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries).Where(a => a.StartsWith("--stage", StringComparison.Ordinal) || a.StartsWith("--region", StringComparison.Ordinal)));
        }
        var run = CliRunner.Run(folder, [.. args]);
        if (run.Out.Length == 0)
        {
            return [];
        }
        return [.. JsonNode.Parse(run.Out)!["diagnostics"]!.AsArray().Select(d => new Found(
            d!["id"]!.GetValue<string>(), d["file"]!.GetValue<string>(), d["line"]!.GetValue<int>(), d["column"]!.GetValue<int>(),
            d["endColumn"]!.GetValue<int>(), d["suggestion"]?.GetValue<string>()))];
    }
}
