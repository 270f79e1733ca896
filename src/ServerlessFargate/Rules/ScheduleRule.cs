using ServerlessFargate.Diagnostics;
using ServerlessFargate.Model;

namespace ServerlessFargate.Rules;

/// <summary>FG3003: schedule expressions EventBridge accepts; FG3023: time zones Scheduler knows.</summary>
internal sealed class ScheduleRule : IRule
{
    public void Check(RuleContext context, DiagnosticBag diagnostics)
    {
        foreach (var task in context.Model.Tasks)
        {
            var path = $"fargate.tasks.{task.Key}.schedule";
            if (task.Kind is TaskKind.Scheduled schedule && ScheduleExpression.Problem(schedule.Expression.Value) is { } problem)
            {
                diagnostics.Error(DiagnosticCatalog.Schedule, schedule.Expression.Span,
                    $"schedule `{schedule.Expression.Value}` is not valid: {problem}", path);
            }
            if (task.Kind is not TaskKind.Schedules schedules)
            {
                continue;
            }
            foreach (var entry in schedules.Entries)
            {
                if (ScheduleExpression.Problem(entry.Expression.Value, allowAt: true) is { } entryProblem)
                {
                    diagnostics.Error(DiagnosticCatalog.Schedule, entry.Expression.Span,
                        $"schedule `{entry.Expression.Value}` is not valid: {entryProblem}", path);
                }
            }
            foreach (var zone in schedules.Entries.Select(e => e.TimeZone).OfType<Located<string>>().DistinctBy(z => z.Span))
            {
                if (!TimeZones.Contains(zone.Value))
                {
                    var suggestion = Schema.SchemaValidator.Suggest(zone.Value, TimeZones.Names);
                    diagnostics.Error(DiagnosticCatalog.TimeZone, zone.Span,
                        $"`{zone.Value}` is not an IANA time zone name" + (suggestion is not null ? $"; did you mean `{suggestion}`?" : "; write one such as `Europe/London` or `America/New_York`"),
                        path + ".timezone");
                }
            }
        }
    }
}
