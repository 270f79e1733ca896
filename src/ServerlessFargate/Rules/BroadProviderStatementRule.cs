using System.Text.Json.Nodes;
using ServerlessFargate.Diagnostics;
using ServerlessFargate.Model;

namespace ServerlessFargate.Rules;

/// <summary>
/// FG3033 (a notice): the shared task role takes the provider's statements, written for the Lambda
/// functions, and one of them allows every action of a service (<c>dynamodb:*</c>, <c>*</c>) or
/// every resource (<c>*</c>). The tasks that run as that role can do it too, which is seldom what a
/// worker needs. IAM's advice is to grant least privilege:
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege
/// </summary>
internal sealed class BroadProviderStatementRule() : Rule(new("FG3033", "a task role takes a broad statement from the provider", Severity.Notice,
    "A provider IAM statement (written for the Lambda functions) allows `*` actions or resources, and the shared task role FargateIamTaskRole holds it, so its tasks may do the same. A task's own `iamRoleStatements`, or `fargate.roles: per-task`, gives a role without it. `validate` prints it, `package` does not.",
    Source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege") { QuietInPackage = true })
{
    public override void Check(RuleContext context, DiagnosticBag diagnostics)
    {
        var sharing = context.Tasks.Where(t => t.GeneratedTaskRole is { Shared: true }).Select(t => t.Key).ToList();
        if (sharing.Count == 0)
        {
            return;
        }
        foreach (var statement in context.Model.Iam.Statements.Where(s => s.Source is IamSource.Provider))
        {
            if (statement.Value is not JsonObject fields || Text(fields["Effect"]) != "Allow")
            {
                continue;
            }
            var actions = Texts(fields["Action"]).Where(a => a == "*" || a.EndsWith(":*", StringComparison.Ordinal)).ToList();
            var everyResource = Texts(fields["Resource"]).Contains("*");
            if (actions.Count == 0 && !everyResource)
            {
                continue;
            }
            var what = actions.Count > 0 && everyResource ? $"`{string.Join("`, `", actions)}` on every resource (`*`)"
                : actions.Count > 0 ? $"`{string.Join("`, `", actions)}`"
                : "its actions on every resource (`*`)";
            diagnostics.Notice(Descriptor, statement.Span,
                $"the provider's statement on line {statement.Span.Line} allows {what}; written for the Lambda functions, it reaches {TaskList.Named(sharing)} through the shared task role {LogicalIds.TaskRole}. " +
                "Give a task `iamRoleStatements` of its own (its role then holds the fargate-level statements and its own, not the provider's), or set `fargate.roles: per-task`",
                statement.Path);
        }
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>A statement's Action or Resource as strings: one, or a list (intrinsic functions left out).</summary>
    private static List<string> Texts(JsonNode? node) => node switch
    {
        JsonArray list => [.. list.Select(Text).OfType<string>()],
        _ => Text(node) is { } one ? [one] : [],
    };
}
