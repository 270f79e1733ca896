using System.Text.Json.Nodes;
using ServerlessFargate.CloudFormation;
using ServerlessFargate.Model;

namespace ServerlessFargate.Compilation;

/// <summary>
/// <c>alerts</c>: EventBridge rules on ECS's own events (a task that failed, a deployment that
/// failed) whose targets are an SNS topic that e-mails the addresses given, and a topic of the
/// user's. The topic policy lets EventBridge publish for these rules only.
/// </summary>
public static class AlertsCompiler
{
    internal static void Add(CompiledTemplate template, ServiceModel model)
    {
        var alerted = model.Tasks.Where(t => t.Alerts is { Any: true }).ToList();
        // The topic of the fargate level's addresses, and the rules that publish to it.
        var shared = new List<string>();
        foreach (var task in alerted)
        {
            template.CurrentTask = task.Key;
            var alerts = task.Alerts!;
            var topic = alerts.Emails.Count == 0 ? null : alerts.SharesTopic ? LogicalIds.AlertsTopic : LogicalIds.AlertTopic(task.Id);
            var rules = new List<string>();
            if (alerts.OnFailure)
            {
                var id = LogicalIds.FailureAlertRule(task.Id);
                template.Add(id, BuildRule(FailurePattern(task), FailureMessage(task), topic, alerts));
                rules.Add(id);
                if (task.HasEventStateMachine)
                {
                    var startId = LogicalIds.StartFailureAlertRule(task.Id);
                    template.Add(startId, BuildRule(StartFailurePattern(task), StartFailureMessage(task), topic, alerts));
                    rules.Add(startId);
                }
            }
            if (alerts.OnDeployment && task.Kind is TaskKind.Service)
            {
                var id = LogicalIds.DeploymentAlertRule(task.Id);
                template.Add(id, BuildRule(DeploymentPattern(task), DeploymentMessage(task), topic, alerts));
                rules.Add(id);
            }
            if (topic == LogicalIds.AlertsTopic)
            {
                shared.AddRange(rules);
            }
            else if (topic is not null && rules.Count > 0)
            {
                template.Add(topic, BuildTopic(alerts.Emails.Select(e => e.Value), model.Cluster.Tags));
                template.Add(LogicalIds.AlertTopicPolicy(task.Id), BuildTopicPolicy(topic, rules));
            }
        }
        template.CurrentTask = null;
        if (shared.Count > 0)
        {
            var emails = alerted.First(t => t.Alerts!.SharesTopic).Alerts!.Emails.Select(e => e.Value);
            template.Add(LogicalIds.AlertsTopic, BuildTopic(emails, model.Cluster.Tags));
            template.Add(LogicalIds.AlertsTopicPolicy, BuildTopicPolicy(LogicalIds.AlertsTopic, shared));
        }
    }

    /// <summary>
    /// A task of this stack's cluster and the task's family that stopped and failed: it never
    /// started (TaskFailedToStart: CannotPullContainerError, ResourceInitializationError…), or a
    /// container exited with a code other than 0 under one of <see cref="TaskFailure.FailingStopCodes"/> (fewer for a service).
    /// Every branch names the values it needs: <c>anything-but</c> never matches a field that is
    /// missing, so a container that never ran (no exitCode) is no failure of the second branch.
    /// Event shape: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_task_events.html
    /// </summary>
    public static JsonObject FailurePattern(TaskModel task) => new()
    {
        ["source"] = new JsonArray("aws.ecs"),
        ["detail-type"] = new JsonArray("ECS Task State Change"),
        ["detail"] = new JsonObject
        {
            ["clusterArn"] = new JsonArray(Fn.GetAtt(LogicalIds.Cluster, "Arn")),
            // Every revision of the family: a task started just before a deploy still counts.
            ["taskDefinitionArn"] = new JsonArray(new JsonObject
            {
                ["prefix"] = Fn.Sub($"arn:${{AWS::Partition}}:ecs:${{AWS::Region}}:${{AWS::AccountId}}:task-definition/{task.Name.Value}:"),
            }),
            ["lastStatus"] = new JsonArray("STOPPED"),
            ["$or"] = new JsonArray(
                new JsonObject { ["stopCode"] = new JsonArray(TaskFailure.FailedToStart) },
                new JsonObject
                {
                    ["stopCode"] = new JsonArray([.. TaskFailure.FailingStopCodes(task.Kind is TaskKind.Service).Select(c => (JsonNode)JsonValue.Create(c))]),
                    ["containers"] = new JsonObject { ["exitCode"] = new JsonArray(new JsonObject { ["anything-but"] = 0 }) },
                }),
        },
    };

    /// <summary>
    /// The service's deployment failed (the circuit breaker gave up, or it could not start),
    /// from https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_service_deployment_events.html
    /// </summary>
    public static JsonObject DeploymentPattern(TaskModel task)
    {
        var services = new JsonArray(Fn.Ref(LogicalIds.Service(task.Id)));
        if (task.Spot?.Fallback is not null)
        {
            services.Add((JsonNode)Fn.Ref(LogicalIds.FallbackService(task.Id)));
        }
        return new JsonObject
        {
            ["source"] = new JsonArray("aws.ecs"),
            ["detail-type"] = new JsonArray("ECS Deployment State Change"),
            ["resources"] = services,
            ["detail"] = new JsonObject { ["eventName"] = new JsonArray("SERVICE_DEPLOYMENT_FAILED") },
        };
    }

    /// <summary>
    /// The e-mail, in words. EventBridge puts each value in as it is; a value the event lacks
    /// (no exit code when the task never started) leaves its place empty. The console link shows
    /// the cluster's stopped tasks: EventBridge cannot cut the task's id out of its ARN.
    /// </summary>
    private static JsonObject FailureMessage(TaskModel task) => Transformer(
        new JsonObject
        {
            ["task"] = "$.detail.taskArn",
            ["stopCode"] = "$.detail.stopCode",
            ["reason"] = "$.detail.stoppedReason",
            ["exitCode"] = "$.detail.containers[0].exitCode",
            ["stoppedAt"] = "$.detail.stoppedAt",
        },
        $"The Fargate task {task.Name.Value} of the stack ${{AWS::StackName}} failed at <stoppedAt>. {ExitCodeLabel(task)}: <exitCode>. Stop code: <stopCode>. Reason: <reason>. Task: <task>. " +
        "Stopped tasks: https://${AWS::Region}.console.aws.amazon.com/ecs/v2/clusters/${" + LogicalIds.Cluster + "}/tasks?status=STOPPED&region=${AWS::Region}");

    /// <summary>
    /// A task of one container has one exit code. ECS's event lists containers in an order its
    /// documentation does not promise, and EventBridge cannot pick one by name, so with
    /// <c>additionalContainers</c> the message says whose code it is: the first one listed.
    /// </summary>
    private static string ExitCodeLabel(TaskModel task) =>
        task.Overrides.AdditionalContainers.Count == 0 ? "Exit code" : "Exit code of the first container the event lists";

    /// <summary>
    /// The task's state machine (events with <c>wholeEvent</c>) ended without starting it: ECS
    /// refused, or kept answering with failures. Step Functions sends these events for standard
    /// workflows: https://docs.aws.amazon.com/step-functions/latest/dg/eventbridge-integration.html
    /// </summary>
    public static JsonObject StartFailurePattern(TaskModel task) => new()
    {
        ["source"] = new JsonArray("aws.states"),
        ["detail-type"] = new JsonArray("Step Functions Execution Status Change"),
        ["detail"] = new JsonObject
        {
            ["stateMachineArn"] = new JsonArray(Fn.Ref(LogicalIds.EventStateMachine(task.Id))),
            ["status"] = new JsonArray("FAILED", "TIMED_OUT", "ABORTED"),
        },
    };

    /// <summary>The console opens an execution by its ARN, and shows its error and cause (ECS's answer).</summary>
    private static JsonObject StartFailureMessage(TaskModel task) => Transformer(
        new JsonObject { ["execution"] = "$.detail.executionArn", ["status"] = "$.detail.status", ["time"] = "$.time" },
        $"The Fargate task {task.Name.Value} of the stack ${{AWS::StackName}} was not started for an event: the execution of its state machine ended <status> at <time>. " +
        "The execution, with ECS's answer: https://${AWS::Region}.console.aws.amazon.com/states/home?region=${AWS::Region}#/v2/executions/details/<execution>");

    private static JsonObject DeploymentMessage(TaskModel task) => Transformer(
        new JsonObject { ["service"] = "$.resources[0]", ["reason"] = "$.detail.reason", ["time"] = "$.time" },
        $"The deployment of the Fargate service {task.Name.Value} of the stack ${{AWS::StackName}} failed at <time>: <reason>. Service: <service>. " +
        "Deployments: https://${AWS::Region}.console.aws.amazon.com/ecs/v2/clusters/${" + LogicalIds.Cluster + "}/services/" + task.Name.Value + "/deployments?region=${AWS::Region}");

    /// <summary>SNS takes a quoted template as the message text (the documented form for a plain-text message).</summary>
    private static JsonObject Transformer(JsonObject paths, string text) => new()
    {
        ["InputPathsMap"] = paths,
        ["InputTemplate"] = Fn.Sub("\"" + text + "\""),
    };

    private static Resource BuildRule(JsonObject pattern, JsonObject message, string? topic, AlertSettings alerts)
    {
        var targets = new JsonArray();
        if (topic is not null)
        {
            targets.Add((JsonNode)new JsonObject { ["Id"] = "Email", ["Arn"] = Fn.Ref(topic), ["InputTransformer"] = message.DeepClone() });
        }
        if (alerts.TopicArn is { } own)
        {
            targets.Add((JsonNode)new JsonObject { ["Id"] = "Topic", ["Arn"] = own.Value.DeepClone(), ["InputTransformer"] = message.DeepClone() });
        }
        return new Resource("AWS::Events::Rule", new JsonObject
        {
            ["EventPattern"] = pattern,
            ["State"] = "ENABLED",
            ["Targets"] = targets,
        });
    }

    /// <summary>Each address confirms its subscription once, from the e-mail SNS sends it.</summary>
    private static Resource BuildTopic(IEnumerable<string> emails, IReadOnlyList<KeyValuePair<string, JsonNode>> tags) =>
        Properties.Tagged("AWS::SNS::Topic", tags, new JsonObject
        {
            ["Subscription"] = new JsonArray([.. emails.Select(e => (JsonNode)new JsonObject { ["Endpoint"] = e, ["Protocol"] = "email" })]),
        });

    /// <summary>
    /// Only EventBridge may publish, and only for these rules (<c>aws:SourceArn</c>), so no other
    /// rule or account can send mail in the stack's name:
    /// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sns-permissions
    /// </summary>
    private static Resource BuildTopicPolicy(string topic, IReadOnlyList<string> rules) => new("AWS::SNS::TopicPolicy", new JsonObject
    {
        ["Topics"] = new JsonArray(Fn.Ref(topic)),
        ["PolicyDocument"] = IamPolicy.Document(
        [
            new JsonObject
            {
                ["Sid"] = "EventBridgePublishesAlerts",
                ["Effect"] = "Allow",
                ["Principal"] = new JsonObject { ["Service"] = "events.amazonaws.com" },
                ["Action"] = "sns:Publish",
                ["Resource"] = Fn.Ref(topic),
                ["Condition"] = new JsonObject
                {
                    ["ArnEquals"] = new JsonObject { ["aws:SourceArn"] = new JsonArray([.. rules.Select(r => (JsonNode)Fn.GetAtt(r, "Arn"))]) },
                },
            },
        ]),
    });
}
