using ServerlessFargate.Diagnostics;

namespace ServerlessFargate.Rules;

/// <summary>FG3002: <c>memory</c> is MiB as a number, or a size in GB (<c>0.5GB</c>, <c>2 GB</c>).</summary>
internal sealed class MemorySizeRule() : Rule(new("FG3002", "memory is not a size", Severity.Error,
    "`memory` is not a size: MiB as a number (`2048`) or GB as `2GB` or `2 GB`.",
    Source: null))
{
    public override void Check(RuleContext context, DiagnosticBag diagnostics)
    {
        // A fargate-level value shared by several tasks is one problem, reported once.
        foreach (var group in context.Tasks.Where(t => t.MemoryMiB is null).GroupBy(t => t.Memory.Span))
        {
            var task = group.First();
            diagnostics.Error(Descriptor, task.Memory.Span,
                $"memory `{task.Memory.Value}` is not a size; write MiB as a number (`2048`) or GB as `2GB` or `2 GB`",
                group.Count() == 1 ? $"fargate.tasks.{task.Key}.memory" : "fargate.memory");
        }
    }
}
