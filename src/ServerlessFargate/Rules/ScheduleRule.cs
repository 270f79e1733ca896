using ServerlessFargate.Diagnostics;
using ServerlessFargate.Model;

namespace ServerlessFargate.Rules;

/// <summary>FG3003: schedule expressions EventBridge accepts (rules) and Scheduler accepts (schedules, with <c>at()</c>).</summary>
internal sealed class ScheduleRule() : TaskRule(new("FG3003", "invalid schedule expression", Severity.Error,
    "A schedule expression that EventBridge (a `schedule` string) or EventBridge Scheduler (a `schedule` map or list, which also takes `at()`) would refuse when the stack is deployed; the message says which part is wrong.",
    Source: "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html"))
{
    protected override void Check(TaskModel task, RuleContext context, DiagnosticBag diagnostics)
    {
        var schedules = task.Kind switch
        {
            TaskKind.Scheduled rule => [rule.Schedule],
            TaskKind.Schedules many => many.Entries.Select(e => e.Schedule).ToList(),
            _ => [],
        };
        foreach (var (expression, _, form) in schedules)
        {
            if (form is ScheduleForm.Invalid problem)
            {
                var fix = problem.Suggestion is { } s && !problem.Message.Contains($"`{s}`", StringComparison.Ordinal) ? $"; write `{s}`" : "";
                diagnostics.Error(Descriptor, expression.Span,
                    $"schedule `{expression.Value}` is not valid: {problem.Message}{fix}", $"fargate.tasks.{task.Key}.schedule", problem.Suggestion);
            }
        }
    }
}
