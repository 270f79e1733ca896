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
internal sealed class DeploymentAlertRule() : TaskRule(new("FG3048", "deployment alerts that would never come", Severity.Warning,
    "`alerts.on` lists `deployment` for a task that is no service (scheduled, started by events, or standalone), or for a service whose circuit breaker is off: only services are deployed, and ECS reports a failed deployment only when the circuit breaker gives up.",
    Source: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_service_deployment_events.html"))
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
        // ECS sends SERVICE_DEPLOYMENT_FAILED only for services with the circuit breaker on:
        // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_service_deployment_events.html
        else if (task.Alerts is { OnDeployment: true } withBreaker && task.Kind is TaskKind.Service { CircuitBreaker: false })
        {
            diagnostics.Warning(Descriptor, task.ServiceKey ?? withBreaker.Span,
                $"task `{task.Key}` turns the circuit breaker off (`circuitBreaker: false`), and ECS tells of a failed deployment only when the breaker gives up, so its deployment alert would never come; remove `circuitBreaker: false`",
                $"fargate.tasks.{task.Key}.service");
        }
    }
}

/// <summary>
/// FG3049 (a notice): alerts sent to a topic the stack does not make (<c>topicArn</c>).
/// EventBridge publishes to an SNS topic only if the topic's access policy lets it. sls-fargate
/// leaves that policy alone: an AWS::SNS::TopicPolicy replaces a topic's whole policy, and the
/// topic is not ours to change.
/// </summary>
internal sealed class AlertTopicPolicyRule() : AlertsRule(new("FG3049", "alerts sent to a topic that must let EventBridge publish", Severity.Notice,
    "`alerts.topicArn` names a topic sls-fargate does not make. EventBridge can publish to it only if the topic's access policy allows the service principal events.amazonaws.com `sns:Publish`; without that statement every alert is dropped and nothing says so. sls-fargate does not write the topic's policy, because an AWS::SNS::TopicPolicy replaces all of it.",
    Source: "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sns-permissions"))
{
    protected override void Check(AlertSettings alerts, DiagnosticBag diagnostics)
    {
        // The topic's value is not quoted: it may come from the environment or a file.
        if (alerts.Any && alerts.TopicArn is { } topic)
        {
            diagnostics.Notice(Descriptor, topic.Span,
                "EventBridge can publish the alerts to this topic only if its access policy allows it: add a statement that allows the service principal events.amazonaws.com the action sns:Publish on the topic (with the condition aws:SourceAccount set to this stack's account); sls-fargate leaves the topic's policy as it is",
                alerts.Path + ".topicArn");
        }
    }
}
