using System.Text.Json.Nodes;
using ServerlessFargate.Aws.Planning;

namespace ServerlessFargate.Tests;

/// <summary>
/// resource-replacement.json: what the product ships, where it comes from, and that the generator
/// in the repository still writes it byte for byte from the cfn-lint installed here.
/// </summary>
public sealed class ChangePlanDataTests
{
    private static readonly string DataFile = Path.Combine(RepositoryPaths.Root, "src", "ServerlessFargate.Aws", "Planning", "resource-replacement.json");
    private const string Generator = "scripts/generate-replacement-data.py";

    [Fact]
    public void The_data_names_its_source_and_covers_every_schema_type()
    {
        var data = ReplacementData.Shipped;
        var file = JsonNode.Parse(File.ReadAllText(DataFile))!;

        Assert.Matches(@"^cfn-lint \d+\.\d+\.\d+ bundled CloudFormation resource schemas, region us-east-1$", data.Source);
        Assert.Equal(Generator, file["generator"]!.GetValue<string>());
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", file["generated"]!.GetValue<string>());
        Assert.True(data.Types.Count > 1000, $"only {data.Types.Count} types: the plugin plans whole framework stacks, so every type belongs in the data");
        Assert.True(new FileInfo(DataFile).Length < 1_000_000, "the data file grew past 1 MB");
    }

    [Fact]
    public void Every_curated_type_is_a_type_the_schemas_know_and_none_is_both_benign_and_risky()
    {
        var data = ReplacementData.Shipped;

        Assert.DoesNotContain(data.Stateful.Keys.Concat(data.Downtime.Keys).Concat(data.Benign.Keys).Concat(data.DefaultDeletion.Keys), t => !data.Types.ContainsKey(t));
        Assert.Empty(data.Benign.Keys.Intersect(data.Stateful.Keys.Concat(data.Downtime.Keys)));
        Assert.All(data.Stateful.Values.Concat(data.Downtime.Values).Concat(data.Benign.Values), c => Assert.StartsWith("https://docs.aws.amazon.com/", c.Source, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("AWS::DynamoDB::Table", "TableName")]
    [InlineData("AWS::S3::Bucket", "BucketName")]
    [InlineData("AWS::SQS::Queue", "QueueName")]
    [InlineData("AWS::Logs::LogGroup", "LogGroupName")]
    [InlineData("AWS::ECS::Service", "ServiceName")]
    [InlineData("AWS::ECS::Cluster", "ClusterName")]
    [InlineData("AWS::IAM::Role", "RoleName")]
    [InlineData("AWS::Lambda::Function", "FunctionName")]
    [InlineData("AWS::ElasticLoadBalancingV2::LoadBalancer", "Name")]
    [InlineData("AWS::ElasticLoadBalancingV2::TargetGroup", "Name")]
    [InlineData("AWS::RDS::DBInstance", "DBInstanceIdentifier")]
    [InlineData("AWS::EC2::SecurityGroup", "GroupName")]
    [InlineData("AWS::ECS::TaskDefinition", null)]   // a new revision of the same family is how it is replaced
    [InlineData("AWS::Lambda::Version", null)]       // FunctionName names the function, not the version
    [InlineData("AWS::ElasticLoadBalancingV2::Listener", null)]
    public void The_name_heuristic_finds_the_custom_name_of_common_types(string type, string? name)
    {
        Assert.Equal(name, ReplacementData.Shipped.Types[type].NameProperty);
    }

    [Fact]
    public void The_checked_in_data_is_what_the_generator_writes_from_the_installed_cfn_lint()
    {
        // python3 and cfn-lint are among the tools CI installs (.ci/run), so this never skips.
        Assert.True(ProcessRunner.IsOnPath("python3"), "python3 is not on PATH; the generator needs it");
        var version = ProcessRunner.Run("python3", ["-c", "from cfnlint.version import __version__; print(__version__)"]);
        Assert.True(version.ExitCode == 0, $"python3 cannot import cfnlint (pip install cfn-lint): {version.Error}");
        var shipped = File.ReadAllBytes(DataFile);
        var recorded = JsonNode.Parse(shipped)!;
        var source = recorded["source"]!.GetValue<string>();
        Assert.True(source.StartsWith($"cfn-lint {version.Out.Trim()} ", StringComparison.Ordinal),
            $"the data comes from \"{source}\" but this machine has cfn-lint {version.Out.Trim()}: run python3 {Generator} and commit the result, or install that version");

        var output = Path.GetTempFileName();
        try
        {
            var run = ProcessRunner.Run("python3", [Generator, "--date", recorded["generated"]!.GetValue<string>(), "--out", output], workingDirectory: RepositoryPaths.Root);

            Assert.True(run.ExitCode == 0, run.Output);
            Assert.True(shipped.AsSpan().SequenceEqual(File.ReadAllBytes(output)),
                $"{Generator} writes other bytes than the checked-in data: run it and commit the result (or revert a hand edit)");
        }
        finally
        {
            File.Delete(output);
        }
    }
}
