using System.Text;
using System.Text.Json.Nodes;

namespace ServerlessFargate.Tests;

public sealed class TemplateLimitTests
{
    /// <summary>The limits are a phase after the references: mending a reference adds a resource, which moves the counts.</summary>
    [Fact]
    public void A_template_is_measured_once_its_references_hold()
    {
        // Given a task whose environment makes the template larger than CloudFormation takes inline
        var environment = string.Concat(Enumerable.Range(0, 60).Select(i => $"|  VAR_{i}: {new string('x', 1000)}"));
        var yaml = Configs.WithTaskLines(("environment:" + environment).Split('|'));

        // When it is packaged, with and without a dependency on nothing
        var dangling = Engine.PackageText(yaml.Replace("      environment:", "      dependsOn: Missing\n      environment:", StringComparison.Ordinal), Options());
        var whole = Engine.PackageText(yaml, Options());

        // Then the dangling reference is reported alone, and the size only once the references hold
        Assert.Equal(["FG3028"], dangling.Diagnostics.Where(d => d.Severity != Diagnostics.Severity.Notice).Select(d => d.Id));
        Assert.Equal(["FG3017"], whole.Diagnostics.Where(d => d.Severity != Diagnostics.Severity.Notice).Select(d => d.Id));
    }

    private static EngineOptions Options() => new(null, null, _ => null, null, Path.GetTempPath());

    [Fact]
    public void A_service_of_150_scheduled_tasks_is_deployable_with_fewer_outputs_and_a_role_of_its_own_to_start_them()
    {
        // Given 150 scheduled tasks, which by default would emit 300 outputs, and whose shared
        // generated events role would be too large for IAM (FG3064)
        var yaml = new StringBuilder("""
            service: many
            provider:
              name: aws
            fargate:
              eventsRoleArn: arn:aws:iam::123456789012:role/scheduled-reports
              outputs:
                taskArn: false
              vpc:
                subnetIds: [subnet-0123456789abcdef0]
              tasks:

            """);
        for (var i = 0; i < 150; i++)
        {
            yaml.Append($"    report-{i:000}:\n      image: public.ecr.aws/docker/library/busybox:1.36\n      schedule: rate(1 day)\n");
        }
        var folder = Directory.CreateTempSubdirectory("sls-fargate-limits-");
        try
        {
            File.WriteAllText(Path.Combine(folder.FullName, "serverless.yml"), yaml.ToString());

            // When it is packaged with the task ARN outputs turned off
            var run = CliRunner.Run(folder.FullName, "package", ".", "--out", "out");

            // Then it packages within CloudFormation's limits, warning only that it must go through S3
            Assert.True(run.ExitCode == 0, run.Error);
            Assert.Contains("warning FG3017", run.Error, StringComparison.Ordinal);
            var path = Path.Combine(folder.FullName, "out", "cloudformation-template.json");
            var template = JsonNode.Parse(File.ReadAllText(path))!;
            Assert.Equal(150, template["Outputs"]!.AsObject().Count);
            Assert.Equal(304, template["Resources"]!.AsObject().Count);
            Assert.All(template["Outputs"]!.AsObject(), o => Assert.EndsWith("ScheduledTaskArn", o.Key, StringComparison.Ordinal));

            var size = new FileInfo(path).Length.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
            Assert.Contains($"the template is {size} bytes, over the 51,200 bytes", run.Error, StringComparison.Ordinal);

            var lint = CfnLintTests.CfnLint([path]);
            Assert.True(lint.ExitCode == 0, lint.Output);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
