using System.Text.Json.Nodes;
using ServerlessFargate.Diagnostics;
using ServerlessFargate.Model;

namespace ServerlessFargate.Rules;

/// <summary>
/// FG3059: <c>autoscaling.sqs.queue</c> names a logical ID the stack has, but not a queue: the
/// scaling policy reads <c>!GetAtt ID.QueueName</c>, which a bucket, a topic or a parameter does
/// not have (cfn-lint E1010). Checked wherever the stack's template is known (standalone, or
/// merged into the framework's); a name the stack lacks altogether is FG3028's.
/// </summary>
internal sealed class ScalingQueueRule() : TemplateRule(new("FG3059", "the queue to scale on is no queue", Severity.Error,
    "`autoscaling.sqs.queue` names a resource of the stack that is not an `AWS::SQS::Queue`, or a parameter; the scaling policy reads the queue's `QueueName` attribute, which only a queue has, so CloudFormation refuses the template.",
    Source: "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-sqs-queue.html"))
{
    private const string QueueType = "AWS::SQS::Queue";

    public override void Check(TemplateContext context, DiagnosticBag diagnostics)
    {
        foreach (var task in context.Model.Tasks)
        {
            if (task.Kind is not TaskKind.Service { Autoscaling.Queue: { Queue: { Value: QueueReference.LogicalId id } queue } })
            {
                continue;
            }
            var path = $"fargate.tasks.{task.Key}.service.autoscaling.sqs.queue";
            if ((context.Json["Parameters"] as JsonObject)?.ContainsKey(id.Value) == true)
            {
                diagnostics.Error(Descriptor, queue.Span,
                    $"`{id.Value}` is a parameter of the stack, not a queue in it; scaling reads the queue's name from the queue resource (`!GetAtt {id.Value}.QueueName`). Name the queue's logical ID, or its ARN (arn:aws:sqs:REGION:ACCOUNT:NAME) for a queue elsewhere",
                    path);
            }
            else if (((context.Json["Resources"] as JsonObject)?[id.Value] as JsonObject)?["Type"] is JsonValue type && type.TryGetValue<string>(out var typeName) && typeName != QueueType)
            {
                diagnostics.Error(Descriptor, queue.Span,
                    $"`{id.Value}` is of type {typeName}, not a queue ({QueueType}); scaling reads its backlog from the queue's name (`!GetAtt {id.Value}.QueueName`), which only a queue has. Name the queue's logical ID, or its ARN (arn:aws:sqs:REGION:ACCOUNT:NAME)",
                    path);
            }
        }
    }
}
