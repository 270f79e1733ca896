using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ServerlessFargate.Diagnostics;

namespace ServerlessFargate.Rules;

/// <summary>
/// FG3008: the task name becomes the task definition family, the container name and the service
/// name; ECS accepts up to 255 letters, digits, hyphens and underscores for each. The name's
/// <c>&lt;Id&gt;</c> also builds logical IDs (CloudFormation takes at most 255 characters) and
/// EventBridge target ids (at most 64): those are checked on the compiled template, so every ID
/// the compiler makes is measured.
/// </summary>
internal sealed partial class EcsNameRule() : Rule(new("FG3008", "name that ECS or CloudFormation rejects", Severity.Error,
    "A task name ECS or CloudFormation rejects. ECS names (family, container, service) take 1 to 255 letters, digits, `-` and `_`, and the name needs a letter or digit to give a logical ID.",
    Source: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html"))
{
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html (logical ID)
    private const int MaxLogicalId = 255;

    // https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_Target.html (Id)
    private const int MaxTargetId = 64;

    [GeneratedRegex("^[A-Za-z0-9_-]{1,255}$")]
    private static partial Regex EcsName();

    public override void Check(RuleContext context, DiagnosticBag diagnostics)
    {
        var named = new HashSet<string>(StringComparer.Ordinal);
        foreach (var task in context.Tasks)
        {
            var name = task.Name.Value;
            if (!EcsName().IsMatch(name))
            {
                var problem = name.Length == 0 ? "is empty"
                    : name.Length > 255 ? $"is {name.Length} characters long"
                    : $"contains {Shown(name.First(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))}";
                diagnostics.Error(Descriptor, task.Name.Span,
                    $"task name `{name}` {problem}; ECS names (family, container, service) take 1 to 255 letters, digits, `-` and `_`",
                    $"fargate.tasks.{task.Key}.name");
                named.Add(task.Key);
            }
            else if (task.Id.Length == 0)
            {
                diagnostics.Error(Descriptor, task.Name.Span,
                    $"task name `{name}` has no letter or digit, so it gives no logical ID; add some",
                    $"fargate.tasks.{task.Key}.name");
                named.Add(task.Key);
            }
        }

        // The longest ID and target id each task makes, reported once per task.
        var tasks = context.Tasks.Where(t => !named.Contains(t.Key)).ToDictionary(t => t.Key, StringComparer.Ordinal);
        foreach (var group in context.Compiled.Owners.Where(o => o.Value is not null && o.Key.Length > MaxLogicalId).GroupBy(o => o.Value!))
        {
            if (tasks.TryGetValue(group.Key, out var task))
            {
                var longest = group.MaxBy(o => o.Key.Length).Key;
                diagnostics.Error(Descriptor, task.Name.Span,
                    $"task name `{task.Name.Value}` gives logical IDs up to {longest.Length} characters ({longest}); CloudFormation takes at most {MaxLogicalId}",
                    $"fargate.tasks.{task.Key}.name");
                tasks.Remove(group.Key);
            }
        }
        foreach (var (id, owner) in context.Compiled.Owners)
        {
            if (owner is null || !tasks.TryGetValue(owner, out var task)
                || context.Compiled.Template.Resources.GetValueOrDefault(id) is not { Type: "AWS::Events::Rule" } rule)
            {
                continue;
            }
            var targetId = (rule.Properties["Targets"] as JsonArray)?.Select(t => t?["Id"]?.GetValue<string>()).OfType<string>().MaxBy(t => t.Length);
            if (targetId is { Length: > MaxTargetId })
            {
                diagnostics.Error(Descriptor, task.Name.Span,
                    $"task name `{task.Name.Value}` gives the EventBridge target id `{targetId}` ({targetId.Length} characters) in `{id}`; targets take at most {MaxTargetId}",
                    $"fargate.tasks.{task.Key}.name");
                tasks.Remove(owner);
            }
        }
    }

    /// <summary>A character as a message names it: a space or a control character between backticks would show nothing.</summary>
    private static string Shown(char c) => c switch
    {
        ' ' => "a space",
        _ when char.IsWhiteSpace(c) || char.IsControl(c) => $"the character U+{(int)c:X4}",
        _ => $"`{c}`",
    };
}
