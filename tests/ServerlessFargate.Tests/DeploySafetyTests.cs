using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ServerlessFargate.Aws.Operations;
using ServerlessFargate.Cli;

namespace ServerlessFargate.Tests;

/// <summary>
/// deploy, remove and plan as the commands users trust with their stacks (SPEC §5): they change
/// only stacks sls-fargate made, show the plan, and ask before they destroy. Against moto; where
/// moto cannot produce a state, the fault injector changes the answer that shows it.
/// </summary>
public sealed class DeploySafetyTests(MotoServer moto) : IClassFixture<MotoServer>
{
    private readonly MotoCli _cli = new(moto);

    /// <summary>The worker service with a DynamoDB table of its own in <c>resources</c>.</summary>
    private const string WithTable = MotoCli.Config + """

        resources:
          Resources:
            Orders:
              Type: AWS::DynamoDB::Table
              Properties:
                TableName: SERVICE-orders
                BillingMode: PAY_PER_REQUEST
                AttributeDefinitions:
                  - { AttributeName: id, AttributeType: S }
                KeySchema:
                  - { AttributeName: id, KeyType: HASH }
        """;

    private JsonNode Stack(string name) => JsonNode.Parse(moto.Aws("cloudformation", "describe-stacks", "--stack-name", name).Out)!["Stacks"]![0]!;

    private List<string> Resources(string name) =>
        [.. JsonNode.Parse(moto.Aws("cloudformation", "list-stack-resources", "--stack-name", name).Out)!["StackResourceSummaries"]!.AsArray()
            .Select(r => r!["LogicalResourceId"]!.GetValue<string>()).Order(StringComparer.Ordinal)];

    /// <summary>How many change sets the stack has (moto keeps executed ones).</summary>
    private int ChangeSets(string name) =>
        JsonNode.Parse(moto.Aws("cloudformation", "list-change-sets", "--stack-name", name).Out)!["Summaries"]!.AsArray().Count;

    private CliRun Run(DirectoryInfo folder, FaultInjector injector, params string[] args) => _cli.Run(folder, injector, args);

    [Theory]
    [InlineData("functions:\n  hello:\n    handler: handler.hello\n", "it declares functions (hello)")]
    [InlineData("plugins:\n  - serverless-fargate-dotnet\n", "it lists serverless-fargate-dotnet under plugins")]
    public void A_service_the_framework_deploys_is_refused_by_deploy_remove_and_plan_before_any_aws_call(string addition, string reason)
    {
        var folder = MotoCli.Service(MotoCli.Unique("fw"), MotoCli.Config + "\n" + addition);
        foreach (var command in new[] { "deploy", "remove" })
        {
            var injector = new FaultInjector();

            var run = Run(folder, injector, command, "--yes");

            Assert.Equal(ExitCodes.UsageError, run.ExitCode);
            Assert.EndsWith($"sls-fargate: this service is deployed by the Serverless Framework ({reason}): use serverless {command}; " +
                $"sls-fargate {command} would {(command == "deploy" ? "replace the stack with the Fargate tasks alone and delete the rest" : "delete the functions too")}\n", run.Error);
            Assert.Empty(injector.Calls);
        }
        var plan = Run(folder, new FaultInjector(), "plan");
        Assert.Equal(ExitCodes.UsageError, plan.ExitCode);
        Assert.Contains("plan the whole stack with `serverless fargate plan`", plan.Error);
    }

    [Fact]
    public void A_stack_made_by_hand_is_refused_by_deploy_and_remove_even_with_yes_and_stays_as_it_was()
    {
        var name = MotoCli.Unique("hand");
        var stack = $"{name}-dev";
        // Someone made a stack of that name with a queue and a bucket of their own.
        Assert.Equal(0, moto.Aws("cloudformation", "create-stack", "--stack-name", stack, "--template-body",
            """{"Resources":{"Jobs":{"Type":"AWS::SQS::Queue"},"ServerlessDeploymentBucket":{"Type":"AWS::S3::Bucket"}}}""").ExitCode);
        var folder = MotoCli.Service(name);
        var injector = new FaultInjector();

        var deploy = Run(folder, injector, "deploy", "--yes");
        var remove = Run(folder, injector, "remove", "--yes");

        Assert.Equal(ExitCodes.AwsFailure, deploy.ExitCode);
        Assert.EndsWith($"sls-fargate: the stack {stack} was not made by sls-fargate (it has no sls-fargate:deployed-by tag), and deploying over it would delete " +
            "2 resources this configuration does not hold: Jobs, ServerlessDeploymentBucket; it looks made by the Serverless Framework: use serverless deploy and serverless remove. Nothing was changed\n", deploy.Error);
        Assert.Equal(ExitCodes.AwsFailure, remove.ExitCode);
        Assert.Contains("and removing it would delete 2 resources this configuration does not hold: Jobs, ServerlessDeploymentBucket", remove.Error);
        Assert.DoesNotContain("CreateChangeSet", injector.Calls);
        Assert.DoesNotContain("DeleteStack", injector.Calls);
        Assert.Equal(["Jobs", "ServerlessDeploymentBucket"], Resources(stack));
        Assert.Equal("CREATE_COMPLETE", Stack(stack)["StackStatus"]!.GetValue<string>());
    }

    [Fact]
    public void Deploy_marks_the_stacks_it_creates_with_a_tag_and_template_metadata()
    {
        var (name, _) = _cli.Deployed("mark");

        var tags = Stack($"{name}-dev")["Tags"]!.AsArray().Select(t => (t!["Key"]!.GetValue<string>(), t["Value"]!.GetValue<string>()));
        Assert.Contains(("sls-fargate:deployed-by", "sls-fargate"), tags);
        var template = JsonNode.Parse(moto.Aws("cloudformation", "get-template", "--stack-name", $"{name}-dev").Out)!["TemplateBody"]!;
        Assert.Equal("""{"DeployedBy":"sls-fargate"}""", template["Metadata"]!["SlsFargate"]!.ToJsonString());
    }

    [Fact]
    public void A_stack_made_before_the_mark_with_only_this_configurations_resources_is_ours()
    {
        var name = MotoCli.Unique("legacy");
        var folder = MotoCli.Service(name);
        // The stack an earlier sls-fargate made: the packaged template, no tag, no metadata.
        var package = CliRunner.Run(folder.FullName, "package", "--out", "-");
        Assert.Equal(0, package.ExitCode);
        var templateFile = Path.Combine(folder.FullName, "old.json");
        File.WriteAllText(templateFile, package.Out);
        Assert.Equal(0, moto.Aws("cloudformation", "create-stack", "--stack-name", $"{name}-dev", "--template-body", $"file://{templateFile}",
            "--capabilities", "CAPABILITY_IAM").ExitCode);
        MotoCli.Edit(folder, text => text.Replace("command: [\"./migrate\"]", "command: [\"./migrate\", \"--all\"]"));

        var deploy = Run(folder, new FaultInjector(), "deploy");

        Assert.True(deploy.ExitCode == 0, deploy.Error);
        Assert.Contains($"Deployed {name}-dev (UPDATE_COMPLETE)", deploy.Error);
    }

    [Fact]
    public void A_new_key_schema_on_a_named_table_is_planned_as_a_replacement_that_loses_data_and_fails_and_is_not_deployed_unconfirmed()
    {
        var (name, folder) = _cli.Deployed("table", WithTable);
        var changeSets = ChangeSets($"{name}-dev");
        MotoCli.Edit(folder, text => text.Replace("- { AttributeName: id, KeyType: HASH }", "- { AttributeName: sku, KeyType: HASH }")
            .Replace("- { AttributeName: id, AttributeType: S }", "- { AttributeName: sku, AttributeType: S }"));

        var plan = Run(folder, new FaultInjector(), "plan", "--format", "json");

        Assert.True(plan.ExitCode == 0, plan.Error);
        var orders = JsonNode.Parse(plan.Out)!["changes"]!.AsArray().Single(c => c!["logicalId"]!.GetValue<string>() == "Orders")!;
        Assert.Equal("replace", orders["action"]!.GetValue<string>());
        Assert.Equal("""["data-loss","update-fails"]""", orders["risks"]!.ToJsonString());
        Assert.Contains("KeySchema", orders["properties"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Equal(changeSets, ChangeSets($"{name}-dev"));

        // Off a terminal, without --yes: nothing is executed and the change set is gone.
        var injector = new FaultInjector();
        var deploy = Run(folder, injector, "deploy");

        Assert.Equal(ExitCodes.UsageError, deploy.ExitCode);
        Assert.Contains("[data-loss, update-fails]", deploy.Error);
        Assert.EndsWith("sls-fargate: the plan risks data-loss (Orders) and risks update-fails (Orders); confirm on a terminal or pass --yes. Nothing was deployed\n", deploy.Error);
        Assert.DoesNotContain("ExecuteChangeSet", injector.Calls);
        Assert.Contains("DeleteChangeSet", injector.Calls);
        Assert.Equal(changeSets, ChangeSets($"{name}-dev"));
        Assert.Equal("""[{"AttributeName":"id","KeyType":"HASH"}]""",
            JsonNode.Parse(moto.Aws("dynamodb", "describe-table", "--table-name", $"{name}-orders").Out)!["Table"]!["KeySchema"]!.ToJsonString());
    }

    [Fact]
    public void A_memory_change_is_a_benign_task_definition_revision_that_deploys_without_asking()
    {
        var (name, folder) = _cli.Deployed("memory");
        MotoCli.Edit(folder, text => text.Replace("    migrate:\n", "    migrate:\n      memory: 1GB\n"));

        var plan = Run(folder, new FaultInjector(), "plan", "--format", "json");
        var deploy = Run(folder, new FaultInjector(), "deploy");

        var task = JsonNode.Parse(plan.Out)!["changes"]!.AsArray().Single(c => c!["logicalId"]!.GetValue<string>() == "MigrateTask")!;
        Assert.Equal("replace", task["action"]!.GetValue<string>());
        Assert.Equal("[]", task["risks"]!.ToJsonString());
        Assert.Contains("revision", task["reasons"]!.ToJsonString());
        Assert.True(deploy.ExitCode == 0, deploy.Error);
        Assert.Contains($"Deployed {name}-dev (UPDATE_COMPLETE)", deploy.Error);
    }

    [Fact]
    public void On_a_terminal_deploy_asks_and_a_no_leaves_the_stack_as_it_was_while_a_yes_deploys()
    {
        var (name, folder) = _cli.Deployed("ask");
        // The scheduled task is dropped: its rule, role and task definition are removed.
        MotoCli.Edit(folder, text => text[..text.IndexOf("    nightly:", StringComparison.Ordinal)]);
        var questions = new List<string>();

        var declined = _cli.Run(folder, new FaultInjector(), default, null, ask: (q, _) => { questions.Add(q); return Task.FromResult<string?>("n"); }, "deploy");
        var accepted = _cli.Run(folder, new FaultInjector(), default, null, ask: (q, _) => { questions.Add(q); return Task.FromResult<string?>("y"); }, "deploy");

        Assert.Equal(ExitCodes.UsageError, declined.ExitCode);
        Assert.EndsWith("sls-fargate: not confirmed; nothing was deployed\n", declined.Error);
        Assert.Matches(@"^The plan removes \d+ resources\. Deploy\? \[y/N\] $", questions[0]);
        Assert.True(accepted.ExitCode == 0, accepted.Error);
        Assert.DoesNotContain("NightlyTask", Resources($"{name}-dev"));
    }

    [Fact]
    public void Remove_asks_for_the_stack_name_on_a_terminal_and_needs_yes_off_one()
    {
        var (name, folder) = _cli.Deployed("rm");

        var offTerminal = Run(folder, new FaultInjector(), "remove");
        var wrongName = _cli.Run(folder, new FaultInjector(), default, null, ask: (_, _) => Task.FromResult<string?>("y"), "remove");
        var rightName = _cli.Run(folder, new FaultInjector(), default, null, ask: (_, _) => Task.FromResult<string?>($"{name}-dev"), "remove");

        Assert.Equal(ExitCodes.UsageError, offTerminal.ExitCode);
        Assert.Matches($@"sls-fargate: remove deletes the stack {name}-dev and its \d+ resources; confirm on a terminal \(type the stack's name\) or pass --yes. Nothing was removed\n$", offTerminal.Error);
        Assert.Equal(ExitCodes.UsageError, wrongName.ExitCode);
        Assert.Contains("AWS::ECS::Cluster: FargateTasksCluster", wrongName.Error);
        Assert.True(rightName.ExitCode == 0, rightName.Error);
        Assert.Contains($"Removed {name}-dev", rightName.Error);
    }

    [Fact]
    public void Termination_protection_is_turned_on_by_deploy_and_remove_says_how_to_turn_it_off()
    {
        var name = MotoCli.Unique("protect");
        var folder = MotoCli.Service(name);
        // moto has no UpdateTerminationProtection: it is answered here, and DescribeStacks then says the protection is on.
        var protectedStack = false;
        var injector = new FaultInjector();
        injector.Replace["UpdateTerminationProtection"] = () =>
        {
            protectedStack = true;
            return new HttpResponseMessage(System.Net.HttpStatusCode.OK)
            {
                Content = new StringContent("<UpdateTerminationProtectionResponse><UpdateTerminationProtectionResult><StackId>x</StackId></UpdateTerminationProtectionResult></UpdateTerminationProtectionResponse>"),
            };
        };
        injector.RewriteText["DescribeStacks"] = xml => protectedStack
            ? xml.Replace("<EnableTerminationProtection>false</EnableTerminationProtection>", "<EnableTerminationProtection>true</EnableTerminationProtection>")
            : xml;

        var deploy = Run(folder, injector, "deploy", "--termination-protection");
        var remove = Run(folder, injector, "remove", "--yes");

        Assert.True(deploy.ExitCode == 0, deploy.Error);
        Assert.Contains("EnableTerminationProtection=true", injector.Bodies["UpdateTerminationProtection"]);
        Assert.Contains($"Termination protection is on for {name}-dev.", deploy.Error);
        Assert.Equal(ExitCodes.AwsFailure, remove.ExitCode);
        Assert.EndsWith($"sls-fargate: the stack {name}-dev has termination protection on; turn it off first (aws cloudformation update-termination-protection " +
            $"--no-enable-termination-protection --stack-name {name}-dev --region eu-west-1), then remove it again\n", remove.Error);
        Assert.DoesNotContain("DeleteStack", injector.Calls);
    }

    [Fact]
    public void A_stack_left_in_review_in_progress_is_taken_over()
    {
        var name = MotoCli.Unique("review");
        // A create change set never executed (Ctrl-C before it ran) leaves an empty stack in
        // REVIEW_IN_PROGRESS. moto makes a second stack of the same name for the next CREATE
        // change set instead of taking the first over, so the empty stack is shown here: the
        // first DescribeStacks and ListStackResources answer it.
        var injector = new FaultInjector();
        injector.FailBeforeSending["DescribeStacks"] = (1, () => new HttpResponseMessage(System.Net.HttpStatusCode.OK)
        {
            Content = new StringContent($"<DescribeStacksResponse><DescribeStacksResult><Stacks><member><StackName>{name}-dev</StackName>" +
                $"<StackId>arn:aws:cloudformation:eu-west-1:123456789012:stack/{name}-dev/0</StackId><StackStatus>REVIEW_IN_PROGRESS</StackStatus>" +
                "</member></Stacks></DescribeStacksResult></DescribeStacksResponse>"),
        });
        injector.FailBeforeSending["ListStackResources"] = (1, () => new HttpResponseMessage(System.Net.HttpStatusCode.OK)
        {
            Content = new StringContent("<ListStackResourcesResponse><ListStackResourcesResult><StackResourceSummaries/></ListStackResourcesResult></ListStackResourcesResponse>"),
        });

        var deploy = Run(MotoCli.Service(name), injector, "deploy");

        Assert.True(deploy.ExitCode == 0, deploy.Error);
        Assert.Contains("ChangeSetType=CREATE", injector.Bodies["CreateChangeSet"]);
        Assert.Contains($"Deployed {name}-dev (CREATE_COMPLETE)", deploy.Error);
    }

    [Fact]
    public void A_failed_first_create_is_deleted_and_created_again_once_confirmed()
    {
        var (name, folder) = _cli.Deployed("rbc");
        // moto's creates do not fail: DescribeStacks says ROLLBACK_COMPLETE until the stack is deleted.
        var deleted = false;
        var injector = new FaultInjector();
        injector.RewriteText["DescribeStacks"] = xml => deleted ? xml : Regex.Replace(xml, "<StackStatus>[A-Z_]+</StackStatus>", "<StackStatus>ROLLBACK_COMPLETE</StackStatus>");
        injector.RewriteText["DeleteStack"] = xml =>
        {
            deleted = true;
            return xml;
        };

        var unconfirmed = Run(folder, injector, "deploy");
        var confirmed = Run(folder, injector, "deploy", "--yes");

        Assert.Equal(ExitCodes.UsageError, unconfirmed.ExitCode);
        Assert.Contains($"The stack {name}-dev is ROLLBACK_COMPLETE after a failed first create: it is deleted and created again.", unconfirmed.Error);
        Assert.EndsWith("sls-fargate: the plan deletes the failed stack; confirm on a terminal or pass --yes. Nothing was deployed\n", unconfirmed.Error);
        Assert.True(confirmed.ExitCode == 0, confirmed.Error);
        Assert.Single(injector.Calls, c => c == "DeleteStack");
        Assert.Contains($"Deployed {name}-dev (CREATE_COMPLETE)", confirmed.Error);
    }

    [Fact]
    public void A_create_change_set_cloudformation_refuses_is_deleted_with_the_empty_stack_it_made()
    {
        var name = MotoCli.Unique("refuse");
        // CloudFormation refuses the change set (moto accepts everything): DescribeChangeSet says FAILED.
        var injector = new FaultInjector();
        injector.RewriteText["DescribeChangeSet"] = xml => Regex.Replace(xml, "<Status>[A-Z_]+</Status>",
            "<Status>FAILED</Status><StatusReason>Template error: instance of Fn::GetAtt references undefined resource Nothing</StatusReason>");

        var deploy = Run(MotoCli.Service(name), injector, "deploy");

        Assert.Equal(ExitCodes.AwsFailure, deploy.ExitCode);
        Assert.EndsWith("sls-fargate: CloudFormation could not prepare the change: Template error: instance of Fn::GetAtt references undefined resource Nothing; nothing was changed\n", deploy.Error);
        Assert.Contains("DeleteChangeSet", injector.Calls);
        Assert.Contains("DeleteStack", injector.Calls);
        Assert.DoesNotContain(name, moto.Aws("cloudformation", "list-stacks", "--stack-status-filter", "REVIEW_IN_PROGRESS", "CREATE_COMPLETE").Out);
    }

    [Fact]
    public void A_stack_whose_update_rollback_failed_says_how_to_continue_and_continue_rollback_does_it_then_deploys()
    {
        var (name, folder) = _cli.Deployed("urf");
        MotoCli.Edit(folder, text => text.Replace("command: [\"./migrate\"]", "command: [\"./migrate\", \"--all\"]"));
        // moto cannot fail a rollback: DescribeStacks says UPDATE_ROLLBACK_FAILED (and the service
        // why) until ContinueUpdateRollback, which moto lacks and is answered here; then
        // UPDATE_ROLLBACK_COMPLETE until the new change set is executed.
        var phase = "failed";
        var injector = new FaultInjector();
        injector.RewriteText["DescribeStacks"] = xml => phase switch
        {
            "failed" => Regex.Replace(xml, "<StackStatus>[A-Z_]+</StackStatus>", "<StackStatus>UPDATE_ROLLBACK_FAILED</StackStatus>"),
            "rolled back" => Regex.Replace(xml, "<StackStatus>[A-Z_]+</StackStatus>", "<StackStatus>UPDATE_ROLLBACK_COMPLETE</StackStatus>"),
            _ => xml,
        };
        injector.RewriteText["ListStackResources"] = xml => phase != "failed" ? xml : Regex.Replace(xml,
            "(<ResourceType>AWS::ECS::Service</ResourceType><ResourceStatus>)[A-Z_]+(</ResourceStatus>)",
            "$1UPDATE_FAILED$2<ResourceStatusReason>Service arn:aws:ecs:eu-west-1:123456789012:service/x/y did not stabilize</ResourceStatusReason>");
        injector.Replace["ContinueUpdateRollback"] = () =>
        {
            phase = "rolled back";
            return new HttpResponseMessage(System.Net.HttpStatusCode.OK)
            {
                Content = new StringContent("<ContinueUpdateRollbackResponse><ContinueUpdateRollbackResult/></ContinueUpdateRollbackResponse>"),
            };
        };
        injector.RewriteText["ExecuteChangeSet"] = xml =>
        {
            phase = "deploying";
            return xml;
        };

        var refused = Run(folder, injector, "deploy");
        var continued = Run(folder, injector, "deploy", "--continue-rollback");

        Assert.Equal(ExitCodes.AwsFailure, refused.ExitCode);
        Assert.EndsWith($"sls-fargate: the stack {name}-dev is UPDATE_ROLLBACK_FAILED: CloudFormation could not roll back MigrateService (AWS::ECS::Service): " +
            "Service arn:aws:ecs:eu-west-1:123456789012:service/x/y did not stabilize. Fix what stops them, then `sls-fargate deploy --continue-rollback` rolls back and deploys " +
            $"(or: aws cloudformation continue-update-rollback --stack-name {name}-dev --region eu-west-1)\n", refused.Error);
        Assert.True(continued.ExitCode == 0, continued.Error);
        Assert.Contains($"Continuing the rollback of {name}-dev", continued.Error);
        Assert.Contains($"Deployed {name}-dev (UPDATE_COMPLETE)", continued.Error);
        Assert.Single(injector.Calls, c => c == "ContinueUpdateRollback");
    }

    [Fact]
    public void A_stack_whose_deletion_failed_names_what_could_not_be_deleted()
    {
        var (name, folder) = _cli.Deployed("delf");
        // moto deletes everything: after DeleteStack, the stack is DELETE_FAILED and the cluster says why.
        var deleted = false;
        var injector = new FaultInjector();
        injector.Replace["DeleteStack"] = () =>
        {
            deleted = true;
            return new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new StringContent("<DeleteStackResponse><ResponseMetadata/></DeleteStackResponse>") };
        };
        injector.RewriteText["DescribeStacks"] = xml => deleted ? Regex.Replace(xml, "<StackStatus>[A-Z_]+</StackStatus>", "<StackStatus>DELETE_FAILED</StackStatus>") : xml;
        injector.RewriteText["ListStackResources"] = xml => !deleted ? xml : Regex.Replace(xml,
            "(<ResourceType>AWS::ECS::Cluster</ResourceType><ResourceStatus>)[A-Z_]+(</ResourceStatus>)",
            "$1DELETE_FAILED$2<ResourceStatusReason>The Cluster cannot be deleted while Services are active.</ResourceStatusReason>");

        var remove = Run(folder, injector, "remove", "--yes");

        Assert.Equal(ExitCodes.AwsFailure, remove.ExitCode);
        Assert.EndsWith($"sls-fargate: the stack {name}-dev is DELETE_FAILED: CloudFormation could not delete FargateTasksCluster (AWS::ECS::Cluster): " +
            "The Cluster cannot be deleted while Services are active. Delete or empty them (an S3 bucket must be empty), then run sls-fargate remove again\n", remove.Error);
    }

    [Fact]
    public void While_a_service_settles_deploy_prints_its_events_and_stopped_tasks_and_says_why_the_circuit_breaker_rolled_back()
    {
        var (name, folder) = _cli.Deployed("settle");
        MotoCli.Edit(folder, text => text.Replace("app:1.0\n      command", "app:2.0\n      command"));
        // moto finishes the update at once and keeps no service events or stopped tasks: once the
        // change set runs, the injector answers what ECS says of a deployment that fails (a
        // service event, a task whose container exited 1, the circuit breaker's rollback), and
        // the stack ends rolled back.
        var executed = false;
        const string taskArn = "arn:aws:ecs:eu-west-1:123456789012:task/cluster/0123456789abcdef0123456789abcdef";
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var injector = new FaultInjector();
        injector.RewriteText["ExecuteChangeSet"] = xml =>
        {
            executed = true;
            return xml;
        };
        injector.Rewrite["DescribeServices"] = answer =>
        {
            foreach (var service in executed ? answer["services"]!.AsArray() : [])
            {
                service!["events"] = new JsonArray(new JsonObject { ["id"] = "e1", ["createdAt"] = now, ["message"] = "(service migrate) has started 1 tasks: (task 01234567)." });
                service["deployments"] = new JsonArray(new JsonObject
                {
                    ["id"] = "ecs-svc/1", ["status"] = "PRIMARY", ["rolloutState"] = "FAILED",
                    ["rolloutStateReason"] = "ECS deployment circuit breaker: tasks failed to start.",
                });
            }
        };
        injector.Rewrite["ListTasks"] = answer => answer["taskArns"] = executed ? new JsonArray(taskArn) : answer["taskArns"]!.DeepClone();
        injector.Rewrite["DescribeTasks"] = answer =>
        {
            if (executed)
            {
                answer["failures"] = new JsonArray();
                answer["tasks"] = new JsonArray(new JsonObject
                {
                    ["taskArn"] = taskArn, ["lastStatus"] = "STOPPED", ["stoppedAt"] = now, ["stoppedReason"] = "Essential container in task exited",
                    ["containers"] = new JsonArray(new JsonObject { ["name"] = "migrate", ["exitCode"] = 1 }),
                });
            }
        };
        injector.RewriteText["DescribeStacks"] = xml => executed ? Regex.Replace(xml, "<StackStatus>[A-Z_]+</StackStatus>", "<StackStatus>UPDATE_ROLLBACK_COMPLETE</StackStatus>") : xml;

        var deploy = Run(folder, injector, "deploy");

        Assert.Equal(ExitCodes.AwsFailure, deploy.ExitCode);
        Assert.Matches($@"\n  ECS  \S+: \(service migrate\) has started 1 tasks: \(task 01234567\)\.\n", deploy.Error);
        Assert.Matches(@"\n  ECS  \S+: task 01234567 stopped: Essential container in task exited \(migrate exited with 1\)\n", deploy.Error);
        Assert.Matches(@"; the deployment circuit breaker rolled back \S+: ECS deployment circuit breaker: tasks failed to start\.\n$", deploy.Error);
        Assert.DoesNotContain("internal error", deploy.Error);
    }

    [Fact]
    public void Ctrl_c_at_the_question_deletes_the_change_set_and_deploys_nothing()
    {
        var (name, folder) = _cli.Deployed("askcut");
        var changeSets = ChangeSets($"{name}-dev");
        MotoCli.Edit(folder, text => text[..text.IndexOf("    nightly:", StringComparison.Ordinal)]);
        using var interrupt = new CancellationTokenSource();
        var injector = new FaultInjector();

        // The user presses Ctrl-C instead of answering.
        var deploy = _cli.Run(folder, injector, interrupt.Token, null, ask: async (_, cancel) =>
        {
            await interrupt.CancelAsync();
            await Task.Delay(Timeout.Infinite, cancel);
            return null;
        }, "deploy");

        Assert.Equal(ExitCodes.Interrupted, deploy.ExitCode);
        Assert.EndsWith("sls-fargate: interrupted before the change set ran; it was deleted and nothing was changed\n", deploy.Error);
        Assert.DoesNotContain("ExecuteChangeSet", injector.Calls);
        Assert.Equal(changeSets, ChangeSets($"{name}-dev"));
        Assert.Contains("NightlyTask", Resources($"{name}-dev"));
    }

    [Fact]
    public void A_stack_waiting_for_another_tools_change_set_is_neither_taken_over_nor_removed()
    {
        var name = MotoCli.Unique("theirs");
        // `sam deploy` (say) made a CREATE change set and waits for its user to confirm it.
        Assert.Equal(0, moto.Aws("cloudformation", "create-change-set", "--stack-name", $"{name}-dev", "--change-set-name", "samcli-deploy1",
            "--change-set-type", "CREATE", "--template-body", """{"Resources":{"Jobs":{"Type":"AWS::SQS::Queue"}}}""").ExitCode);
        var folder = MotoCli.Service(name);
        var injector = new FaultInjector();

        var remove = Run(folder, injector, "remove", "--yes");
        var deploy = Run(folder, injector, "deploy", "--yes");

        foreach (var run in new[] { remove, deploy })
        {
            Assert.Equal(ExitCodes.AwsFailure, run.ExitCode);
            Assert.Contains($"the stack {name}-dev is REVIEW_IN_PROGRESS and waits for the change set samcli-deploy1, which sls-fargate did not make", run.Error);
        }
        Assert.DoesNotContain("DeleteStack", injector.Calls);
        Assert.DoesNotContain("CreateChangeSet", injector.Calls);
        Assert.Equal("REVIEW_IN_PROGRESS", Stack($"{name}-dev")["StackStatus"]!.GetValue<string>());
    }

    [Fact]
    public void Termination_protection_is_turned_on_when_nothing_else_changes()
    {
        var (name, folder) = _cli.Deployed("protect2");
        // moto has no UpdateTerminationProtection: it is answered here.
        var injector = new FaultInjector();
        injector.Replace["UpdateTerminationProtection"] = () => new HttpResponseMessage(System.Net.HttpStatusCode.OK)
        {
            Content = new StringContent("<UpdateTerminationProtectionResponse><UpdateTerminationProtectionResult><StackId>x</StackId></UpdateTerminationProtectionResult></UpdateTerminationProtectionResponse>"),
        };

        var deploy = Run(folder, injector, "deploy", "--termination-protection");

        Assert.True(deploy.ExitCode == 0, deploy.Error);
        Assert.Contains($"No changes: the stack {name}-dev already runs this template.", deploy.Error);
        Assert.Contains($"Termination protection is on for {name}-dev.", deploy.Error);
    }

    [Fact]
    public void A_deploy_that_may_not_read_ecs_still_follows_its_stack_to_the_end()
    {
        var (name, folder) = _cli.Deployed("noecs");
        MotoCli.Edit(folder, text => text.Replace("app:1.0\n      command", "app:2.0\n      command"));
        // The deploying role may not call DescribeServices.
        var injector = new FaultInjector();
        injector.Replace["DescribeServices"] = () => FaultInjector.JsonError(System.Net.HttpStatusCode.BadRequest, "AccessDeniedException", "not authorized to perform: ecs:DescribeServices");

        var deploy = Run(folder, injector, "deploy");

        Assert.True(deploy.ExitCode == 0, deploy.Error);
        Assert.Contains("(the ECS services' events cannot be read, so only the stack's are shown: ECS DescribeServices failed: AccessDeniedException", deploy.Error);
        Assert.Contains($"Deployed {name}-dev (UPDATE_COMPLETE)", deploy.Error);
    }
}
