using System.Text.RegularExpressions;
using ServerlessFargate.Diagnostics;
using ServerlessFargate.Model;

namespace ServerlessFargate.Rules;

/// <summary>
/// FG3008: the task name becomes the task definition family, the container name and the service
/// name. ECS accepts up to 255 letters, digits, hyphens and underscores for each. Its
/// <c>&lt;Id&gt;</c> also names the EventBridge target of a scheduled task (at most 64 characters)
/// and prefixes logical IDs (at most 255 characters with the longest suffix, ScheduledTaskArn).
/// </summary>
internal sealed partial class EcsNameRule : IRule
{
    private const int MaxTargetId = 64;
    private const int MaxLogicalId = 255;
    private static readonly string LongestSuffix = LogicalIds.ScheduledTaskArnOutput("");

    [GeneratedRegex("^[A-Za-z0-9_-]{1,255}$")]
    private static partial Regex EcsName();

    public void Check(RuleContext context, DiagnosticBag diagnostics)
    {
        foreach (var task in context.Model.Tasks)
        {
            var name = task.Name.Value;
            if (!EcsName().IsMatch(name))
            {
                var problem = name.Length == 0 ? "is empty"
                    : name.Length > 255 ? $"is {name.Length} characters long"
                    : $"contains `{name.First(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))}`";
                diagnostics.Error(DiagnosticCatalog.EcsName, task.Name.Span,
                    $"task name `{name}` {problem}; ECS names (family, container, service) take 1 to 255 letters, digits, `-` and `_`",
                    $"fargate.tasks.{task.Key}.name");
            }
            else if (task.Id.Length == 0)
            {
                diagnostics.Error(DiagnosticCatalog.EcsName, task.Name.Span,
                    $"task name `{name}` has no letter or digit, so it gives no logical ID; add some",
                    $"fargate.tasks.{task.Key}.name");
            }
            else if (task.Kind is TaskKind.Scheduled && task.Id.Length > MaxTargetId)
            {
                diagnostics.Error(DiagnosticCatalog.EcsName, task.Name.Span,
                    $"scheduled task name `{name}` gives the ID `{task.Id}` ({task.Id.Length} characters), which also names its EventBridge target; targets take at most {MaxTargetId}",
                    $"fargate.tasks.{task.Key}.name");
            }
            else if (task.Id.Length + LongestSuffix.Length > MaxLogicalId)
            {
                diagnostics.Error(DiagnosticCatalog.EcsName, task.Name.Span,
                    $"task name `{name}` gives logical IDs up to {task.Id.Length + LongestSuffix.Length} characters ({task.Id}{LongestSuffix}); CloudFormation takes at most {MaxLogicalId}",
                    $"fargate.tasks.{task.Key}.name");
            }
        }
    }
}
