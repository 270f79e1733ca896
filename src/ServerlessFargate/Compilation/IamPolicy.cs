using System.Text.Json.Nodes;
using ServerlessFargate.Model;

namespace ServerlessFargate.Compilation;

/// <summary>IAM policy documents and statements, built one way for every generated role.</summary>
internal static class IamPolicy
{
    private const string Version = "2012-10-17";

    public static JsonObject Document(IEnumerable<JsonNode> statements) => new()
    {
        ["Version"] = Version,
        ["Statement"] = new JsonArray([.. statements]),
    };

    /// <summary>An Allow statement; a single resource stays a string, several become a list.</summary>
    public static JsonObject Allow(JsonNode action, JsonNode resource, JsonObject? condition = null)
    {
        var statement = new JsonObject { ["Effect"] = "Allow", ["Action"] = action, ["Resource"] = resource };
        if (condition is not null)
        {
            statement["Condition"] = condition;
        }
        return statement;
    }

    public static JsonObject Allow(string action, IEnumerable<JsonNode> resources, JsonObject? condition = null) =>
        Allow(JsonValue.Create(action), new JsonArray([.. resources]), condition);

    /// <summary>A policy to put in a role's <c>Policies</c>.</summary>
    public static JsonObject Inline(string name, IEnumerable<JsonNode> statements) => new()
    {
        ["PolicyName"] = name,
        ["PolicyDocument"] = Document(statements),
    };

    /// <summary>
    /// The trust policy that lets one AWS service assume a role, for this account's resources
    /// only: <c>aws:SourceAccount</c> and <c>aws:SourceArn</c> keep another account's resource
    /// from making the service act with this role (the confused-deputy problem,
    /// https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html).
    /// </summary>
    public static JsonObject AssumeRole(string service) => Document(
    [
        new JsonObject
        {
            ["Effect"] = "Allow",
            ["Principal"] = new JsonObject { ["Service"] = new JsonArray(service) },
            ["Action"] = new JsonArray("sts:AssumeRole"),
            ["Condition"] = new JsonObject
            {
                ["StringEquals"] = new JsonObject { ["aws:SourceAccount"] = new JsonObject { ["Ref"] = "AWS::AccountId" } },
                ["ArnLike"] = new JsonObject { ["aws:SourceArn"] = new JsonObject { ["Fn::Sub"] = SourceArns[service] } },
            },
        },
    ]);

    /// <summary>What each service names as the source when it assumes a role: its own resources in this account and region.</summary>
    private static readonly Dictionary<string, string> SourceArns = new(StringComparer.Ordinal)
    {
        // The task (ecs:task/...) the role is assumed for.
        ["ecs-tasks.amazonaws.com"] = "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:*",
        // The rule whose target starts the task or the state machine.
        ["events.amazonaws.com"] = "arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/*",
        // Schedules live in the default schedule group.
        ["scheduler.amazonaws.com"] = "arn:${AWS::Partition}:scheduler:${AWS::Region}:${AWS::AccountId}:schedule-group/default",
        ["states.amazonaws.com"] = "arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:stateMachine:*",
    };

    /// <summary>The start of an <c>AWS::IAM::Role</c>'s properties: a role <paramref name="service"/> may assume.</summary>
    public static JsonObject RoleProperties(string service) => new() { ["AssumeRolePolicyDocument"] = AssumeRole(service) };

    /// <summary>Values in first-seen order without repeats (JSON equality), each a fresh copy for the template.</summary>
    public static List<JsonNode> Distinct(IEnumerable<JsonNode> values) => [.. CfnList.Distinct(values).Select(v => v.DeepClone())];
}
