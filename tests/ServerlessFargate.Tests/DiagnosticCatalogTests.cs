using System.Text.RegularExpressions;
using ServerlessFargate.Diagnostics;
using ServerlessFargate.Schema;
using ServerlessFargate.Yaml;

namespace ServerlessFargate.Tests;

public sealed class DiagnosticCatalogTests
{
    [Fact]
    public void Ids_follow_the_ranges_of_the_spec_and_are_declared_once()
    {
        foreach (var descriptor in DiagnosticCatalog.Descriptors)
        {
            Assert.Matches("^FG[0-3][0-9]{3}$", descriptor.Id);
            Assert.False(string.IsNullOrWhiteSpace(descriptor.Title));
            Assert.StartsWith(ProjectInfo.DiagnosticsDocs + "#", descriptor.Help, StringComparison.Ordinal);
        }
        var reused = DiagnosticCatalog.Retired.Select(r => r.Id).Intersect(DiagnosticCatalog.Descriptors.Select(d => d.Id)).ToList();
        Assert.True(reused.Count == 0, $"retired ids are declared again: {string.Join(", ", reused)}");
        var declarations = Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/obj/"))
            .SelectMany(f => Regex.Matches(File.ReadAllText(f), "new\\(\"(FG[0-9]{4})\"").Select(m => m.Groups[1].Value))
            .ToList();
        Assert.Equal(declarations.Distinct().Count(), declarations.Count);
    }

    /// <summary>
    /// A description is a sentence or two, ending as a sentence does; a source is an AWS page
    /// (cfn-lint's rules carry one the same way), or null where the id encodes no AWS fact.
    /// </summary>
    [Fact]
    public void Every_descriptor_describes_itself_and_cites_an_AWS_page_or_none()
    {
        foreach (var descriptor in DiagnosticCatalog.Descriptors)
        {
            Assert.True(descriptor.Description.Length is > 20 and < 400 && descriptor.Description.EndsWith('.'),
                $"{descriptor.Id}'s description is not a sentence or two: {descriptor.Description}");
            Assert.DoesNotContain('\n', descriptor.Description);
            if (descriptor.Source is not null)
            {
                Assert.Matches("^https://(docs\\.)?aws\\.amazon\\.com/", descriptor.Source);
            }
        }
    }

    /// <summary>
    /// The default severity the docs and SARIF show is one the id is reported with: every id some
    /// golden case reports is reported there with its default severity at least once.
    /// </summary>
    [Fact]
    public void Every_default_severity_is_one_the_id_is_reported_with()
    {
        var reported = Directory.EnumerateFiles(RepositoryPaths.Golden, GoldenTests.DiagnosticsFile, SearchOption.AllDirectories)
            .SelectMany(f => Regex.Matches(File.ReadAllText(f), "(error|warning|notice) (FG[0-9]{4}):").Select(m => (Id: m.Groups[2].Value, Severity: m.Groups[1].Value)))
            .ToLookup(r => r.Id, r => r.Severity);

        var wrong = DiagnosticCatalog.Descriptors
            .Where(d => reported.Contains(d.Id) && !reported[d.Id].Contains(d.DefaultSeverity.Name()))
            .Select(d => $"{d.Id} ({d.DefaultSeverity.Name()}; reported as {string.Join(", ", reported[d.Id].Distinct())})");
        Assert.Empty(wrong);
    }

    /// <summary>
    /// Every id the engine can report is produced by some test input: a golden case's expected
    /// diagnostics, a firing row of the rule tables, or the schema fallback test below.
    /// </summary>
    [Fact]
    public void Every_id_in_the_catalog_is_produced_by_a_test_input()
    {
        var produced = Directory.EnumerateFiles(RepositoryPaths.Golden, GoldenTests.DiagnosticsFile, SearchOption.AllDirectories)
            .SelectMany(f => Regex.Matches(File.ReadAllText(f), "(?:error|warning|notice) (FG[0-9]{4}):").Select(m => m.Groups[1].Value))
            .Concat(RuleTableTests.FiringIds())
            .Concat(HostileInputTests.ProducedIds)
            .Append(SchemaDiagnostics.Other.Id)
            .ToHashSet(StringComparer.Ordinal);

        var neverProduced = DiagnosticCatalog.Descriptors.Select(d => d.Id).Where(id => !produced.Contains(id)).ToList();
        Assert.True(neverProduced.Count == 0, $"no test input produces {string.Join(", ", neverProduced)}");
    }

    /// <summary>FG1008 words schema keywords the validator has no message for; the shipped schema uses none, so a test schema does.</summary>
    [Fact]
    public void A_schema_keyword_without_its_own_wording_is_FG1008()
    {
        var schema = new LoadedSchema("""{"type": "object", "properties": {"count": {"type": "integer", "multipleOf": 2}}}""");
        var file = new SourceFile("serverless.yml", "count: 3\n");
        var node = YamlLoader.Load(file, new DiagnosticBag())!;
        var diagnostics = new DiagnosticBag();

        SchemaValidator.Validate(schema, node, "fargate", diagnostics);

        var diagnostic = Assert.Single(diagnostics.Items);
        Assert.Equal(SchemaDiagnostics.Other, diagnostic.Descriptor);
        Assert.Equal((1, 8), (diagnostic.Span.Line, diagnostic.Span.Column));
    }
}
