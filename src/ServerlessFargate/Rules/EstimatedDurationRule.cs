using ServerlessFargate.Diagnostics;
using ServerlessFargate.Model;

namespace ServerlessFargate.Rules;

/// <summary>
/// FG3050: <c>estimatedDuration</c> is how long one run takes, for <c>sls-fargate cost</c>; it has
/// to be a duration the estimate can use (the same form as <c>cost --duration</c>).
/// </summary>
internal sealed class EstimatedDurationRule() : TaskRule(new("FG3050", "estimatedDuration is not a duration", Severity.Error,
    "A task's `estimatedDuration` that is not a number and a unit (s, m, h, d, w) or a sum of them such as `1h30m`, that is shorter than a second, or that is longer than ten years. `sls-fargate cost` multiplies it by the runs a month of the task's schedules.", Source: null))
{
    protected override void Check(TaskModel task, RuleContext context, DiagnosticBag diagnostics)
    {
        if (task.EstimatedDuration is not { } written)
        {
            return;
        }
        var path = $"fargate.tasks.{task.Key}.estimatedDuration";
        if (DurationText.Parse(written.Value, out var problem) is not { } run)
        {
            diagnostics.Error(Descriptor, written.Span, problem!, path);
        }
        else if (run < TimeSpan.FromSeconds(1))
        {
            diagnostics.Error(Descriptor, written.Span, $"`{written.Value}` is no time at all; write how long one run takes, e.g. 30s or 10m", path);
        }
    }
}
