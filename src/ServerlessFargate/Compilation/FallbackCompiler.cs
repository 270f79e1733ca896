using System.Text.Json.Nodes;
using ServerlessFargate.CloudFormation;
using ServerlessFargate.Model;

namespace ServerlessFargate.Compilation;

/// <summary>
/// Spot fallback for a service (<c>spot: {fallback: true}</c>): an on-demand twin of the Spot
/// service, at 0 tasks, sharing its task definition; an EventBridge rule on the Spot service's
/// ECS "Service Action" events; and a Step Functions state machine, with no code to maintain, that
/// sets the twin's desired count: to the Spot service's desired count when ECS reports
/// SERVICE_TASK_PLACEMENT_FAILURE, back to 0 when it reports SERVICE_STEADY_STATE.
/// Every role involved reaches these two services only.
/// </summary>
internal static class FallbackCompiler
{
    public static void Add(CompiledTemplate template, TaskModel task, JsonObject spotService)
    {
        var id = task.Id;
        var fallback = spotService.DeepClone().AsObject();
        fallback["ServiceName"] = task.Name.Value + "-fallback";
        fallback["CapacityProviderStrategy"] = new JsonArray(new JsonObject { ["CapacityProvider"] = "FARGATE", ["Weight"] = 1 });
        // Created idle; the state machine starts tasks only while Spot cannot place them. A deploy
        // during a Spot shortage sets it back to 0 until the next placement failure event.
        fallback["DesiredCount"] = 0;
        template.Add(LogicalIds.FallbackService(id), new Resource("AWS::ECS::Service", fallback, task.DependsOn));
        if (task.Outputs.ServiceArn)
        {
            template.Add(LogicalIds.FallbackServiceArnOutput(id), new Output(Fn.Ref(LogicalIds.FallbackService(id))));
        }

        var role = IamPolicy.RoleProperties("states.amazonaws.com");
        role["Policies"] = new JsonArray(IamPolicy.Inline("FargateSpotFallback",
        [
            IamPolicy.Allow("ecs:DescribeServices", Fn.Ref(LogicalIds.Service(id))),
            IamPolicy.Allow("ecs:UpdateService", Fn.Ref(LogicalIds.FallbackService(id))),
        ]));
        template.Add(LogicalIds.FallbackRole(id), new Resource("AWS::IAM::Role", role));

        template.Add(LogicalIds.FallbackStateMachine(id), new Resource("AWS::StepFunctions::StateMachine", new JsonObject
        {
            ["RoleArn"] = Fn.GetAtt(LogicalIds.FallbackRole(id), "Arn"),
            ["Definition"] = Definition(),
            ["DefinitionSubstitutions"] = new JsonObject
            {
                ["Cluster"] = Fn.Ref(LogicalIds.Cluster),
                ["SpotService"] = Fn.Ref(LogicalIds.Service(id)),
                ["FallbackService"] = Fn.Ref(LogicalIds.FallbackService(id)),
                ["DescribeServices"] = Fn.PartitionArn("states:::aws-sdk:ecs:describeServices"),
                ["UpdateService"] = Fn.PartitionArn("states:::aws-sdk:ecs:updateService"),
            },
        }));

        template.Add(LogicalIds.FallbackRule(id), new Resource("AWS::Events::Rule", new JsonObject
        {
            ["Description"] = $"Starts and stops on-demand tasks of {task.Name.Value} while Fargate Spot cannot place them",
            ["EventPattern"] = new JsonObject
            {
                ["source"] = new JsonArray("aws.ecs"),
                ["detail-type"] = new JsonArray("ECS Service Action"),
                ["resources"] = new JsonArray(Fn.Ref(LogicalIds.Service(id))),
                ["detail"] = new JsonObject { ["eventName"] = new JsonArray("SERVICE_TASK_PLACEMENT_FAILURE", "SERVICE_STEADY_STATE") },
            },
            ["Targets"] = new JsonArray(new JsonObject
            {
                ["Id"] = id + "Fallback",
                ["Arn"] = Fn.Ref(LogicalIds.FallbackStateMachine(id)),
                ["RoleArn"] = Fn.GetAtt(LogicalIds.FallbackEventsRole, "Arn"),
            }),
        }));
    }

    /// <summary>The role EventBridge assumes to start the fallback state machines, and only those.</summary>
    public static Resource EventsRole(IEnumerable<TaskModel> tasks)
    {
        var role = IamPolicy.RoleProperties("events.amazonaws.com");
        role["Policies"] = new JsonArray(IamPolicy.Inline("FargateStartSpotFallback",
        [
            IamPolicy.Allow("states:StartExecution", tasks.Select(t => (JsonNode)Fn.Ref(LogicalIds.FallbackStateMachine(t.Id)))),
        ]));
        return new Resource("AWS::IAM::Role", role);
    }

    /// <summary>
    /// The state machine, in Amazon States Language, using its AWS SDK integration for ECS. The
    /// integration ARNs are substitutions in the stack's partition (aws-cn, aws-us-gov…): a
    /// whole-string placeholder is the form cfn-lint can check.
    /// </summary>
    private static JsonObject Definition() => new()
    {
        ["Comment"] = "Keeps on-demand tasks running while Fargate Spot cannot place the Spot service's tasks",
        ["StartAt"] = "Which event",
        ["States"] = new JsonObject
        {
            ["Which event"] = new JsonObject
            {
                ["Type"] = "Choice",
                ["Choices"] = new JsonArray(
                    new JsonObject { ["Variable"] = "$.detail.eventName", ["StringEquals"] = "SERVICE_TASK_PLACEMENT_FAILURE", ["Next"] = "Read the Spot service" },
                    new JsonObject { ["Variable"] = "$.detail.eventName", ["StringEquals"] = "SERVICE_STEADY_STATE", ["Next"] = "Stop on-demand tasks" }),
                ["Default"] = "Ignore",
            },
            ["Ignore"] = new JsonObject { ["Type"] = "Succeed" },
            ["Read the Spot service"] = new JsonObject
            {
                ["Type"] = "Task",
                ["Resource"] = "${DescribeServices}",
                ["Parameters"] = new JsonObject { ["Cluster"] = "${Cluster}", ["Services"] = new JsonArray("${SpotService}") },
                ["ResultSelector"] = new JsonObject { ["desired.$"] = "$.Services[0].DesiredCount" },
                ["Next"] = "Start on-demand tasks",
            },
            ["Start on-demand tasks"] = new JsonObject
            {
                ["Type"] = "Task",
                ["Resource"] = "${UpdateService}",
                ["Parameters"] = new JsonObject { ["Cluster"] = "${Cluster}", ["Service"] = "${FallbackService}", ["DesiredCount.$"] = "$.desired" },
                ["End"] = true,
            },
            ["Stop on-demand tasks"] = new JsonObject
            {
                ["Type"] = "Task",
                ["Resource"] = "${UpdateService}",
                ["Parameters"] = new JsonObject { ["Cluster"] = "${Cluster}", ["Service"] = "${FallbackService}", ["DesiredCount"] = 0 },
                ["End"] = true,
            },
        },
    };
}
