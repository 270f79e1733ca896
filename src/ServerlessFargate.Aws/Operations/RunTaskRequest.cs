using System.Text.Json.Nodes;
using ServerlessFargate.CloudFormation;
using ServerlessFargate.Compilation;
using ServerlessFargate.Model;

namespace ServerlessFargate.Aws.Operations;

/// <summary>
/// ECS RunTask's request for a task, from the same parameters the template gives its schedules
/// (<see cref="RunTaskParameters"/>): so a task run by hand gets the network, capacity strategy
/// and ECS Exec setting it gets when EventBridge starts it.
/// </summary>
public static class RunTaskRequest
{
    /// <summary>What the user changes for this run: the command and extra environment variables.</summary>
    public sealed record Overrides(IReadOnlyList<string>? Command, IReadOnlyList<KeyValuePair<string, string>> Environment);

    /// <param name="runId">
    /// Unique to this invocation: the request's <c>clientToken</c> (ECS starts one task per token,
    /// however often a retry sends it) and part of <c>startedBy</c>, by which the task is found
    /// when RunTask's answer was lost.
    /// </param>
    public static JsonObject Build(DeployedService deployed, TaskModel task, Overrides overrides, string runId)
    {
        if (!task.Network.Generated && task.Network.SubnetIds.IsEmpty)
        {
            throw new OperationException($"{task.Name.Value} names no subnets, and a task with `service: false` gets no generated network: " +
                "give it vpc.subnetIds (and securityGroupIds) to run it", isUsage: true);
        }
        var parameters = RunTaskParameters.EcsParameters(task, ruleSpelling: false);
        var request = new JsonObject
        {
            ["cluster"] = deployed.Cluster,
            ["taskDefinition"] = deployed.TaskDefinition(task),
            ["count"] = 1,
            // The task definition carries the configuration's tags; ECS copies them to the task.
            ["propagateTags"] = "TASK_DEFINITION",
            ["startedBy"] = StartedBy(runId),
            ["clientToken"] = runId,
        };
        foreach (var (key, value) in parameters)
        {
            if (key is "TaskDefinitionArn" or "TaskCount" || value is null)
            {
                continue;
            }
            request[Camel(key)] = ToApi(deployed, value, key, item: false);
        }

        var container = new JsonObject { ["name"] = task.Name.Value };
        if (overrides.Command is { } command)
        {
            container["command"] = new JsonArray([.. command.Select(c => JsonValue.Create(c))]);
        }
        if (overrides.Environment.Count > 0)
        {
            container["environment"] = new JsonArray([.. overrides.Environment.Select(e => new JsonObject { ["name"] = e.Key, ["value"] = e.Value })]);
        }
        if (container.Count > 1)
        {
            request["overrides"] = new JsonObject { ["containerOverrides"] = new JsonArray(container) };
        }
        return request;
    }

    /// <summary>What ECS records as the task's starter: sls-fargate, and which run (up to 128 of [A-Za-z0-9_/-]).</summary>
    public static string StartedBy(string runId) => $"sls-fargate-run-{runId}";

    /// <summary>CloudFormation's PascalCase keys become the API's camelCase; intrinsics become the stack's physical IDs.</summary>
    /// <param name="item">Whether <paramref name="value"/> is an item of a list, rather than the value of <paramref name="what"/> itself.</param>
    private static JsonNode ToApi(DeployedService deployed, JsonNode value, string what, bool item) => value switch
    {
        _ when !item && what is "Subnets" or "SecurityGroups" => NetworkList(deployed, value, what),
        JsonObject o when Fn.IsFunction(o) => JsonValue.Create(deployed.Resolve(o, $"the task's {Describe(what)}")),
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(Camel(p.Key), p.Value is null ? null : ToApi(deployed, p.Value, p.Key, item: false)))),
        JsonArray a => new JsonArray([.. a.Select(i => i is null ? null : ToApi(deployed, i, what, item: true))]),
        _ => value.DeepClone(),
    };

    /// <summary>
    /// Subnets or security groups as ECS takes them. A <c>Ref</c> to a parameter of the stack gives
    /// the parameter's items, as many as it holds: through the plugin's <c>run</c>, or with a
    /// parameter of the template merged into, the engine does not know which parameters are
    /// lists, and an ID never holds a comma.
    /// </summary>
    private static JsonArray NetworkList(DeployedService deployed, JsonNode value, string what)
    {
        var whole = $"the task's {Describe(what)} list";
        var (label, items) = value switch
        {
            JsonArray list => ($"a {Describe(what)} of the task", list),
            JsonObject o when o.ContainsKey("Ref") => (whole, (IEnumerable<JsonNode?>)[o]),
            // subnetIds: !Split [...]: the whole list is a function that only CloudFormation evaluates.
            JsonObject o => throw new OperationException(
                $"{whole} is one function ({o.ToJsonString()}), which only CloudFormation can work out; " +
                $"to use run, list them in vpc.{(what == "Subnets" ? "subnetIds" : "securityGroupIds")} (IDs, or Refs to resources or parameters of the stack)", isUsage: true),
            _ => ($"a {Describe(what)} of the task", [value]),
        };
        var ids = items.OfType<JsonNode>().SelectMany(i => deployed.ParameterItems(i, label) ?? [deployed.Resolve(i, label)]);
        return new JsonArray([.. ids.Select(id => JsonValue.Create(id))]);
    }

    private static string Describe(string key) => key switch
    {
        "Subnets" => "subnet",
        "SecurityGroups" => "security group",
        _ => key,
    };

    private static string Camel(string key) => char.ToLowerInvariant(key[0]) + key[1..];
}
