using ServerlessFargate.Diagnostics;
using ServerlessFargate.Model;
using ServerlessFargate.Variables;

namespace ServerlessFargate.Rules;

/// <summary>
/// FG3007: a logical ID or output name the compiled template holds is already used in the stack:
/// by a function (the framework's IDs for it), by the user's <c>resources</c>, or by the template
/// being merged into. Either would silently overwrite the other.
/// </summary>
internal sealed class ExistingIdCollisionRule() : Rule(new("FG3007", "logical ID already used in the stack", Severity.Error,
    "A logical ID or output name sls-fargate generates is already used in the stack: by the service's `resources`, by a function's generated resources, or by the template given to `--merge-into`. One would silently overwrite the other.",
    Source: null))
{
    public override void Check(RuleContext context, DiagnosticBag diagnostics)
    {
        var taken = new Dictionary<string, TakenId>(StringComparer.Ordinal);
        foreach (var id in context.TakenIds)
        {
            taken.TryAdd(id.Id, id);
        }
        var tasks = context.Tasks.ToDictionary(t => t.Key, StringComparer.Ordinal);
        foreach (var (id, owner) in context.Compiled.Owners)
        {
            if (!taken.TryGetValue(id, out var existing))
            {
                continue;
            }
            if (owner is null || !tasks.TryGetValue(owner, out var task))
            {
                diagnostics.Error(Descriptor, existing.Span,
                    $"`{id}` is a logical ID sls-fargate generates, and {existing.Owner} already uses it; rename it there");
                continue;
            }
            diagnostics.Error(Descriptor, task.Name.Span,
                $"task `{task.Name.Value}` generates the logical ID `{id}`, which {existing.Owner} already uses (line {existing.Span.Line} of {existing.Span.File.DisplayPath}); rename the task with `name:` or rename the other",
                $"fargate.tasks.{task.Key}");
        }
    }

    /// <summary>The IDs the Serverless Framework gives each function, which the stack then holds.</summary>
    public static IEnumerable<TakenId> FunctionIds(IEnumerable<Located<string>> functions) =>
        functions.SelectMany(f => LogicalIds.FunctionIds(f.Value).Select(id => new TakenId(id, f.Span, $"the function `{f.Value}`")));
}
