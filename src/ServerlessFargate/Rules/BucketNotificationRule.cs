using ServerlessFargate.Diagnostics;
using ServerlessFargate.Model;

namespace ServerlessFargate.Rules;

/// <summary>
/// FG3060: an <c>s3</c> event on a bucket of this stack whose notification setting is a function
/// (<c>NotificationConfiguration: !If [...]</c>). sls-fargate turns a stack bucket's events on
/// by writing <c>EventBridgeConfiguration</c> into it, and CloudFormation takes no key beside a
/// function (cfn-lint E3002). Not a notice as for a bucket outside the stack (FG3047): the bucket
/// is the user's to fix in this very file, and a branch without the setting would deploy and
/// then never start the task. An <c>!If</c> whose every branch turns the events on passes.
/// </summary>
internal sealed class BucketNotificationRule() : TaskRule(new("FG3060", "a bucket's notifications under a function", Severity.Error,
    "An `s3` event on a bucket of this stack whose `NotificationConfiguration` (or its `EventBridgeConfiguration`) is a function such as `!If`; sls-fargate cannot add the EventBridge setting beside a function, and in a branch without it S3 sends no events, so the task would never start.",
    Source: "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-s3-bucket-eventbridgeconfiguration.html"))
{
    protected override void Check(TaskModel task, RuleContext context, DiagnosticBag diagnostics)
    {
        foreach (var taskEvent in task.Events)
        {
            if (taskEvent.Source is EventSource.S3 { StackBucket: { } bucket, StackBucketIntrinsic: { } at } s3)
            {
                diagnostics.Error(Descriptor, s3.Bucket.Span,
                    $"bucket `{bucket}` sends its events to EventBridge only with `EventBridgeConfiguration: {{EventBridgeEnabled: true}}` in its NotificationConfiguration, and its `{at}` is a function, beside which sls-fargate cannot write it; " +
                    "add it yourself in every branch (a branch that is `!Ref AWS::NoValue` becomes `{EventBridgeConfiguration: {EventBridgeEnabled: true}}`)",
                    $"fargate.tasks.{task.Key}.events[{taskEvent.Number - 1}].s3");
            }
        }
    }
}
