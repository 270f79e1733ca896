using ServerlessFargate.Diagnostics;
using ServerlessFargate.Model;

namespace ServerlessFargate.Rules;

/// <summary>
/// FG3006: two parts of the configuration generate the same logical ID, and one would overwrite
/// the other: tasks whose names reduce to one <c>&lt;Id&gt;</c> (<c>my-task</c> and <c>mytask</c>),
/// or a task whose IDs meet another's (<c>x</c> with a schedule beside a task <c>xScheduled</c>)
/// or an image parameter's. Read from the compiled template, so every ID the compiler writes is seen.
/// </summary>
internal sealed class TaskIdCollisionRule() : Rule(new("FG3006", "two tasks map to one logical ID", Severity.Error,
    "Two tasks that generate the same logical ID, such as names that reduce to one prefix (`my-task` and `mytask` both give `Mytask`), or a task's ID that another task or an image parameter also takes; one would overwrite the other.",
    Source: null))
{
    public override void Check(RuleContext context, DiagnosticBag diagnostics)
    {
        var tasks = context.Tasks.ToDictionary(t => t.Key, StringComparer.Ordinal);
        // One report per pair of tasks: two tasks with the same <Id> clash on every resource.
        foreach (var clash in context.Compiled.Clashes.DistinctBy(c => (c.FirstTask, c.SecondTask)))
        {
            if (clash.SecondTask is not { } key || !tasks.TryGetValue(key, out var task) || task.Id.Length == 0)
            {
                continue; // Shared resources never clash with each other; EcsNameRule reports names without an <Id>.
            }
            if (clash.FirstTask is null)
            {
                var shared = context.Compiled.Template.Parameters.ContainsKey(clash.Id) ? "an image parameter" : "a resource all tasks share";
                diagnostics.Error(Descriptor, task.Name.Span,
                    $"task `{task.Name.Value}` generates the logical ID `{clash.Id}`, which sls-fargate also generates as {shared}; rename the task with `name:`",
                    $"fargate.tasks.{task.Key}");
                continue;
            }
            var first = tasks[clash.FirstTask];
            var message = first.Id == task.Id
                ? $"tasks `{first.Name.Value}` (line {first.Name.Span.Line}) and `{task.Name.Value}` both give the logical ID prefix `{task.Id}`, so one would overwrite the other; rename one of them"
                : $"tasks `{first.Name.Value}` (line {first.Name.Span.Line}) and `{task.Name.Value}` both generate the logical ID `{clash.Id}`, so one would overwrite the other; rename one of them";
            diagnostics.Error(Descriptor, task.Name.Span, message, $"fargate.tasks.{task.Key}");
        }
    }
}
