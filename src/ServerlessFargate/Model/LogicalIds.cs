using System.Text;


namespace ServerlessFargate.Model;

/// <summary>
/// Every CloudFormation logical ID and output name the engine emits. These are public API: they
/// equal the reference plugin's, so a stack it created updates in place. Renaming one makes
/// CloudFormation delete the resource and create a new one (a new cluster, new services, downtime).
/// Add new IDs; never change an existing one.
/// </summary>
public static class LogicalIds
{
    public const string Cluster = "FargateTasksCluster";
    public const string LogGroup = "FargateTasksLogGroup";
    public const string ExecutionRole = "FargateIamExecutionRole";
    public const string TaskRole = "FargateIamTaskRole";

    /// <summary>Ours, not the reference's: the role EventBridge assumes to start scheduled tasks.</summary>
    public const string EventsRole = "FargateIamEventsRole";

    /// <summary>
    /// The reference's <c>&lt;Id&gt;</c>: the task name without characters outside [0-9A-Za-z],
    /// first letter upper-cased: <c>nightly-report_v2</c> gives <c>Nightlyreportv2</c> (only the
    /// first letter changes case, so <c>a-b</c> and <c>ab</c> collide).
    /// </summary>
    public static string TaskId(string name)
    {
        var id = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                id.Append(c);
            }
        }
        if (id.Length > 0)
        {
            id[0] = char.ToUpperInvariant(id[0]);
        }
        return id.ToString();
    }

    public static string TaskDefinition(string id) => id + "Task";

    public static string Service(string id) => id + "Service";

    public static string ScheduledTask(string id) => id + "ScheduledTask";

    /// <summary>
    /// Ours: a task's own roles (<see cref="RoleScope"/>), named as the shared ones are after
    /// <c>FargateIam</c>: its task role (own <c>iamRoleStatements</c>, or <c>roles: per-task</c>),
    /// and with <c>roles: per-task</c> its execution role and the role that starts it on its schedule.
    /// </summary>
    public static string OwnTaskRole(string id) => id + "TaskRole";

    public static string OwnExecutionRole(string id) => id + "ExecutionRole";

    public static string OwnEventsRole(string id) => id + "EventsRole";

    public static string OwnSchedulerRole(string id) => id + "SchedulerRole";

    /// <summary>Ours: the network generated for tasks that name no subnets.</summary>
    public const string Vpc = "FargateVpc";

    public const string InternetGateway = "FargateVpcInternetGateway";

    public const string GatewayAttachment = "FargateVpcGatewayAttachment";

    public const string RouteTable = "FargateVpcRouteTable";

    public const string DefaultRoute = "FargateVpcDefaultRoute";

    public const string TasksSecurityGroup = "FargateTasksSecurityGroup";

    /// <summary>The n-th (1 or 2) public subnet of the generated network, and its route table association.</summary>
    public static string PublicSubnet(int number) => "FargateVpcPublicSubnet" + number.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static string PublicSubnetRoute(int number) => PublicSubnet(number) + "RouteTableAssociation";

    public const string VpcIdOutput = "FargateVpcId";

    /// <summary>Ours: the Application Load Balancer that `http` tasks share, and what serves it.</summary>
    public const string LoadBalancer = "FargateLoadBalancer";

    public const string LoadBalancerSecurityGroup = "FargateLoadBalancerSecurityGroup";

    public const string HttpListener = "FargateLoadBalancerHttpListener";

    public const string HttpsListener = "FargateLoadBalancerHttpsListener";

    public const string HttpTasksSecurityGroup = "FargateHttpTasksSecurityGroup";

    public const string LoadBalancerDnsNameOutput = "FargateLoadBalancerDnsName";

    public static string TargetGroup(string id) => id + "TargetGroup";

    public static string ListenerRule(string id) => id + "ListenerRule";

    public static string UrlOutput(string id) => id + "Url";

    /// <summary>Ours: the role EventBridge Scheduler assumes to start tasks on their schedules.</summary>
    public const string SchedulerRole = "FargateIamSchedulerRole";

    /// <summary>Ours: the role EventBridge assumes to start the Spot fallback state machines.</summary>
    public const string FallbackEventsRole = "FargateIamFallbackEventsRole";

    /// <summary>Ours: a Spot service's on-demand twin, and what scales it.</summary>
    public static string FallbackService(string id) => id + "FallbackService";

    public static string FallbackStateMachine(string id) => id + "FallbackStateMachine";

    public static string FallbackRole(string id) => id + "FallbackRole";

    public static string FallbackRule(string id) => id + "FallbackRule";

    public static string FallbackServiceArnOutput(string id) => id + "FallbackServiceArn";

    /// <summary>Ours: the n-th (from 1) EventBridge Scheduler schedule of a task, and its output.</summary>
    public static string Schedule(string id, int number) => id + "Schedule" + number.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static string ScheduleArnOutput(string id, int number) => Schedule(id, number) + "Arn";

    /// <summary>Ours: the EventBridge rule of a task's n-th (from 1) entry of <c>events</c>.</summary>
    public static string EventRule(string id, int number) => id + "EventRule" + number.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Ours: the state machine that runs a task for its events with <c>wholeEvent</c>, and the role it runs as.</summary>
    public static string EventStateMachine(string id) => id + "EventStateMachine";

    public static string EventStateMachineRole(string id) => id + "EventStateMachineRole";

    /// <summary>Ours: the SNS topic that e-mails the fargate level's alert addresses, and its policy.</summary>
    public const string AlertsTopic = "FargateAlertsTopic";

    public const string AlertsTopicPolicy = "FargateAlertsTopicPolicy";

    /// <summary>Ours: the topic of a task whose alert addresses are its own, and its policy.</summary>
    public static string AlertTopic(string id) => id + "AlertTopic";

    public static string AlertTopicPolicy(string id) => id + "AlertTopicPolicy";

    /// <summary>Ours: the EventBridge rules that alert on a task's failure and on its service's failed deployment.</summary>
    public static string FailureAlertRule(string id) => id + "FailureAlertRule";

    public static string DeploymentAlertRule(string id) => id + "DeploymentAlertRule";

    /// <summary>Ours: the EventBridge rule that alerts when <c>&lt;Id&gt;EventStateMachine</c> could not start the task.</summary>
    public static string StartFailureAlertRule(string id) => id + "StartFailureAlertRule";

    /// <summary>Ours: Application Auto Scaling of a service's task count.</summary>
    public static string ScalableTarget(string id) => id + "ScalableTarget";

    public static string CpuScalingPolicy(string id) => id + "CpuScalingPolicy";

    public static string MemoryScalingPolicy(string id) => id + "MemoryScalingPolicy";

    public static string QueueScalingPolicy(string id) => id + "QueueScalingPolicy";

    public static string TaskArnOutput(string id) => id + "TaskArn";

    public static string ServiceArnOutput(string id) => id + "ServiceArn";

    public static string ScheduledTaskArnOutput(string id) => id + "ScheduledTaskArn";

    /// <summary>Ours: the parameter that receives the URI of an image the framework builds.</summary>
    public static string ImageParameter(string imageName) => "FargateImage" + TaskId(imageName);

    /// <summary>The Serverless Framework's logical IDs for a function, to detect collisions with ours.</summary>
    public static IEnumerable<string> FunctionIds(string functionName)
    {
        yield return LambdaFunction(functionName);
        yield return NormalizedFunctionName(functionName) + "LogGroup";
    }

    /// <summary>The framework's ID of a function's AWS::Lambda::Function: <c>my-api</c> gives <c>MyDashapiLambdaFunction</c>.</summary>
    public static string LambdaFunction(string functionName) => NormalizedFunctionName(functionName) + "LambdaFunction";

    private static string NormalizedFunctionName(string functionName)
    {
        var normalized = functionName.Replace("-", "Dash", StringComparison.Ordinal).Replace("_", "Underscore", StringComparison.Ordinal);
        return normalized.Length > 0 ? char.ToUpperInvariant(normalized[0]) + normalized[1..] : normalized;
    }
}
