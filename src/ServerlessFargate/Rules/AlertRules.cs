using System.Text.RegularExpressions;
using ServerlessFargate.Diagnostics;
using ServerlessFargate.Model;

namespace ServerlessFargate.Rules;

/// <summary>
/// Alerts are written once (fargate level) and inherited by every task: their rules report each
/// place they are written once, not once per task.
/// </summary>
internal abstract class AlertsRule(DiagnosticDescriptor descriptor) : Rule(descriptor)
{
    public sealed override void Check(RuleContext context, DiagnosticBag diagnostics)
    {
        var seen = new HashSet<SourceSpan>();
        foreach (var task in context.Tasks)
        {
            if (task.Alerts is { } alerts && seen.Add(alerts.Span))
            {
                Check(alerts, diagnostics);
            }
        }
    }

    protected abstract void Check(AlertSettings alerts, DiagnosticBag diagnostics);
}

/// <summary>FG3044: alerts that go nowhere.</summary>
internal sealed class AlertTargetRule() : AlertsRule(new("FG3044", "alerts with nowhere to go", Severity.Error,
    "`alerts` that alert on something but give neither `email` nor `topicArn`: nobody would hear of the failure.",
    Source: null))
{
    protected override void Check(AlertSettings alerts, DiagnosticBag diagnostics)
    {
        if (alerts.Any && alerts.Emails.Count == 0 && alerts.TopicArn is null)
        {
            diagnostics.Error(Descriptor, alerts.Span,
                "`alerts` give neither `email` nor `topicArn`, so nobody would hear of a failure; add `email: [you@example.com]`, or `on: []` to turn them off",
                alerts.Path);
        }
    }
}

/// <summary>FG3045: an e-mail address SNS cannot send to.</summary>
internal sealed partial class AlertEmailRule() : AlertsRule(new("FG3045", "e-mail address that is not one", Severity.Error,
    "An `alerts.email` entry that is not an e-mail address (LOCAL@DOMAIN, the domain with a dot): SNS refuses the subscription and the stack fails to deploy.",
    Source: "https://docs.aws.amazon.com/sns/latest/dg/sns-email-notifications.html"))
{
    // Deliberately plain: one @, no spaces or angle brackets, a dotted domain. "Ops <ops@example.com>"
    // is the mistake this catches most.
    [GeneratedRegex(@"^[^@\s<>()\[\],;:""]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")]
    private static partial Regex Address();

    [GeneratedRegex(@"<([^<>\s]+@[^<>\s]+)>")]
    private static partial Regex Bracketed();

    protected override void Check(AlertSettings alerts, DiagnosticBag diagnostics)
    {
        for (var index = 0; index < alerts.Emails.Count; index++)
        {
            var email = alerts.Emails[index];
            // A task with alerts of its own may still take fargate's addresses: say it once.
            if (Address().IsMatch(email.Value) || diagnostics.Items.Any(d => d.Descriptor == Descriptor && d.Span == email.Span))
            {
                continue;
            }
            var inner = Bracketed().Match(email.Value) is { Success: true } match && Address().IsMatch(match.Groups[1].Value) ? match.Groups[1].Value : null;
            diagnostics.Error(Descriptor, email.Span,
                $"`{email.Value}` is not an e-mail address; write the address alone" + (inner is null ? ", such as `ops@example.com`" : $": `{inner}`"),
                $"{alerts.EmailsPath}[{index}]", inner);
        }
    }
}

/// <summary>FG3048 (a warning): <c>on: [deployment]</c> for a task that is not a service.</summary>
internal sealed class DeploymentAlertRule() : TaskRule(new("FG3048", "deployment alerts on a task that is not a service", Severity.Warning,
    "`alerts.on` lists `deployment` for a task that is no service (scheduled, started by events, or standalone): only services are deployed, so there is nothing to alert on.",
    Source: null))
{
    protected override void Check(TaskModel task, RuleContext context, DiagnosticBag diagnostics)
    {
        // Fargate-level alerts reach every task; only a task's own `on: [deployment]` is a mistake.
        if (task.Alerts is { OnDeployment: true } alerts && task.Kind is not TaskKind.Service && alerts.Path != "fargate.alerts")
        {
            diagnostics.Warning(Descriptor, alerts.Span,
                $"task `{task.Key}` is not a service, so it has no deployments to alert on; `on: [failure]` is what applies to it",
                alerts.Path);
        }
    }
}
