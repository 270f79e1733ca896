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
    /// <summary>How often RunTask is tried while ECS answers with failures (no task started, so trying again starts none twice).</summary>
    public const int Attempts = 3;

    /// <summary>The pause before each such try: long enough for Spot capacity to come back, short beside EventBridge's own retries.</summary>
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
        // A state machine's tag takes a Value of at least one character (ECS and IAM take an empty
        // one, and tags: {team: ""} is fine on them), so its empty-valued tags are left off: with
        // them cfn-lint fails the template (E3033) and CloudFormation the stack. Checked against
        // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-stepfunctions-statemachine-tagsentry.html
        var tags = task.Tags.Where(t => t.Value is not JsonValue value || !value.TryGetValue<string>(out var text) || text.Length > 0).ToList();
        template.Add(LogicalIds.EventStateMachine(task.Id), Properties.Tagged("AWS::StepFunctions::StateMachine", tags, new JsonObject
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
    /// Read the event → run the task → started? ECS errors (throttling, a server error, a
    /// refusal such as overrides over 8192 characters) are retried a few times within seconds, as
    /// EventBridge retries an ECS target, and then fail the execution with ECS's message as its
    /// cause. An answer that started nothing (a <c>Failures</c> entry: no capacity just now) is
    /// tried again after a pause. The integration's ARN is in the stack's partition. From
    /// https://docs.aws.amazon.com/step-functions/latest/dg/connect-ecs.html,
    /// https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html and
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
                // The stack's partition (aws-cn, aws-us-gov…): a whole-string placeholder, the form cfn-lint can check.
                ["Resource"] = "${RunTask}",
                ["Arguments"] = Arguments(task, substitutions),
                ["Assign"] = new JsonObject { ["attempts"] = "{% $attempts + 1 %}" },
                ["Retry"] = new JsonArray(new JsonObject
                {
                    ["ErrorEquals"] = new JsonArray("States.TaskFailed"),
                    ["IntervalSeconds"] = 2,
                    ["MaxAttempts"] = 3,
                    ["BackoffRate"] = 2,
                    ["JitterStrategy"] = "FULL",
                }),
                ["Next"] = "Did it start",
            },
            ["Did it start"] = new JsonObject
            {
                ["Type"] = "Choice",
                ["Choices"] = new JsonArray(
                    new JsonObject { ["Condition"] = "{% $count($states.input.Tasks) > 0 %}", ["Next"] = "Started" },
                    new JsonObject { ["Condition"] = $"{{% $count($states.input.Failures) > 0 and $attempts < {Attempts} %}}", ["Next"] = "Wait and try again" }),
                ["Default"] = "Not started",
            },
            ["Wait and try again"] = new JsonObject { ["Type"] = "Wait", ["Seconds"] = PauseSeconds, ["Next"] = "Run the task" },
            ["Started"] = new JsonObject { ["Type"] = "Succeed" },
            ["Not started"] = new JsonObject
            {
                ["Type"] = "Fail",
                ["Error"] = "TaskNotStarted",
                // ECS's reasons; an answer with none is given whole.
                ["Cause"] = "{% $count($states.input.Failures) > 0 ? $string($states.input.Failures) : 'ECS started no task and gave no reason: ' & $string($states.input) %}",
            },
        },
    };

    /// <summary>
    /// RunTask's request in ECS's API shape, as Step Functions takes it: the rule target's
    /// parameters (<see cref="RunTaskParameters.EcsParameters"/>, so cluster, definition, capacity,
    /// network and ECS Exec are the same) under RunTask's own names, and the overrides.
    /// CloudFormation functions (a subnet's <c>!Ref</c>) cannot stand inside the definition, so
    /// each becomes a <c>${Name}</c> of <c>DefinitionSubstitutions</c>.
    /// </summary>
    private static JsonObject Arguments(TaskModel task, JsonObject substitutions)
    {
        substitutions["RunTask"] = Fn.PartitionArn("states:::ecs:runTask");
        var arguments = new JsonObject { ["Cluster"] = Fn.GetAtt(LogicalIds.Cluster, "Arn") };
        foreach (var (key, value) in RunTaskParameters.EcsParameters(task, ruleSpelling: false))
        {
            switch (key)
            {
                case "TaskDefinitionArn":
                    arguments["TaskDefinition"] = value!.DeepClone();
                    break;
                case "TaskCount":
                    break; // RunTask's Count defaults to 1.
                default:
                    arguments[key] = value!.DeepClone();
                    break;
            }
        }
        arguments["Overrides"] = new JsonObject
        {
            ["ContainerOverrides"] = new JsonArray(new JsonObject { ["Name"] = task.Name.Value, ["Environment"] = "{% $environment %}" }),
        };
        return (JsonObject)Substitute(arguments, "", substitutions);
    }

    /// <summary>Where RunTask takes a list that the configuration may give as one function (<c>subnetIds: !Split …</c>).</summary>
    private static readonly string[] ListKeys = ["Subnets", "SecurityGroups"];

    /// <summary>
    /// Replaces each CloudFormation function under <paramref name="node"/> by a placeholder named
    /// after where it stands (<c>${Subnets1}</c>), numbered on where two places share a name. A
    /// substitution is a string, so a function that gives a whole list is joined with commas there
    /// and split again by JSONata (IDs hold no comma or quote).
    /// </summary>
    private static JsonNode Substitute(JsonNode node, string name, JsonObject substitutions)
    {
        switch (node)
        {
            case JsonObject function when Fn.IsFunction(function):
                var unique = name;
                for (var n = 2; substitutions.ContainsKey(unique); n++)
                {
                    unique = name + "N" + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }
                if (ListKeys.Contains(name))
                {
                    substitutions[unique] = new JsonObject { ["Fn::Join"] = new JsonArray(",", function.DeepClone()) };
                    return JsonValue.Create("{% $split('${" + unique + "}', ',') %}");
                }
                substitutions[unique] = function.DeepClone();
                return JsonValue.Create("${" + unique + "}");
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
