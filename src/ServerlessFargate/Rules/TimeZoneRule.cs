using ServerlessFargate.Diagnostics;
using ServerlessFargate.Model;
using ServerlessFargate.Schema;

namespace ServerlessFargate.Rules;

/// <summary>FG3023: EventBridge Scheduler takes IANA time zone names (the shipped list in time-zones.txt).</summary>
internal sealed class TimeZoneRule() : TaskRule(new("FG3023", "unknown time zone", Severity.Error,
    "A `timezone` that is not an IANA time zone name, which EventBridge Scheduler would refuse; the message suggests the closest name.",
    Source: "https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html"))
{
    protected override void Check(TaskModel task, RuleContext context, DiagnosticBag diagnostics)
    {
        if (task.Kind is not TaskKind.Schedules schedules)
        {
            return;
        }
        // rate: [a, b] gives two schedules that share one timezone key: report it once.
        foreach (var zone in schedules.Entries.Select(e => e.Schedule.TimeZone).OfType<Located<string>>().DistinctBy(z => z.Span))
        {
            if (!TimeZones.Contains(zone.Value))
            {
                var suggestion = DidYouMean.Closest(zone.Value, TimeZones.Names);
                diagnostics.Error(Descriptor, zone.Span,
                    $"`{zone.Value}` is not an IANA time zone name" + (suggestion is not null ? $"; did you mean `{suggestion}`?" : "; write one such as `Europe/London` or `America/New_York`"),
                    $"fargate.tasks.{task.Key}.schedule.timezone", suggestion);
            }
        }
    }
}
