using ServerlessFargate.Diagnostics;

namespace ServerlessFargate.Tests;

/// <summary>
/// One table of good and bad inputs per semantic rule, as cfn-lint keeps a test module per rule.
/// Each row is a task (and, after <c>||</c>, fargate-level keys) put into a small service whose
/// other settings are valid; <c>|</c> stands for a new line. The whole-file goldens show messages
/// and positions; these pin which inputs fire which id.
/// </summary>
public sealed class RuleTableTests
{
    private const string Image = Configs.Image;

    public static TheoryData<string, string, bool> Rows() => new()
    {
        // FG3001 task size
        { "FG3001", "cpu: 256|memory: 4GB", true },
        { "FG3001", "cpu: 1024|memory: 4GB", false },
        { "FG3001", "cpu: 16384|memory: 16GB", true },
        { "FG3001", "cpu: 16384|memory: 32GB", false },
        // FG3002 memory form
        { "FG3002", "memory: lots", true },
        { "FG3002", "memory: 2 GB", false },
        // FG3003 schedule expressions
        { "FG3003", "schedule: rate(1 minutes)", true },
        { "FG3003", "schedule: cron(0 3 * * ? *)", false },
        { "FG3003", "schedule: {rate: at(2026-02-30T10:00:00)}", true },
        { "FG3003", "schedule: {rate: at(2028-02-29T10:00:00)}", false },
        // FG3004 subnets
        { "FG3004", "vpc: {subnetIds: []}", true },
        { "FG3004", "vpc: {subnetIds: [subnet-0123456789abcdef1]}", false },
        // FG3005 image
        { "FG3005", "image: worker", true },
        { "FG3005", "image: nginx:1.27", false },
        // FG3006 two tasks, one ID
        { "FG3006", "name: other", true },
        { "FG3006", "name: worker2", false },
        // FG3007 ID taken by the user's resources
        { "FG3007", "name: taken", true },
        { "FG3007", "name: free", false },
        // FG3008 names
        { "FG3008", "name: has space", true },
        { "FG3008", "name: has_underscore-and-dash", false },
        { "FG3008", "name: " + new string('a', 60) + "|schedule: rate(1 day)", false },
        { "FG3008", "name: " + new string('a', 70) + "|schedule: rate(1 day)", true },
        // FG3009 Spot on an old platform version
        { "FG3009", "architecture: ARM64|spot: true|cloudFormationResource: {service: {PlatformVersion: 1.3.0}}", true },
        { "FG3009", "architecture: ARM64|spot: true", false },
        // FG3010 service counts
        { "FG3010", "service: {maximumPercent: 50}", true },
        { "FG3010", "service: {maximumPercent: 150, minimumHealthyPercent: 50}", false },
        // FG3011 no tasks
        { "FG3011", "", false },
        // FG3012 service settings on a scheduled task
        { "FG3012", "schedule: rate(1 day)|service: {desiredCount: 2}", true },
        { "FG3012", "schedule: rate(1 day)", false },
        // FG3018 secrets
        { "FG3018", "secrets: {DB: my-password}", true },
        { "FG3018", "secrets: {DB: 'ssm:/prod/db'}", false },
        // FG3019 secret also in environment
        { "FG3019", "secrets: {DB: 'ssm:/prod/db'}|environment: {DB: plain}", true },
        { "FG3019", "secrets: {DB: 'ssm:/prod/db'}|environment: {OTHER: plain}", false },
        // FG3020 autoscaling
        { "FG3020", "service: {autoscaling: {min: 3, max: 2, cpu: 50}}", true },
        { "FG3020", "service: {autoscaling: {min: 1, max: 2, cpu: 50}}", false },
        { "FG3020", "schedule: rate(1 day)|service: {autoscaling: {min: 1, max: 2, cpu: 50}}", true },
        // FG3021 roles sls-fargate cannot extend (a warning)
        { "FG3021", "exec: true|taskRoleArn: arn:aws:iam::123456789012:role/app", true },
        { "FG3021", "exec: true", false },
        // FG3022 strategies
        { "FG3022", "spot: {onDemandWeight: 0, spotWeight: 0}", true },
        { "FG3022", "spot: {onDemandWeight: 1, spotWeight: 3}", false },
        // FG3023 time zones
        { "FG3023", "schedule: {rate: rate(1 day), timezone: Europe/Londn}", true },
        { "FG3023", "schedule: {rate: rate(1 day), timezone: Europe/London}", false },
        // FG3026 escape hatch dropping generated deployment settings (a warning)
        { "FG3026", "cloudFormationResource: {service: {DeploymentConfiguration: {MaximumPercent: 150}}}", true },
        { "FG3026", "cloudFormationResource: {service: {DeploymentConfiguration: {MaximumPercent: 150, MinimumHealthyPercent: 50, DeploymentCircuitBreaker: {Enable: true, Rollback: true}}}}", false },
        { "FG3026", "service: {circuitBreaker: false}|cloudFormationResource: {service: {DeploymentConfiguration: {MaximumPercent: 150, MinimumHealthyPercent: 50}}}", false },
        // FG3024 fallback
        { "FG3024", "schedule: rate(1 day)|spot: {fallback: true}", true },
        { "FG3024", "spot: {fallback: true}", false },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void Rule_fires_exactly_on_the_bad_inputs(string id, string task, bool fires)
    {
        var ids = Validate(task).Select(d => d.Id).ToList();

        Assert.True(ids.Contains(id) == fires, $"{id} {(fires ? "did not fire" : "fired")} on `{task}`; got {string.Join(", ", ids)}");
    }

    [Fact]
    public void No_tasks_is_a_warning()
    {
        var result = Engine.ValidateText("service: rules\nprovider:\n  name: aws\nfargate:\n  tasks: {}\n", Options());

        Assert.Equal(["FG3011"], result.Diagnostics.Select(d => d.Id));
        Assert.True(result.Succeeded);
    }

    /// <summary>The ids the table shows firing, for the catalog's coverage check.</summary>
    public static IEnumerable<string> FiringIds() =>
        Rows().Select(row => ((string)row[0], (bool)row[2])).Where(r => r.Item2).Select(r => r.Item1).Append("FG3011");

    internal static IReadOnlyList<Diagnostic> Validate(string task)
    {
        var lines = task.Length == 0 ? [] : task.Split('|');
        var body = lines.Any(l => l.StartsWith("image:", StringComparison.Ordinal)) ? lines : [Image, .. lines];
        var yaml = Configs.OneTask.Replace("      " + Image + "\n", "", StringComparison.Ordinal) + $$"""
            {{string.Join("\n", body.Select(l => "      " + l))}}
                worker2:
                  {{Image}}
                  name: Other
            resources:
              Resources:
                TakenTask:
                  Type: AWS::SNS::Topic
            """;
        return Engine.ValidateText(yaml, Options()).Diagnostics;
    }

    private static EngineOptions Options() => new(null, null, _ => null, null, Path.GetTempPath());
}
