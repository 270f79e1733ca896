using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ServerlessFargate.CloudFormation;
using ServerlessFargate.Diagnostics;
using ServerlessFargate.Model;

namespace ServerlessFargate.Rules;

/// <summary>
/// FG3064: a generated role whose inline policies IAM would refuse as too large. IAM counts a
/// role's inline policy documents together, without white space, against 10,240 characters, and
/// counts them with the ARNs CloudFormation fills in, so the size is known only approximately
/// here: every <c>Ref</c> and <c>Fn::GetAtt</c> is measured as the ARN it will become. The shared
/// role that starts scheduled tasks lists every task's definition, and passes the limit at about
/// 145 tasks; <c>roles: per-task</c> gives each task a starter role of its own.
/// </summary>
internal sealed partial class RolePolicySizeRule() : Rule(new("FG3064", "a role's inline policies larger than IAM takes", Severity.Error,
    "A role the template creates holds inline policies that, once CloudFormation fills in their ARNs, come to more than the 10,240 characters IAM allows a role (white space not counted); the stack would fail when it creates the role.",
    Source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html"))
{
    public const int MaxCharacters = 10_240;

    /// <summary>A 12-digit account ID and a 3-digit revision, as the ARNs will hold them.</summary>
    private const string Account = "123456789012";

    public override void Check(RuleContext context, DiagnosticBag diagnostics)
    {
        var resources = context.Compiled.Template.Resources;
        var measure = new Measure(context.Model.Region, context.Model.StackName, resources);
        foreach (var (id, role) in resources.Where(r => r.Value.Type == "AWS::IAM::Role"))
        {
            var documents = (role.Properties["Policies"] as JsonArray ?? []).OfType<JsonObject>().Select(p => p["PolicyDocument"]).OfType<JsonNode>();
            var characters = documents.Sum(measure.Characters);
            if (characters <= MaxCharacters)
            {
                continue;
            }
            var owner = context.Compiled.Owners.GetValueOrDefault(id);
            var task = owner is null ? null : context.Tasks.FirstOrDefault(t => t.Key == owner);
            var remedy = owner is null
                ? $"give a role of yours{(SettingFor(id) is { } setting ? $" (`{setting}`)" : "")}, move some tasks to another service, or use `roles: per-task` (a role for each task, if the stack has room for them)"
                : "move some of what it grants into managed policies (`iamManagedPolicies`), which do not count here";
            diagnostics.Error(Descriptor, task?.KeySpan ?? context.Model.FargateKeySpan,
                $"the role {id} would hold about {characters.ToString("N0", CultureInfo.InvariantCulture)} characters of inline policy once CloudFormation fills in the ARNs, and IAM allows a role {MaxCharacters.ToString("N0", CultureInfo.InvariantCulture)}; {remedy}",
                task is null ? "fargate" : $"fargate.tasks.{task.Key}");
        }
    }

    /// <summary>The setting that gives a shared role by ARN instead.</summary>
    private static string? SettingFor(string roleId) => roleId switch
    {
        LogicalIds.EventsRole => "eventsRoleArn",
        LogicalIds.SchedulerRole => "schedulerRoleArn",
        LogicalIds.ExecutionRole => "executionRoleArn",
        LogicalIds.TaskRole => "taskRoleArn",
        _ => null,
    };

    /// <summary>Measures a policy document as IAM will: intrinsics as the values they become, white space left out.</summary>
    private sealed class Measure(string region, string stackName, IReadOnlyDictionary<string, Resource> resources)
    {
        public int Characters(JsonNode document) => Resolve(document).ToJsonString().Count(c => !char.IsWhiteSpace(c));

        private JsonNode Resolve(JsonNode node) => node switch
        {
            JsonObject { Count: 1 } o when o.First().Key.StartsWith("Fn::", StringComparison.Ordinal) || o.First().Key == "Ref" =>
                JsonValue.Create(new string('x', Length(o.First().Key, o.First().Value))),
            JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, p.Value is null ? null : Resolve(p.Value)))),
            JsonArray a => new JsonArray([.. a.Select(i => i is null ? null : Resolve(i))]),
            _ => node.DeepClone(),
        };

        /// <remarks>A function of another shape (the schema lets odd ones through to FG3028 and cfn-lint) counts as an ARN's usual length.</remarks>
        private int Length(string function, JsonNode? argument) => (function, argument) switch
        {
            ("Ref", _) when Text(argument) is { } name => RefLength(name),
            ("Fn::GetAtt", JsonArray { Count: 2 } pair) when Text(pair[0]) is { } target => GeneratedArn(target).Length,
            ("Fn::Sub", _) when Text(argument) is { } text => Substituted(text),
            ("Fn::Sub", JsonArray { Count: > 0 } pair) when Text(pair[0]) is { } text => Substituted(text),
            // Join, Select, ImportValue, If: a value of the user's; an ARN's usual length.
            _ => 80,
        };

        private int Substituted(string text) => Placeholder().Replace(text, m => new string('x', RefLength(m.Groups["name"].Value))).Length;

        private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

        private int RefLength(string name) => name switch
        {
            "AWS::Region" => region.Length,
            "AWS::AccountId" => Account.Length,
            "AWS::Partition" => "aws-us-gov".Length,
            "AWS::StackName" => stackName.Length,
            "AWS::URLSuffix" => "amazonaws.com.cn".Length,
            _ when resources.TryGetValue(name, out var resource) && resource.Type == "AWS::ECS::TaskDefinition" =>
                $"arn:aws:ecs:{region}:{Account}:task-definition/{resource.Properties["Family"]?.ToString() ?? name}:100".Length,
            _ => GeneratedArn(name).Length,
        };

        /// <summary>
        /// The ARN of a resource CloudFormation names: the stack's name, the logical ID and a random
        /// suffix of 13 characters, cut to the length the resource's names take.
        /// </summary>
        private string GeneratedArn(string logicalId)
        {
            var name = $"{stackName}-{logicalId}-ABCDEFGHIJKLM";
            string Cut(int length) => name[..Math.Min(name.Length, length)];
            return resources.GetValueOrDefault(logicalId)?.Type switch
            {
                "AWS::IAM::Role" => $"arn:aws:iam::{Account}:role/{Cut(64)}",
                "AWS::ECS::Cluster" => $"arn:aws:ecs:{region}:{Account}:cluster/{Cut(255)}",
                _ => $"arn:aws:states:{region}:{Account}:stateMachine:{Cut(80)}",
            };
        }
    }

    /// <summary>A <c>${Name}</c> or <c>${Name.Attribute}</c> in a <c>Fn::Sub</c> string (<c>${!Literal}</c> is text).</summary>
    [GeneratedRegex(@"\$\{(?<name>[A-Za-z0-9:]+)(\.[A-Za-z0-9.]+)?\}")]
    private static partial Regex Placeholder();
}
