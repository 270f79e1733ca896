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
}
