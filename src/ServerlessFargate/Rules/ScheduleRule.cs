using ServerlessFargate.Diagnostics;
using ServerlessFargate.Model;

namespace ServerlessFargate.Rules;

/// <summary>FG3003: schedule expressions EventBridge accepts.</summary>
internal sealed class ScheduleRule : IRule
{
    public void Check(RuleContext context, DiagnosticBag diagnostics)
    {
        foreach (var task in context.Model.Tasks)
        {
            if (task.Kind is TaskKind.Scheduled schedule && ScheduleExpression.Problem(schedule.Expression.Value) is { } problem)
            {
                diagnostics.Error(DiagnosticCatalog.Schedule, schedule.Expression.Span,
                    $"schedule `{schedule.Expression.Value}` is not valid: {problem}",
                    $"fargate.tasks.{task.Key}.schedule");
            }
        }
    }
}
