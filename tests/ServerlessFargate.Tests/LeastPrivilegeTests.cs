using System.Text.Json.Nodes;

namespace ServerlessFargate.Tests;

/// <summary>
/// Walks the IAM policies of the generated templates (the golden cases of issue 21) and asks
/// what each task can do: which statements its task role holds, which secrets, keys and
/// repositories its execution role reaches, which roles the role that starts it may pass.
/// </summary>
public sealed class LeastPrivilegeTests
{
    private const string OwnStatements = "task-with-own-iam-statements-beside-shared-role";
    private const string PerTask = "roles-per-task-secrets-images-and-schedule";
    private const string ExecOnOne = "exec-on-one-task-only";
    private const string PerTaskEvents = "roles-per-task-with-events-and-a-schedule-map";

    [Fact]
    public void A_task_with_statements_of_its_own_holds_the_fargate_level_and_its_own_never_the_providers()
    {
        var template = Golden(OwnStatements);

        // The worker and the archiver run as roles of their own, without the Lambda functions' DynamoDB access
        var worker = TaskRole(template, "QueueworkerTask");
        Assert.Equal("QueueworkerTaskRole", worker.Id);
        Assert.Equal(["cloudwatch:PutMetricData", "sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:ReceiveMessage"], Actions(worker.Role));
        Assert.Equal(["arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess"], ManagedPolicies(worker.Role));
        Assert.Equal(["cloudwatch:PutMetricData", "s3:PutObject"], Actions(TaskRole(template, "ArchiverTask").Role));
        Assert.Empty(ManagedPolicies(TaskRole(template, "ArchiverTask").Role));

        // The task without keeps the shared role, provider statements and policies first, as the reference writes it
        var api = TaskRole(template, "ApiTask");
        Assert.Equal("FargateIamTaskRole", api.Id);
        Assert.Equal(["cloudwatch:PutMetricData", "dynamodb:*"], Actions(api.Role));
        Assert.Equal(["arn:aws:iam::aws:policy/AmazonDynamoDBReadOnlyAccess"], ManagedPolicies(api.Role));
    }

    [Fact]
    public void With_roles_per_task_no_task_role_holds_a_provider_statement_or_a_shared_role()
    {
        var template = Golden(PerTask);

        foreach (var definition in new[] { "PaymentsTask", "ReportsTask", "NightlyexportTask" })
        {
            var role = TaskRole(template, definition);
            Assert.Equal(definition + "Role", role.Id);
            Assert.DoesNotContain("*", Actions(role.Role));
            Assert.Contains("xray:PutTraceSegments", Actions(role.Role));
        }
        Assert.Equal(["s3:GetObject", "xray:PutTraceSegments"], Actions(TaskRole(template, "ReportsTask").Role));
        var resources = template["Resources"]!.AsObject();
        Assert.DoesNotContain("FargateIamTaskRole", resources.Select(r => r.Key));
        Assert.DoesNotContain("FargateIamExecutionRole", resources.Select(r => r.Key));
        Assert.DoesNotContain("FargateIamEventsRole", resources.Select(r => r.Key));
    }

    [Fact]
    public void An_execution_role_reads_only_its_tasks_secrets_with_its_keys_and_pulls_only_its_repositories()
    {
        var template = Golden(PerTask);
        var definitions = new[] { "PaymentsTask", "ReportsTask", "NightlyexportTask" };

        foreach (var definition in definitions)
        {
            var role = ExecutionRole(template, definition);
            Assert.Equal(definition.Replace("Task", "ExecutionRole"), role.Id);
            // Exactly the secrets its own containers read: none of another task's
            Assert.Equal(SecretsOf(template, definition), Resources(role.Role, "secretsmanager:GetSecretValue", "ssm:GetParameters"));
            foreach (var other in definitions.Where(d => d != definition))
            {
                Assert.Empty(SecretsOf(template, other).Intersect(Resources(role.Role, "secretsmanager:GetSecretValue", "ssm:GetParameters")));
            }
            // No managed policy: AmazonECSTaskExecutionRolePolicy would pull from every repository
            Assert.Empty(ManagedPolicies(role.Role));
            Assert.Equal([Json(Fn("Fn::GetAtt", new JsonArray("FargateTasksLogGroup", "Arn")))], Resources(role.Role, "logs:PutLogEvents"));
        }
        Assert.Equal(["\"arn:aws:kms:eu-west-1:123456789012:key/0123abcd-12ab-34cd-56ef-1234567890ab\""],
            Resources(ExecutionRole(template, "PaymentsTask").Role, "kms:Decrypt"));
        Assert.Empty(Resources(ExecutionRole(template, "ReportsTask").Role, "kms:Decrypt"));

        // A private ECR image: its repository only. A public image: no ECR permission at all.
        Assert.Equal(["{\"Fn::Sub\":\"arn:${AWS::Partition}:ecr:eu-west-1:123456789012:repository/payments\"}"],
            Resources(ExecutionRole(template, "PaymentsTask").Role, "ecr:BatchGetImage"));
        Assert.Single(Resources(ExecutionRole(template, "ReportsTask").Role, "ecr:BatchGetImage"));
        Assert.DoesNotContain(Actions(ExecutionRole(template, "NightlyexportTask").Role), a => a.StartsWith("ecr:", StringComparison.Ordinal));
    }

    /// <summary>Every golden template: a role that starts tasks passes exactly those tasks' two roles, to ECS only.</summary>
    [Fact]
    public void Every_role_that_starts_tasks_passes_exactly_their_roles_to_ecs_tasks()
    {
        var checkedRoles = 0;
        foreach (var folder in Directory.GetDirectories(RepositoryPaths.Golden).Order(StringComparer.Ordinal))
        {
            var path = Path.Combine(folder, GoldenTests.TemplateFile);
            if (!File.Exists(path))
            {
                continue;
            }
            var template = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
            foreach (var (id, role) in Roles(template))
            {
                var runTask = Statements(role).Where(s => ActionsOf(s).Contains("ecs:RunTask")).ToList();
                if (runTask.Count == 0)
                {
                    continue;
                }
                var started = runTask.SelectMany(s => List(s["Resource"])).Select(r => r!["Ref"]!.GetValue<string>()).ToList();
                var expected = started
                    .SelectMany(d => new[] { Properties(template, d)["ExecutionRoleArn"], Properties(template, d)["TaskRoleArn"] })
                    .Select(Json).ToHashSet();
                var passRole = Assert.Single(Statements(role), s => ActionsOf(s).Contains("iam:PassRole"));
                Assert.True(expected.SetEquals(List(passRole["Resource"]).Select(Json)),
                    $"{Path.GetFileName(folder)}: {id} passes {passRole["Resource"]!.ToJsonString()}, its tasks {string.Join(", ", started)} run with {string.Join(", ", expected)}");
                Assert.Equal("ecs-tasks.amazonaws.com", passRole["Condition"]!["StringLike"]!["iam:PassedToService"]!.GetValue<string>());
                checkedRoles++;
            }
        }
        Assert.True(checkedRoles >= 8, $"only {checkedRoles} roles that start tasks were found");
    }

    [Fact]
    public void The_scheduled_tasks_own_events_role_runs_only_that_task()
    {
        var template = Golden(PerTask);

        var rule = Properties(template, "NightlyexportScheduledTask");
        var roleId = rule["Targets"]![0]!["RoleArn"]!["Fn::GetAtt"]![0]!.GetValue<string>();
        Assert.Equal("NightlyexportEventsRole", roleId);
        var runTask = Assert.Single(Statements(Properties(template, roleId)), s => ActionsOf(s).Contains("ecs:RunTask"));
        Assert.Equal(["{\"Ref\":\"NightlyexportTask\"}"], List(runTask["Resource"]).Select(Json));
        // Roles given by ARN: nothing generated for them, and the task's own starter passes exactly them
        Assert.DoesNotContain("LegacyTaskRole", template["Resources"]!.AsObject().Select(r => r.Key));
        Assert.DoesNotContain("LegacyExecutionRole", template["Resources"]!.AsObject().Select(r => r.Key));
    }

    [Fact]
    public void Each_tasks_own_scheduler_role_may_send_only_to_its_own_dead_letter_queue()
    {
        var template = Golden("roles-per-task-scheduler-schedules");

        Assert.Equal(["ecs:RunTask", "iam:PassRole", "sqs:SendMessage"], Actions(Properties(template, "ReportSchedulerRole")));
        Assert.Equal(["ecs:RunTask", "iam:PassRole"], Actions(Properties(template, "CleanupSchedulerRole")));
        Assert.DoesNotContain("FargateIamSchedulerRole", template["Resources"]!.AsObject().Select(r => r.Key));
    }

    [Fact]
    public void Ecs_exec_permissions_are_on_a_role_only_when_a_task_running_as_it_has_exec_on()
    {
        var template = Golden(ExecOnOne);

        Assert.Equal(["DebuggableTaskRole"], Roles(template).Where(r => Actions(r.Role).Any(a => a.StartsWith("ssmmessages:", StringComparison.Ordinal))).Select(r => r.Id));
        Assert.Equal("DebuggableTaskRole", TaskRole(template, "DebuggableTask").Id);
        Assert.Equal("QuietTaskRole", TaskRole(template, "QuietTask").Id);
        Assert.Equal("FargateIamTaskRole", TaskRole(template, "WebTask").Id);
    }

    [Fact]
    public void Validate_json_lists_each_tasks_roles_and_where_each_statement_came_from()
    {
        var run = CliRunner.Run(Path.Combine(RepositoryPaths.Golden, OwnStatements), "validate", ".", "--format", "json");

        Assert.Equal(0, run.ExitCode);
        var tasks = JsonNode.Parse(run.Out)!["tasks"]!.AsArray().ToDictionary(t => t!["task"]!.GetValue<string>());
        Assert.Equal("FargateIamTaskRole", tasks["api"]!["taskRole"]!["logicalId"]!.GetValue<string>());
        Assert.True(tasks["api"]!["taskRole"]!["shared"]!.GetValue<bool>());
        Assert.Equal(["provider provider.iam.role.statements[0] 10", "fargate fargate.iamRoleStatements[0] 18"], Sources(tasks["api"]!, "statements"));
        Assert.Equal(["fargate fargate.iamRoleStatements[0] 18", "task fargate.tasks.queue-worker.iamRoleStatements[0] 29"], Sources(tasks["queue-worker"]!, "statements"));
        Assert.Equal(["task fargate.tasks.queue-worker.iamManagedPolicies[0] 33"], Sources(tasks["queue-worker"]!, "managedPolicies"));
        Assert.Equal("FargateIamExecutionRole", tasks["queue-worker"]!["executionRole"]!["logicalId"]!.GetValue<string>());
        Assert.Equal("FargateIamEventsRole", tasks["archiver"]!["startedBy"]![0]!["logicalId"]!.GetValue<string>());
    }

    [Fact]
    public void Validate_json_names_the_exec_key_behind_the_ssmmessages_statement_and_roles_given_by_arn()
    {
        var run = CliRunner.Run(Path.Combine(RepositoryPaths.Golden, ExecOnOne), "validate", ".", "--format", "json");
        var tasks = JsonNode.Parse(run.Out)!["tasks"]!.AsArray().ToDictionary(t => t!["task"]!.GetValue<string>());
        Assert.Equal(["task fargate.tasks.debuggable.iamRoleStatements[0] 18", "exec fargate.tasks.debuggable.exec 16"], Sources(tasks["debuggable"]!, "statements"));
        Assert.Empty(Sources(tasks["web"]!, "statements"));

        var perTask = CliRunner.Run(Path.Combine(RepositoryPaths.Golden, PerTask), "validate", ".", "--format", "json");
        var legacy = JsonNode.Parse(perTask.Out)!["tasks"]!.AsArray().Single(t => t!["task"]!.GetValue<string>() == "legacy")!;
        Assert.Equal("arn:aws:iam::123456789012:role/legacy-task", legacy["taskRole"]!["arn"]!.GetValue<string>());
        Assert.Null(legacy["taskRole"]!["statements"]);
        Assert.Equal("LegacyEventsRole", legacy["startedBy"]![0]!["logicalId"]!.GetValue<string>());
    }

    [Fact]
    public void A_task_started_by_events_and_by_scheduler_has_a_role_of_its_own_for_each_and_each_passes_only_its_roles()
    {
        var template = Golden(PerTaskEvents);
        var resources = template["Resources"]!.AsObject();
        Assert.Equal("events.amazonaws.com", resources["DigestEventsRole"]!["Properties"]!["AssumeRolePolicyDocument"]!["Statement"]![0]!["Principal"]!["Service"]![0]!.GetValue<string>());
        Assert.Equal("scheduler.amazonaws.com", resources["DigestSchedulerRole"]!["Properties"]!["AssumeRolePolicyDocument"]!["Statement"]![0]!["Principal"]!["Service"]![0]!.GetValue<string>());
        Assert.Equal("DigestEventsRole", resources["DigestEventRule1"]!["Properties"]!["Targets"]![0]!["RoleArn"]!["Fn::GetAtt"]![0]!.GetValue<string>());
        Assert.Equal("DigestSchedulerRole", resources["DigestSchedule1"]!["Properties"]!["Target"]!["RoleArn"]!["Fn::GetAtt"]![0]!.GetValue<string>());
        Assert.Equal("TranscodeEventsRole", resources["TranscodeEventRule1"]!["Properties"]!["Targets"]![0]!["RoleArn"]!["Fn::GetAtt"]![0]!.GetValue<string>());
        Assert.False(resources.ContainsKey("FargateIamEventsRole"));
        Assert.False(resources.ContainsKey("FargateIamSchedulerRole"));

        var run = CliRunner.Run(Path.Combine(RepositoryPaths.Golden, PerTaskEvents), "validate", ".", "--format", "json");
        var digest = JsonNode.Parse(run.Out)!["tasks"]!.AsArray().Single(t => t!["task"]!.GetValue<string>() == "digest")!;
        Assert.Equal(["eventbridge DigestEventsRole", "scheduler DigestSchedulerRole"],
            digest["startedBy"]!.AsArray().Select(s => $"{s!["by"]} {s["logicalId"]}"));
    }

    private static List<string> Sources(JsonNode task, string list) =>
        [.. task["taskRole"]![list]!.AsArray().Select(s => $"{s!["source"]} {s["path"]} {s["line"]}")];

    internal static JsonObject Golden(string name) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Golden, name, GoldenTests.TemplateFile)))!.AsObject();

    private static JsonObject Properties(JsonObject template, string id) => template["Resources"]![id]!["Properties"]!.AsObject();

    private static IEnumerable<(string Id, JsonObject Role)> Roles(JsonObject template) =>
        template["Resources"]!.AsObject().Where(r => r.Value!["Type"]!.GetValue<string>() == "AWS::IAM::Role")
            .Select(r => (r.Key, r.Value!["Properties"]!.AsObject()));

    /// <summary>The generated role a task definition names in <paramref name="property"/>.</summary>
    private static (string Id, JsonObject Role) RoleOf(JsonObject template, string definition, string property)
    {
        var id = Properties(template, definition)[property]!["Fn::GetAtt"]![0]!.GetValue<string>();
        return (id, Properties(template, id));
    }

    private static (string Id, JsonObject Role) TaskRole(JsonObject template, string definition) => RoleOf(template, definition, "TaskRoleArn");

    private static (string Id, JsonObject Role) ExecutionRole(JsonObject template, string definition) => RoleOf(template, definition, "ExecutionRoleArn");

    private static IEnumerable<JsonObject> Statements(JsonObject role) =>
        (role["Policies"] as JsonArray ?? []).SelectMany(p => p!["PolicyDocument"]!["Statement"]!.AsArray()).Select(s => s!.AsObject());

    private static IEnumerable<string> ActionsOf(JsonObject statement) => List(statement["Action"]).Select(a => a!.GetValue<string>());

    /// <summary>Every action a role's inline policies allow, sorted.</summary>
    private static List<string> Actions(JsonObject role) => [.. Statements(role).SelectMany(ActionsOf).Distinct().Order(StringComparer.Ordinal)];

    private static List<string> ManagedPolicies(JsonObject role) => [.. List(role["ManagedPolicyArns"]).Select(Json).Select(p => p.Trim('"'))];

    /// <summary>The resources (as JSON text) of the statements allowing any of <paramref name="actions"/>.</summary>
    private static HashSet<string> Resources(JsonObject role, params string[] actions) =>
        [.. Statements(role).Where(s => ActionsOf(s).Any(actions.Contains)).SelectMany(s => List(s["Resource"])).Select(Json)];

    /// <summary>What the containers of a task definition read their secrets from (ValueFrom, as JSON text).</summary>
    private static HashSet<string> SecretsOf(JsonObject template, string definition) =>
        [.. Properties(template, definition)["ContainerDefinitions"]!.AsArray()
            .SelectMany(c => c!["Secrets"] as JsonArray ?? []).Select(s => Json(s!["ValueFrom"]))];

    private static IEnumerable<JsonNode?> List(JsonNode? node) => node switch
    {
        null => [],
        JsonArray list => list,
        _ => new[] { node },
    };

    private static JsonObject Fn(string name, JsonNode value) => new() { [name] = value };

    private static string Json(JsonNode? node) => node?.ToJsonString() ?? "null";
}

/// <summary>The golden templates of issue 21 create stacks on moto's CloudFormation, roles and policies as IAM keeps them.</summary>
public sealed class LeastPrivilegeMotoTests(MotoServer moto) : IClassFixture<MotoServer>
{
    [Theory]
    [InlineData("task-with-own-iam-statements-beside-shared-role")]
    [InlineData("roles-per-task-secrets-images-and-schedule")]
    [InlineData("exec-on-one-task-only")]
    public void Golden_template_creates_a_stack(string name)
    {
        var stack = Create(name);

        Assert.Equal("CREATE_COMPLETE", stack["StackStatus"]!.GetValue<string>());
    }

    [Fact]
    public void The_per_task_events_role_may_pass_the_created_roles_of_its_task_and_no_other()
    {
        // Given the per-task template deployed
        var stack = Create("roles-per-task-secrets-images-and-schedule")["StackName"]!.GetValue<string>();

        // When IAM is asked what the scheduled task's events role may pass
        var passRole = Policy(Physical(stack, "NightlyexportEventsRole"), "FargateRunScheduledTasks")
            .Single(s => s!["Action"]!.GetValue<string>() == "iam:PassRole")!;

        // Then it is exactly the ARNs of that task's two created roles
        var expected = new[] { "NightlyexportExecutionRole", "NightlyexportTaskRole" }.Select(id => RoleArn(Physical(stack, id))).Order(StringComparer.Ordinal);
        Assert.Equal(expected, passRole["Resource"]!.AsArray().Select(r => r!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(moto.Aws("iam", "list-roles").Out, "FargateIamTaskRole", StringComparison.Ordinal);

        // And the execution role of the task whose image the framework builds pulls from the repository the parameter names
        var pull = Policy(Physical(stack, "ReportsExecutionRole"), "FargateTaskExecution")
            .Single(s => s!["Action"] is JsonArray actions && actions.Any(a => a!.GetValue<string>() == "ecr:BatchGetImage"))!;
        Assert.Equal(["arn:aws:ecr:eu-west-1:123456789012:repository/serverless-billing-dev"], pull["Resource"]!.AsArray().Select(r => r!.GetValue<string>()));
    }

    /// <summary>
    /// The statements of a role's inline policy as IAM keeps it. moto answers the document as
    /// Python's repr of it (single quotes), not as JSON; these policies hold no quote of their own.
    /// </summary>
    private JsonArray Policy(string roleName, string policyName)
    {
        var policy = moto.Aws("iam", "get-role-policy", "--role-name", roleName, "--policy-name", policyName);
        Assert.True(policy.ExitCode == 0, policy.Output);
        var document = JsonNode.Parse(policy.Out)!["PolicyDocument"]!;
        return (document is JsonValue text ? JsonNode.Parse(text.GetValue<string>().Replace('\'', '"'))! : document)["Statement"]!.AsArray();
    }

    private JsonObject Create(string name)
    {
        var template = Path.Combine(RepositoryPaths.Golden, name, GoldenTests.TemplateFile);
        var stack = $"least-{Guid.NewGuid():N}"[..24];
        var parameters = (LeastPrivilegeTests.Golden(name)["Parameters"] as JsonObject ?? [])
            .Select(p => $"ParameterKey={p.Key},ParameterValue=123456789012.dkr.ecr.eu-west-1.amazonaws.com/serverless-billing-dev@sha256:{new string('a', 64)}")
            .ToArray();
        var create = moto.Aws(["cloudformation", "create-stack", "--stack-name", stack, "--template-body", $"file://{template}",
            "--capabilities", "CAPABILITY_IAM", .. parameters.Length > 0 ? ["--parameters", .. parameters] : Array.Empty<string>()]);
        Assert.True(create.ExitCode == 0, create.Output);
        return moto.WaitForStack(stack);
    }

    private string Physical(string stack, string logicalId)
    {
        var resource = moto.Aws("cloudformation", "describe-stack-resource", "--stack-name", stack, "--logical-resource-id", logicalId);
        Assert.True(resource.ExitCode == 0, resource.Output);
        return JsonNode.Parse(resource.Out)!["StackResourceDetail"]!["PhysicalResourceId"]!.GetValue<string>();
    }

    private string RoleArn(string roleName) =>
        JsonNode.Parse(moto.Aws("iam", "get-role", "--role-name", roleName).Out)!["Role"]!["Arn"]!.GetValue<string>();
}
