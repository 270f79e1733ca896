using ServerlessFargate.Diagnostics;
using ServerlessFargate.Model;

namespace ServerlessFargate.Rules;

/// <summary>
/// FG3010: desired count and deployment percentages ECS accepts. A maximumPercent at or below
/// minimumHealthyPercent leaves a rolling deployment no room to start a new task, so it never ends.
/// </summary>
internal sealed class ServiceCountsRule() : TaskRule(new("FG3010", "service counts out of range", Severity.Error,
    "Service counts ECS refuses or cannot deploy with: a negative `desiredCount`, a `minimumHealthyPercent` outside 0 to 100, or a `maximumPercent` below 100 or not above `minimumHealthyPercent`, which leaves a rolling deployment no room to start a new task.",
    Source: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentConfiguration.html"))
{
    protected override void Check(TaskModel task, RuleContext context, DiagnosticBag diagnostics)
    {
        if (task.Kind is not TaskKind.Service service)
        {
            return;
        }
        var path = $"fargate.tasks.{task.Key}.service";
        if (service.DesiredCount.Value < 0)
        {
            diagnostics.Error(Descriptor, service.DesiredCount.Span,
                $"desiredCount {service.DesiredCount.Value} is negative; use 0 or more", path + ".desiredCount");
        }
        if (service.MinimumHealthyPercent.Value is < 0 or > 100)
        {
            diagnostics.Error(Descriptor, service.MinimumHealthyPercent.Span,
                $"minimumHealthyPercent {service.MinimumHealthyPercent.Value} is outside 0 to 100", path + ".minimumHealthyPercent");
        }
        if (service.MaximumPercent.Value < 100)
        {
            diagnostics.Error(Descriptor, service.MaximumPercent.Span,
                $"maximumPercent {service.MaximumPercent.Value} is below 100; ECS needs room for every desired task during a deployment",
                path + ".maximumPercent");
        }
        else if (service.MaximumPercent.Value <= service.MinimumHealthyPercent.Value)
        {
            diagnostics.Error(Descriptor, service.MaximumPercent.Span,
                $"maximumPercent {service.MaximumPercent.Value} is not above minimumHealthyPercent {service.MinimumHealthyPercent.Value}, so a deployment can neither stop an old task nor start a new one; raise maximumPercent or lower minimumHealthyPercent",
                path + ".maximumPercent");
        }
    }
}
