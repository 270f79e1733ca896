using System.Text;
using System.Text.Json.Nodes;

namespace ServerlessFargate.Tests;

public sealed class TemplateLimitTests
{
    [Fact]
    public void A_service_of_150_scheduled_tasks_is_deployable_with_fewer_outputs()
    {
        // Given 150 scheduled tasks, which by default would emit 300 outputs
        var yaml = new StringBuilder("""
            service: many
            provider:
              name: aws
            fargate:
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
            Assert.Equal(305, template["Resources"]!.AsObject().Count);
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
