using ServerlessFargate.Diagnostics;
using ServerlessFargate.Yaml;

namespace ServerlessFargate.Schema;

/// <summary>
/// FG1007: the seed blog post's <c>vpc.subnets</c> and <c>vpc.securityGroups</c> still work, as
/// older names of <c>subnetIds</c> and <c>securityGroupIds</c>: a warning, or an error when a
/// block gives both names and one would silently win.
/// </summary>
public static class DeprecatedKeys
{
    /// <summary>Older names of <c>vpc</c> keys, and their current names.</summary>
    internal static readonly (string Old, string Current)[] Renamed = [("subnets", "subnetIds"), ("securityGroups", "securityGroupIds")];

    public static void Check(YNode? fargate, DiagnosticBag diagnostics)
    {
        if (fargate is not YMapping block)
        {
            return;
        }
        CheckVpc(block.Get("vpc") as YMapping, "fargate.vpc", diagnostics);
        if (block.Get("tasks") is YMapping tasks)
        {
            foreach (var task in tasks.Entries)
            {
                CheckVpc((task.Value as YMapping)?.Get("vpc") as YMapping, $"fargate.tasks.{task.Key.Value}.vpc", diagnostics);
            }
        }
    }

    private static void CheckVpc(YMapping? vpc, string path, DiagnosticBag diagnostics)
    {
        foreach (var (old, current) in Renamed)
        {
            if (vpc?.GetEntry(old) is not { } entry)
            {
                continue;
            }
            if (vpc.GetEntry(current) is not null)
            {
                diagnostics.Error(SchemaDiagnostics.Deprecated, entry.Key.Span,
                    $"`{old}` and `{current}` are both given; `{old}` is the older name of `{current}`, keep one", path);
            }
            else
            {
                diagnostics.Warning(SchemaDiagnostics.Deprecated, entry.Key.Span,
                    $"`{old}` is deprecated; rename it to `{current}`", path, suggestion: current);
            }
        }
    }
}
