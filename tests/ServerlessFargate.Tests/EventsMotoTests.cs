using System.Text.Json.Nodes;

namespace ServerlessFargate.Tests;

/// <summary>
/// The golden templates of `events` and `alerts` create stacks in moto: rules with their ECS and
/// SNS targets, and topics with their e-mail subscriptions. moto has no AWS::SNS::TopicPolicy (it
/// skips it, with a log line) and, as AWS, refuses a rule on a bus that does not exist, so the
/// buses the goldens name are made first.
/// </summary>
public sealed class EventsMotoTests(MotoServer moto) : IClassFixture<MotoServer>
{
    [Theory]
    [InlineData("events-eventbridge-on-named-and-arn-buses-with-input")]
    [InlineData("events-s3-bucket-in-resources-sends-events")]
    [InlineData("alerts-email-shared-topic-and-task-topic")]
    [InlineData("alerts-topic-arn-and-deployment-failures")]
    [InlineData("events-whole-event-through-a-state-machine")]
    [InlineData("events-whole-event-per-task-roles-and-a-given-events-role")]
    public void Golden_template_creates_its_rules_and_topics(string golden)
    {
        // Given the buses the template's rules are on
        foreach (var bus in new[] { "orders", "billing" })
        {
            moto.Aws("events", "create-event-bus", "--name", bus);
        }
        var templatePath = Path.Combine(RepositoryPaths.Golden, golden, GoldenTests.TemplateFile);
        var template = JsonNode.Parse(File.ReadAllText(templatePath))!["Resources"]!.AsObject();
        var stack = $"ev-{Guid.NewGuid():N}"[..20];

        // When the template is deployed
        var create = moto.Aws("cloudformation", "create-stack", "--stack-name", stack, "--template-body", $"file://{templatePath}",
            "--capabilities", "CAPABILITY_IAM");
        Assert.True(create.ExitCode == 0, create.Output);

        // Then the stack completes, and every rule has the targets the template gives it
        Assert.Equal("CREATE_COMPLETE", moto.WaitForStack(stack)["StackStatus"]!.GetValue<string>());
        var resources = JsonNode.Parse(moto.Aws("cloudformation", "describe-stack-resources", "--stack-name", stack).Out)!["StackResources"]!.AsArray()
            .Where(r => r?["LogicalResourceId"] is not null) // moto lists the topic policy it skipped without one
            .ToDictionary(r => r!["LogicalResourceId"]!.GetValue<string>(), r => r!["PhysicalResourceId"]?.GetValue<string>());
        var rules = template.Where(r => r.Value!["Type"]!.GetValue<string>() == "AWS::Events::Rule").ToList();
        Assert.NotEmpty(rules);
        foreach (var (id, rule) in rules)
        {
            var bus = rule!["Properties"]!["EventBusName"]?.GetValue<string>() ?? "default";
            var targets = JsonNode.Parse(moto.Aws("events", "list-targets-by-rule", "--rule", resources[id]!, "--event-bus-name", bus).Out)!["Targets"]!.AsArray();
            var expected = rule["Properties"]!["Targets"]!.AsArray();
            Assert.Equal(expected.Select(t => t!["Id"]!.GetValue<string>()), targets.Select(t => t!["Id"]!.GetValue<string>()));
            foreach (var target in targets.Where(t => t!["EcsParameters"] is not null))
            {
                Assert.StartsWith("arn:aws:ecs:eu-west-1:123456789012:task-definition/", target!["EcsParameters"]!["TaskDefinitionArn"]!.GetValue<string>(), StringComparison.Ordinal);
            }
            // A target that is a state machine of the stack (wholeEvent) is that machine, which Step Functions knows.
            foreach (var (target, written) in targets.Zip(expected))
            {
                if (written!["Arn"] is JsonObject arn && arn["Ref"]?.GetValue<string>() is { } machine && template[machine]!["Type"]!.GetValue<string>() == "AWS::StepFunctions::StateMachine")
                {
                    Assert.Equal(resources[machine], target!["Arn"]!.GetValue<string>());
                    Assert.Contains(":stateMachine:", target["Arn"]!.GetValue<string>(), StringComparison.Ordinal);
                    Assert.Equal(0, moto.Aws("stepfunctions", "describe-state-machine", "--state-machine-arn", resources[machine]!).ExitCode);
                }
            }
        }

        // And each topic of ours e-mails the addresses of its template
        foreach (var (id, topic) in template.Where(r => r.Value!["Type"]!.GetValue<string>() == "AWS::SNS::Topic" && r.Value["Properties"]?["Subscription"] is not null))
        {
            var subscriptions = JsonNode.Parse(moto.Aws("sns", "list-subscriptions-by-topic", "--topic-arn", resources[id]!).Out)!["Subscriptions"]!.AsArray();
            Assert.Equal(
                topic!["Properties"]!["Subscription"]!.AsArray().Select(s => s!["Endpoint"]!.GetValue<string>()).Order(StringComparer.Ordinal),
                subscriptions.Where(s => s!["Protocol"]!.GetValue<string>() == "email").Select(s => s!["Endpoint"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public void Events_example_deploys_with_its_upload_bucket_sending_events_a_rule_that_starts_transcode_with_the_key_and_report_through_its_state_machine()
    {
        // Given the bundled example, packaged
        var output = Directory.CreateTempSubdirectory("sls-fargate-events-example-");
        try
        {
            var package = CliRunner.Run(Path.Combine(RepositoryPaths.Examples, "events"), "package", ".", "--out", output.FullName);
            Assert.True(package.ExitCode == 0, package.Error);
            var stack = $"ex-{Guid.NewGuid():N}"[..20];

            // When it is deployed
            var create = moto.Aws("cloudformation", "create-stack", "--stack-name", stack, "--capabilities", "CAPABILITY_IAM",
                "--template-body", $"file://{Path.Combine(output.FullName, "cloudformation-template.json")}");
            Assert.True(create.ExitCode == 0, create.Output);
            Assert.Equal("CREATE_COMPLETE", moto.WaitForStack(stack)["StackStatus"]!.GetValue<string>());

            // Then the uploads bucket sends its events to EventBridge, and the rule on them starts transcode with the object's key
            var resources = JsonNode.Parse(moto.Aws("cloudformation", "describe-stack-resources", "--stack-name", stack).Out)!["StackResources"]!.AsArray()
                .Where(r => r?["LogicalResourceId"] is not null)
                .ToDictionary(r => r!["LogicalResourceId"]!.GetValue<string>(), r => r!["PhysicalResourceId"]?.GetValue<string>());
            // (moto keeps no EventBridgeConfiguration of a bucket CloudFormation made; the template has it.)
            var template = JsonNode.Parse(File.ReadAllText(Path.Combine(output.FullName, "cloudformation-template.json")))!;
            Assert.True(template["Resources"]!["Uploads"]!["Properties"]!["NotificationConfiguration"]!["EventBridgeConfiguration"]!["EventBridgeEnabled"]!.GetValue<bool>());
            var target = JsonNode.Parse(moto.Aws("events", "list-targets-by-rule", "--rule", resources["TranscodeEventRule1"]!).Out)!["Targets"]![0]!;
            Assert.Equal("$.detail.object.key", target["InputTransformer"]!["InputPathsMap"]!["SOURCE_KEY"]!.GetValue<string>());
            Assert.Contains("/transcode:", target["EcsParameters"]!["TaskDefinitionArn"]!.GetValue<string>(), StringComparison.Ordinal);

            // And the report rule, with the whole event, starts the report task's state machine
            var report = JsonNode.Parse(moto.Aws("events", "list-targets-by-rule", "--rule", resources["ReportEventRule1"]!, "--event-bus-name", "media-app").Out)!["Targets"]![0]!;
            Assert.Equal(resources["ReportEventStateMachine"], report["Arn"]!.GetValue<string>());
            Assert.StartsWith("{\"event\":<aws.events.event.json>,", report["InputTransformer"]!["InputTemplate"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }
}
