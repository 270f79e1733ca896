using System.Text.Json.Nodes;
using ServerlessFargate.CloudFormation;
using ServerlessFargate.Model;

namespace ServerlessFargate.Compilation;

/// <summary>
/// <c>&lt;Id&gt;EventStateMachine</c>, for a task whose events pass the whole event
/// (<c>input.wholeEvent</c>). EventBridge can put the event object only where its target takes
/// JSON, and an ECS environment value is a string, so the rule hands this state machine
/// <c>{"event": {...}, "environment": [...]}</c> and the state machine, with JSONata's
/// <c>$string</c>, turns the event into the text of <c>FARGATE_EVENT</c> and runs the task with
/// the same network, capacity and roles as the rule would. A standard workflow, so that every
/// failed start is an "Execution Status Change" event the failure alert can mail.
/// </summary>
public static class EventStateMachineCompiler
{
    /// <summary>How often RunTask is tried while ECS answers with failures (no task started, so trying again starts none twice), and the pause between.</summary>
    public const int Attempts = 3;

    public const int PauseSeconds = 60;

    internal static void Add(CompiledTemplate template, TaskModel task)
    {
        if (!task.HasEventStateMachine)
        {
            return;
        }
        template.Add(LogicalIds.EventStateMachineRole(task.Id), IamCompiler.EventStateMachineRole(task));
        var substitutions = new JsonObject();
        var definition = Definition(task, substitutions);
        template.Add(LogicalIds.EventStateMachine(task.Id), Properties.Tagged("AWS::StepFunctions::StateMachine", task.Tags, new JsonObject
        {
            ["RoleArn"] = Fn.GetAtt(LogicalIds.EventStateMachineRole(task.Id), "Arn"),
            ["Definition"] = definition,
            ["DefinitionSubstitutions"] = substitutions,
        }));
    }

    /// <summary>
    /// The rule target's input: the event as the JSON value EventBridge's predefined
    /// <c>aws.events.event.json</c> gives, beside the variables the rule's transformer fills in, in
    /// RunTask's own shape (<c>Name</c>, <c>Value</c>).
    /// </summary>
    public static string InputTemplate(IEnumerable<string> variables) =>
        "{\"event\":<aws.events.event.json>,\"environment\":[" +
        string.Join(',', variables.Select(name => $"{{\"Name\":\"{name}\",\"Value\":\"<{name}>\"}}")) + "]}";

    /// <summary>
    /// Read the event → run the task → started? A start ECS answers with failures (no capacity
    /// just now) is tried again after a pause; a refusal (an error, such as overrides over 8192
    /// characters) fails the execution at once, with ECS's message as its cause. The integration
    /// ARN is the aws partition's, as in <see cref="FallbackCompiler"/>. From
    /// https://docs.aws.amazon.com/step-functions/latest/dg/connect-ecs.html and
    /// https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html
    /// </summary>
    private static JsonObject Definition(TaskModel task, JsonObject substitutions) => new()
    {
        ["Comment"] = $"Runs the Fargate task {task.Name.Value} with the event that started it in {TaskEvent.WholeEventVariable}",
        ["QueryLanguage"] = "JSONata",
        ["StartAt"] = "Read the event",
        ["States"] = new JsonObject
        {
            ["Read the event"] = new JsonObject
            {
                ["Type"] = "Pass",
                ["Assign"] = new JsonObject
                {
                    ["environment"] = $"{{% $append($states.input.environment, [{{'Name': '{TaskEvent.WholeEventVariable}', 'Value': $string($states.input.event)}}]) %}}",
                    ["attempts"] = 0,
                },
                ["Next"] = "Run the task",
            },
            ["Run the task"] = new JsonObject
            {
                ["Type"] = "Task",
                ["Resource"] = "arn:aws:states:::ecs:runTask",
                ["Arguments"] = Arguments(task, substitutions),
                ["Assign"] = new JsonObject { ["attempts"] = "{% $attempts + 1 %}" },
                ["Next"] = "Did it start",
            },
            ["Did it start"] = new JsonObject
            {
                ["Type"] = "Choice",
                ["Choices"] = new JsonArray(
                    new JsonObject { ["Condition"] = "{% $count($states.input.Failures) = 0 %}", ["Next"] = "Started" },
                    new JsonObject { ["Condition"] = $"{{% $attempts < {Attempts} %}}", ["Next"] = "Wait and try again" }),
                ["Default"] = "Not started",
            },
            ["Wait and try again"] = new JsonObject { ["Type"] = "Wait", ["Seconds"] = PauseSeconds, ["Next"] = "Run the task" },
            ["Started"] = new JsonObject { ["Type"] = "Succeed" },
            ["Not started"] = new JsonObject
            {
                ["Type"] = "Fail",
                ["Error"] = "TaskNotStarted",
                ["Cause"] = "{% $string($states.input.Failures) %}",
            },
        },
    };

    /// <summary>
    /// RunTask's request, in ECS's API shape (PascalCase, as Step Functions takes it): the same
    /// definition, cluster, capacity, network and ECS Exec as <see cref="RunTaskParameters"/>
    /// gives a rule. CloudFormation functions (a subnet's <c>!Ref</c>) cannot stand inside the
    /// definition, so each becomes a <c>${Name}</c> of <c>DefinitionSubstitutions</c>.
    /// </summary>
    private static JsonObject Arguments(TaskModel task, JsonObject substitutions)
    {
        var arguments = new JsonObject
        {
            ["Cluster"] = Fn.GetAtt(LogicalIds.Cluster, "Arn"),
            ["TaskDefinition"] = Fn.Ref(LogicalIds.TaskDefinition(task.Id)),
        };
        if (RunTaskParameters.CapacityProviderStrategy(task.Spot) is { } strategy)
        {
            arguments["CapacityProviderStrategy"] = strategy;
        }
        else
        {
            arguments["LaunchType"] = "FARGATE";
        }
        arguments["NetworkConfiguration"] = new JsonObject { ["AwsvpcConfiguration"] = RunTaskParameters.Network(task.Network) };
        if (task.Runtime.Exec.Value)
        {
            arguments["EnableExecuteCommand"] = true;
        }
        arguments["Overrides"] = new JsonObject
        {
            ["ContainerOverrides"] = new JsonArray(new JsonObject { ["Name"] = task.Name.Value, ["Environment"] = "{% $environment %}" }),
        };
        return (JsonObject)Substitute(arguments, "", substitutions);
    }

    /// <summary>Replaces each CloudFormation function under <paramref name="node"/> by a placeholder named after where it stands (<c>${Subnets1}</c>).</summary>
    private static JsonNode Substitute(JsonNode node, string name, JsonObject substitutions)
    {
        switch (node)
        {
            case JsonObject function when Fn.IsFunction(function):
                substitutions[name] = function.DeepClone();
                return JsonValue.Create("${" + name + "}");
            case JsonObject map:
                var result = new JsonObject();
                foreach (var (key, value) in map)
                {
                    result[key] = value is null ? null : Substitute(value, key, substitutions);
                }
                return result;
            case JsonArray list:
                return new JsonArray([.. list.Select((item, index) => item is null ? null : Substitute(item, name + (index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), substitutions))]);
            default:
                return node.DeepClone();
        }
    }
}
