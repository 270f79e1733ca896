using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ServerlessFargate.CloudFormation;
using ServerlessFargate.Model;

namespace ServerlessFargate.Compilation;

/// <summary>
/// What a task's own execution role needs besides its secrets, read from the task definition as
/// it is written: pulling its containers' images from ECR and writing their awslogs streams. It
/// replaces AmazonECSTaskExecutionRolePolicy, which allows the same actions on every repository
/// and log group (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html).
/// </summary>
internal static partial class TaskExecutionPolicy
{
    public static IEnumerable<JsonNode> Statements(TaskModel task, Resource definition)
    {
        var containers = (definition.Properties["ContainerDefinitions"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var repositories = IamPolicy.Distinct(containers.Select(c => Repository(c["Image"], task)).OfType<JsonNode>());
        if (repositories.Count > 0)
        {
            // GetAuthorizationToken answers for the whole registry and has no resource type, so "*":
            // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerregistry.html
            yield return IamPolicy.Allow(JsonValue.Create("ecr:GetAuthorizationToken"), JsonValue.Create("*"));
            yield return IamPolicy.Allow(new JsonArray("ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"),
                new JsonArray([.. repositories]));
        }
        var logGroups = IamPolicy.Distinct(containers
            .Select(c => c["LogConfiguration"] as JsonObject)
            .Where(log => Text(log?["LogDriver"]) == "awslogs")
            .Select(log => (log!["Options"] as JsonObject)?["awslogs-group"])
            .OfType<JsonNode>()
            .Select(LogGroupArn));
        if (logGroups.Count > 0)
        {
            yield return IamPolicy.Allow(new JsonArray("logs:CreateLogStream", "logs:PutLogEvents"), new JsonArray([.. logGroups]));
        }
    }

    /// <summary>
    /// A private ECR registry's host, <c>123456789012.dkr.ecr.eu-west-1.amazonaws.com</c> (FIPS
    /// and China forms too), then the repository up to the tag or digest:
    /// https://docs.aws.amazon.com/AmazonECR/latest/userguide/Registries.html
    /// </summary>
    [GeneratedRegex(@"^(?<account>[0-9]{12})\.dkr\.ecr(-fips)?\.(?<region>[a-z0-9-]+)\.amazonaws\.com(\.cn)?/(?<repository>[a-z0-9._/-]+)(@|:|$)")]
    private static partial Regex EcrImage();

    /// <summary>
    /// The ECR repository an image is pulled from, or null for an image from another registry
    /// (public.ecr.aws, Docker Hub), which Fargate pulls without the execution role.
    /// </summary>
    private static JsonObject? Repository(JsonNode? image, TaskModel task)
    {
        if (Text(image) is { } uri)
        {
            var match = EcrImage().Match(uri);
            return match.Success
                ? Fn.PartitionArn($"ecr:{match.Groups["region"].Value}:{match.Groups["account"].Value}:repository/{match.Groups["repository"].Value}")
                : null;
        }
        if (task.Image is TaskImage.Parameter parameter && RefTo(image) == parameter.Image.LogicalId)
        {
            // The URI is known when the stack is deployed: the framework pushes
            // 123456789012.dkr.ecr.eu-west-1.amazonaws.com/serverless-app-dev@sha256:…, a repository
            // of one path segment; the account comes before the first dot, the region after the
            // third, the repository between the slash and the digest or tag.
            var value = Fn.Ref(parameter.Image.LogicalId);
            return new JsonObject
            {
                ["Fn::Sub"] = new JsonArray("arn:${AWS::Partition}:ecr:${Region}:${Account}:repository/${Repository}", new JsonObject
                {
                    ["Account"] = Part(0, ".", value),
                    ["Region"] = Part(3, ".", value),
                    ["Repository"] = Part(0, ":", Part(0, "@", Part(1, "/", value))),
                }),
            };
        }
        // Another function (an escape hatch's image): any repository of this account and region.
        return Fn.PartitionArn("ecr:${AWS::Region}:${AWS::AccountId}:repository/*");
    }

    private static JsonObject Part(int index, string separator, JsonNode value) =>
        new() { ["Fn::Select"] = new JsonArray(index, new JsonObject { ["Fn::Split"] = new JsonArray(separator, value.DeepClone()) }) };

    /// <summary>A log group's ARN with <c>:*</c>, which covers its streams: the generated group's Arn attribute ends so.</summary>
    private static JsonNode LogGroupArn(JsonNode group) =>
        RefTo(group) == LogicalIds.LogGroup
            ? Fn.GetAtt(LogicalIds.LogGroup, "Arn")
            : new JsonObject
            {
                ["Fn::Sub"] = new JsonArray("arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:${Group}:*",
                    new JsonObject { ["Group"] = group.DeepClone() }),
            };

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static string? RefTo(JsonNode? node) => node is JsonObject { Count: 1 } function ? Text(function["Ref"]) : null;
}
