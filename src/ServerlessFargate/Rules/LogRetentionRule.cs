using ServerlessFargate.Diagnostics;
using ServerlessFargate.Model;

namespace ServerlessFargate.Rules;

/// <summary>
/// FG3034 (a notice): the generated log group has no retention, and CloudWatch Logs keeps its
/// events forever unless a retention is set (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Working-with-log-groups-and-streams.html#SettingLogRetention).
/// The reference sets none, so neither do we: a notice, not a new default.
/// </summary>
internal sealed class LogRetentionRule() : Rule(new("FG3034", "the log group keeps logs forever", Severity.Notice,
    "The generated log group FargateTasksLogGroup has no `logRetentionInDays`, so CloudWatch Logs keeps the tasks' logs forever (and bills for them). Set `fargate.logRetentionInDays` to one of the values CloudWatch Logs takes (1, 3, 5, 7, 14, 30, 60, 90, …). `validate` prints it, `package` does not.",
    Source: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Working-with-log-groups-and-streams.html#SettingLogRetention") { QuietInPackage = true })
{
    public override void Check(RuleContext context, DiagnosticBag diagnostics)
    {
        if (context.Tasks.Count == 0 || context.Model.Cluster.LogRetentionInDays is not null
            || !context.Compiled.Template.Resources.ContainsKey(LogicalIds.LogGroup))
        {
            return;
        }
        diagnostics.Notice(Descriptor, context.Model.FargateKeySpan,
            $"the log group {LogicalIds.LogGroup} keeps the tasks' logs forever: no `logRetentionInDays` is set. To have CloudWatch Logs delete older events, set e.g. `logRetentionInDays: 30` under `fargate` (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365 … days)",
            "fargate");
    }
}
