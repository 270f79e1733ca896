using ServerlessFargate.Diagnostics;

namespace ServerlessFargate.Tests;

public sealed class DiagnosticCatalogTests
{
    [Fact]
    public void Every_diagnostic_id_is_explained_in_docs_diagnostics_md()
    {
        var docs = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "diagnostics.md"));

        var undocumented = DiagnosticCatalog.Descriptors.Where(d => !docs.Contains($"\n## {d.Id}\n", StringComparison.Ordinal)).Select(d => d.Id);

        Assert.Empty(undocumented);
    }

    [Fact]
    public void Ids_follow_the_ranges_of_the_spec()
    {
        foreach (var descriptor in DiagnosticCatalog.Descriptors)
        {
            Assert.Matches("^FG[0-3][0-9]{3}$", descriptor.Id);
            Assert.False(string.IsNullOrWhiteSpace(descriptor.Title));
        }
    }
}
