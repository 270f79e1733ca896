using System.Text.Json.Nodes;
using ServerlessFargate.Aws.Protocol;
using ServerlessFargate.Diagnostics;
using ServerlessFargate.Model;
using ServerlessFargate.Aws.Clients;

namespace ServerlessFargate.Aws.Operations;

/// <summary>
/// The configuration's tasks as the deployed stack holds them. The configuration says which
/// tasks there are and how they run; the stack's resources give the names AWS chose for them.
/// Both meet through the logical IDs (SPEC §3), the same ones the compiler writes.
/// </summary>
public sealed class DeployedService
{
    private readonly Dictionary<string, StackResource> _resources;

    private DeployedService(ServiceModel model, Stack stack, IReadOnlyList<StackResource> resources, string region)
    {
        Model = model;
        Stack = stack;
        Region = region;
        _resources = resources.ToDictionary(r => r.LogicalId, StringComparer.Ordinal);
    }

    public ServiceModel Model { get; }

    public Stack Stack { get; }

    public string Region { get; }

    /// <summary>Reads the stack; says so in one line when it is not deployed.</summary>
    public static async Task<DeployedService> LoadAsync(AwsSession session, ServiceModel model, CancellationToken cancel)
    {
        var cloudFormation = new CloudFormationClient(session);
        var stack = await cloudFormation.DescribeStackAsync(model.StackName, cancel).ConfigureAwait(false)
            ?? throw new OperationException($"the stack {model.StackName} is not deployed in {session.Region}; deploy it first (serverless deploy, or sls-fargate deploy)");
        if (stack.Status is "REVIEW_IN_PROGRESS" or "CREATE_IN_PROGRESS" or "ROLLBACK_COMPLETE" or "DELETE_IN_PROGRESS" or "DELETE_FAILED")
        {
            throw new OperationException($"the stack {model.StackName} is {stack.Status}: its tasks cannot be used until a deploy completes");
        }
        var resources = await cloudFormation.ListStackResourcesAsync(stack.Reference, cancel).ConfigureAwait(false);
        return new DeployedService(model, stack, resources, session.Region);
    }

    /// <summary>The cluster's name (the physical ID of <c>FargateTasksCluster</c>).</summary>
    public string Cluster => Physical(LogicalIds.Cluster) ?? throw Missing(LogicalIds.Cluster, "the cluster");

    /// <summary>The log group every task writes to.</summary>
    public string LogGroup => Physical(LogicalIds.LogGroup) ?? throw Missing(LogicalIds.LogGroup, "the log group");

    public string? Physical(string logicalId) => _resources.TryGetValue(logicalId, out var r) && r.PhysicalId.Length > 0 ? r.PhysicalId : null;

    /// <summary>The task definition ARN of a task.</summary>
    public string TaskDefinition(TaskModel task) =>
        Physical(LogicalIds.TaskDefinition(task.Id)) ?? throw Missing(LogicalIds.TaskDefinition(task.Id), $"the task definition of {task.Name.Value}");

    /// <summary>
    /// A value of the configuration as AWS knows it: a plain string as it is, a <c>Ref</c> to a
    /// resource of the stack as that resource's physical ID (a subnet, a security group).
    /// </summary>
    public string Resolve(JsonNode value, string what)
    {
        switch (value)
        {
            case JsonValue v when v.TryGetValue<string>(out var text):
                return text;
            case JsonObject { Count: 1 } o when o["Ref"] is JsonValue r && r.TryGetValue<string>(out var logicalId):
                return Physical(logicalId)
                    ?? (Stack.Parameters.TryGetValue(logicalId, out var parameter) ? Readable(parameter, logicalId, what) : null)
                    ?? throw new OperationException($"{what} refers to {logicalId}, which the stack {Stack.Name} does not hold; deploy the configuration first");
            case JsonObject { Count: 1 } o when o["Fn::GetAtt"] is JsonArray { Count: 2 } pair
                && pair[1] is JsonValue attribute && attribute.TryGetValue<string>(out var name) && name == "GroupId"
                && pair[0] is JsonValue id && id.TryGetValue<string>(out var groupLogicalId):
                // A security group's GroupId is its physical ID.
                return Physical(groupLogicalId)
                    ?? throw new OperationException($"{what} refers to {groupLogicalId}, which the stack {Stack.Name} does not hold; deploy the configuration first");
            default:
                throw new OperationException($"{what} is {value.ToJsonString()}, which only CloudFormation can work out; write the ID itself, or a Ref to a resource of the stack");
        }
    }

    /// <summary>
    /// The items of a parameter of the stack a value refers to (<c>subnetIds: !Ref PrivateSubnets</c>),
    /// as CloudFormation gives a list parameter to the template: split at commas, each trimmed. A
    /// String parameter gives one item. Null when the value is no <c>Ref</c> to a parameter.
    /// </summary>
    public IReadOnlyList<string>? ParameterItems(JsonNode value, string what)
    {
        if (value is not JsonObject { Count: 1 } o || o["Ref"] is not JsonValue r || !r.TryGetValue<string>(out var name)
            || !Stack.Parameters.TryGetValue(name, out var parameter))
        {
            return null;
        }
        var items = Readable(parameter, name, what).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return items.Length > 0 ? items
            : throw new OperationException($"{what} is the parameter {name}, which is empty in the stack {Stack.Name}; give it a value and deploy", isUsage: true);
    }

    /// <summary>A NoEcho parameter's value comes back masked; sending the mask to ECS would fail less clearly.</summary>
    private string Readable(string parameter, string name, string what) => parameter == "****"
        ? throw new OperationException($"{what} is the parameter {name}, which the stack {Stack.Name} hides (NoEcho); write the IDs in the configuration to use run", isUsage: true)
        : parameter;

    /// <summary>Finds a task by its key or its name; an unknown one is a usage mistake, with a did-you-mean.</summary>
    public static TaskModel FindTask(ServiceModel model, string name)
    {
        var task = model.Tasks.FirstOrDefault(t => t.Key == name) ?? model.Tasks.FirstOrDefault(t => t.Name.Value == name);
        if (task is not null)
        {
            return task;
        }
        if (model.Tasks.Count == 0)
        {
            throw new OperationException("the configuration declares no Fargate tasks", isUsage: true);
        }
        var keys = model.Tasks.Select(t => t.Key).ToList();
        var hint = DidYouMean.Closest(name, keys) is { } close ? $"; did you mean `{close}`?" : $"; the tasks are {string.Join(", ", keys)}";
        throw new OperationException($"there is no task `{name}` in the configuration{hint}", isUsage: true);
    }

    /// <summary>A link to the task in the ECS console.</summary>
    public string ConsoleLink(string taskId) =>
        $"https://{Region}.console.aws.amazon.com/ecs/v2/clusters/{Uri.EscapeDataString(Cluster)}/tasks/{taskId}?region={Region}";

    /// <summary>The log stream a task's container writes to: awslogs names it prefix/container/task id.</summary>
    public static string LogStream(string container, string taskId) => $"{Defaults.LogStreamPrefix}/{container}/{taskId}";

    private OperationException Missing(string logicalId, string what) =>
        new($"the stack {Stack.Name} has no {logicalId} ({what}); was it deployed from this configuration? Deploy it again");
}
