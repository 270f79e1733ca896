using ServerlessFargate.CloudFormation;
using ServerlessFargate.Diagnostics;
using ServerlessFargate.Rules;
using ServerlessFargate.Schema;
using ServerlessFargate.Variables;
using ServerlessFargate.Yaml;

namespace ServerlessFargate;

/// <summary>
/// Every diagnostic id the engine can report, gathered from where each is declared: FG0xxx by
/// the YAML loader and the merge-template reader, FG1xxx by the schema stage, FG2xxx by the
/// variable resolver, FG3xxx by the rules. Ids are stable: never reuse or renumber one.
/// </summary>
public static class DiagnosticCatalog
{
    public static IEnumerable<DiagnosticDescriptor> Descriptors =>
        YamlDiagnostics.All
            .Concat(MergeTemplate.Descriptors)
            .Concat(SchemaDiagnostics.All)
            .Concat(VariableDiagnostics.All)
            .Concat(RuleSet.Descriptors)
            .DistinctBy(d => d.Id)
            .OrderBy(d => d.Id, StringComparer.Ordinal);

    /// <summary>Ids no longer reported, and why; they keep their place in the docs and are never given to another problem.</summary>
    public static IReadOnlyList<RetiredId> Retired { get; } =
    [
        new("FG0008", "a missing input file is a usage error (exit code 2), not a diagnostic"),
    ];
}

/// <summary>An id that is no longer reported.</summary>
public sealed record RetiredId(string Id, string Reason);
