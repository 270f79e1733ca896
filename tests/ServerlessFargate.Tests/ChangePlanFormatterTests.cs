using System.Text.Json.Nodes;
using ServerlessFargate.Aws.Planning;

namespace ServerlessFargate.Tests;

/// <summary>How a plan is printed: the text people read, the JSON scripts parse, and the escaping of template text.</summary>
public sealed class ChangePlanFormatterTests
{
    private static Plan Sample()
    {
        var deployed = ChangePlannerTests.Template(
            ("OrdersTable", "AWS::DynamoDB::Table", "{'TableName':'orders','KeySchema':[{'AttributeName':'id','KeyType':'HASH'}]}", ""),
            ("WorkerTask", "AWS::ECS::TaskDefinition", "{'Family':'worker','Memory':'512'}", ""),
            ("WorkerService", "AWS::ECS::Service", "{'TaskDefinition':{'Ref':'WorkerTask'},'DesiredCount':1}", ""),
            ("JobsQueue", "AWS::SQS::Queue", "{}", ""));
        var proposed = ChangePlannerTests.Template(
            ("OrdersTable", "AWS::DynamoDB::Table", "{'TableName':'orders','KeySchema':[{'AttributeName':'pk','KeyType':'HASH'}]}", ""),
            ("WorkerTask", "AWS::ECS::TaskDefinition", "{'Family':'worker','Memory':'1024'}", ""),
            ("WorkerService", "AWS::ECS::Service", "{'TaskDefinition':{'Ref':'WorkerTask'},'DesiredCount':1}", ""),
            ("NewTopic", "AWS::SNS::Topic", "{}", ""));
        return ChangePlannerTests.Plan(deployed, proposed);
    }

    [Fact]
    public void The_text_of_a_plan_is_pinned()
    {
        Assert.Equal("""
            Plan for app-dev: 1 to add, 1 to modify, 2 to replace, 1 to remove
              [data-loss] remove  JobsQueue (AWS::SQS::Queue) — removing deletes it: messages waiting in the queue are deleted with it; to keep it, deploy it with DeletionPolicy: Retain first, then remove it
              [data-loss, update-fails] may replace  OrdersTable (AWS::DynamoDB::Table): KeySchema — if CloudFormation replaces it, a new, empty AWS::DynamoDB::Table takes its place and the old one is deleted: its items are deleted with the table; set UpdateReplacePolicy: Retain to keep the old one; if CloudFormation replaces it, the update fails: TableName stays "orders", and CloudFormation cannot update a stack when a custom-named resource requires replacing; change TableName (or remove it, so CloudFormation generates one) in the same deploy
              replace  WorkerTask (AWS::ECS::TaskDefinition): Memory — a new task definition revision: how ECS rolls out a change
              modify  WorkerService (AWS::ECS::Service): TaskDefinition — TaskDefinition refers to WorkerTask, which is replaced
              add  NewTopic (AWS::SNS::Topic)

            """, PlanFormatter.Text(Sample(), colour: false));
    }

    [Fact]
    public void Colour_marks_risky_changes_red_additions_green_and_the_rest_yellow_only_when_asked()
    {
        var lines = PlanFormatter.Text(Sample(), colour: true).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(["\u001b[31m", "\u001b[31m", "\u001b[33m", "\u001b[33m", "\u001b[32m"], lines.Skip(1).Select(l => l[2..7]));
        Assert.All(lines.Skip(1), l => Assert.EndsWith("\u001b[0m", l, StringComparison.Ordinal));
        Assert.DoesNotContain('\u001b', PlanFormatter.Text(Sample(), colour: false));
    }

    [Fact]
    public void A_plan_without_changes_says_so()
    {
        Assert.Equal("Plan for app-dev: no changes\n", PlanFormatter.Text(new Plan("app-dev", true, []), colour: true));
    }

    [Fact]
    public void The_json_shape_is_pinned()
    {
        var plan = new Plan("app-dev", true,
        [
            new PlannedChange("Orders", "AWS::DynamoDB::Table", "replace", "always", ["TableName"], ["data-loss"], ["TableName is create-only"]),
            new PlannedChange("Topic", "AWS::SNS::Topic", "add", "never", [], [], []),
        ]);

        Assert.Equal("""
            {
              "stack": "app-dev",
              "exists": true,
              "changes": [
                {
                  "logicalId": "Orders",
                  "type": "AWS::DynamoDB::Table",
                  "action": "replace",
                  "replacement": "always",
                  "properties": [
                    "TableName"
                  ],
                  "risks": [
                    "data-loss"
                  ],
                  "reasons": [
                    "TableName is create-only"
                  ]
                },
                {
                  "logicalId": "Topic",
                  "type": "AWS::SNS::Topic",
                  "action": "add",
                  "replacement": "never",
                  "properties": [],
                  "risks": [],
                  "reasons": []
                }
              ]
            }

            """, PlanFormatter.Json(plan));
    }

    private const string Hostile = "Evil\u001b[2J\r\u0085\u009b\u007f\u202eTxt\u2066";

    [Fact]
    public void Template_text_reaches_the_terminal_escaped()
    {
        // Given a plan whose logical ID, type, property and reason carry controls and bidi overrides
        var plan = new Plan("stack\u001b]0;title\u0007", true, [new PlannedChange(Hostile, "Custom::" + Hostile, "modify", "unknown", [Hostile], [], [Hostile])]);

        // When printed as text, and as JSON
        var text = PlanFormatter.Text(plan, colour: false);
        var json = PlanFormatter.Json(plan);

        // Then the text holds no raw control (but its own line ends) or bidi control, and the JSON
        // (which the command's writer escapes on its way out) reads back as the original
        Assert.Contains(@"Evil\x1b[2J\r\x85\x9b\x7f\u202eTxt\u2066", text, StringComparison.Ordinal);
        Assert.Contains(@"stack\x1b]0;title\x07", text, StringComparison.Ordinal);
        Assert.DoesNotContain(text, c => c != '\n' && Aws.TerminalText.IsEscaped(c));
        Assert.Equal(Hostile, JsonNode.Parse(json)!["changes"]![0]!["logicalId"]!.GetValue<string>());
    }
}
