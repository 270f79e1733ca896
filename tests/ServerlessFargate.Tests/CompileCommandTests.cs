using System.Text.Json.Nodes;
using ServerlessFargate.Cli;

namespace ServerlessFargate.Tests;

/// <summary><c>sls-fargate compile --stdin</c>, the plugin's side of the exchange (docs/plugin-contract.md).</summary>
public sealed class CompileCommandTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("sls-fargate-compile-");

    public void Dispose() => _folder.Delete(recursive: true);

    private (int Code, JsonNode? Response, string Error) Compile(string request)
    {
        var run = CliRunner.RunWithInput(_folder.FullName, null, request, "compile", "--stdin");
        return (run.ExitCode, run.Out.Length > 0 ? JsonNode.Parse(run.Out) : null, run.Error);
    }

    private static string Request(string fargate, string extra = "") => $$"""
        {
          "version": 1,
          "configFile": "serverless.yml",
          "service": "svc",
          "stage": "prod",
          "region": "eu-west-1",
          "fargate": {{fargate}},
          "provider": { "tags": { "team": "jobs" } },
          "images": { "worker": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" }
          {{extra}}
        }
        """;

    [Fact]
    public void A_resolved_configuration_gives_resources_and_outputs_with_the_framework_resolved_image()
    {
        var (code, response, _) = Compile(Request("""{"vpc": {"subnetIds": ["subnet-0123456789abcdef0"]}, "tasks": {"worker": {"image": "app"}}}"""));

        Assert.Equal(ExitCodes.Ok, code);
        Assert.True(response!["succeeded"]!.GetValue<bool>());
        Assert.StartsWith("123456789012.dkr.ecr", response["resources"]!["WorkerTask"]!["Properties"]!["ContainerDefinitions"]![0]!["Image"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotNull(response["outputs"]!["WorkerServiceArn"]);
        Assert.Equal("team", response["resources"]!["FargateTasksCluster"]!["Properties"]!["Tags"]![0]!["Key"]!.GetValue<string>());
    }

    [Fact]
    public void Diagnostics_point_into_the_configuration_file_as_written()
    {
        // Given the file as written, where cpu comes from a variable the framework resolved to 300
        File.WriteAllText(Path.Combine(_folder.FullName, "serverless.yml"), """
            service: svc
            fargate:
              tasks:
                worker:
                  image: app
                  cpu: ${self:custom.cpu}
            """);

        var (code, response, _) = Compile(Request("""{"vpc": {"subnetIds": ["subnet-0123456789abcdef0"]}, "tasks": {"worker": {"image": "app", "cpu": 300}}}"""));

        // Then the error is at the variable's line and column, and the text quotes that line
        Assert.Equal(ExitCodes.InputErrors, code);
        Assert.False(response!["succeeded"]!.GetValue<bool>());
        var diagnostic = response["diagnostics"]![0]!;
        Assert.Equal(("FG1003", 6, 12), (diagnostic["id"]!.GetValue<string>(), diagnostic["line"]!.GetValue<int>(), diagnostic["column"]!.GetValue<int>()));
        Assert.Contains("cpu: ${self:custom.cpu}", response["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(response["resources"]!.AsObject());
    }

    [Fact]
    public void Ids_already_in_the_framework_template_are_collisions()
    {
        var (code, response, _) = Compile(Request("""{"vpc": {"subnetIds": ["subnet-0123456789abcdef0"]}, "tasks": {"worker": {"image": "app"}}}""",
            """, "existingIds": ["WorkerTask"]"""));

        Assert.Equal(ExitCodes.InputErrors, code);
        Assert.Equal("FG3007", response!["diagnostics"]![0]!["id"]!.GetValue<string>());
    }

    [Fact]
    public void S3_events_on_the_frameworks_buckets_name_those_that_must_send_their_events_and_no_notice()
    {
        // Given s3 events on a bucket of the service's resources (by Ref), one that already sends
        // its events (by name), and one elsewhere
        var events = """[{"s3": {"bucket": {"Ref": "Uploads"}}}, {"s3": "media-thumbs-0123456789"}, {"s3": "shared-0123456789"}]""";
        var (code, response, _) = Compile(Request("""{"vpc": {"subnetIds": ["subnet-0123456789abcdef0"]}, "tasks": {"worker": {"image": "app", "events": """ + events + "}}}",
            """
            , "stackBuckets": {
                "Uploads": {"Type": "AWS::S3::Bucket"},
                "Thumbs": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "media-thumbs-0123456789",
                  "NotificationConfiguration": {"EventBridgeConfiguration": {"EventBridgeEnabled": true}}}}
              }
            """));

        // Then the plugin is told to turn on the first one's events, and only the last one gets the notice
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Equal(["Uploads"], response!["bucketEvents"]!.AsArray().Select(b => b!.GetValue<string>()));
        var notices = response["diagnostics"]!.AsArray().Where(d => d!["id"]!.GetValue<string>() == "FG3047").ToList();
        Assert.Single(notices);
        Assert.Contains("shared-0123456789", notices[0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_bucket_whose_notifications_are_an_if_is_not_written_into()
    {
        // Given an s3 event on a bucket of the service whose NotificationConfiguration is an Fn::If
        // with EventBridge off in one branch, and one whose every branch turns it on
        var events = """[{"s3": {"bucket": {"Ref": "Uploads"}}}, {"s3": {"bucket": {"Ref": "Thumbs"}}}]""";
        var on = """{"EventBridgeConfiguration": {"EventBridgeEnabled": true}}""";
        var (code, response, _) = Compile(Request("""{"vpc": {"subnetIds": ["subnet-0123456789abcdef0"]}, "tasks": {"worker": {"image": "app", "events": """ + events + "}}}",
            """
            , "stackBuckets": {
                "Uploads": {"Type": "AWS::S3::Bucket", "Properties": {"NotificationConfiguration": {"Fn::If": ["IsProd", ON, {"Ref": "AWS::NoValue"}]}}},
                "Thumbs": {"Type": "AWS::S3::Bucket", "Properties": {"NotificationConfiguration": {"Fn::If": ["IsProd", ON, ON]}}}
              }
            """.Replace("ON", on, StringComparison.Ordinal)));

        // Then the first is an error naming it, and the plugin is told to write into neither
        Assert.Equal(ExitCodes.InputErrors, code);
        Assert.Empty(response!["bucketEvents"]!.AsArray());
        var errors = response["diagnostics"]!.AsArray().Where(d => d!["id"]!.GetValue<string>() == "FG3060").ToList();
        Assert.Single(errors);
        Assert.Contains("bucket `Uploads`", errors[0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_ref_to_a_list_parameter_of_the_stack_is_the_whole_subnet_list()
    {
        // Given subnets from a List parameter and a security group from a String parameter, both
        // declared where the plugin finds them (the template, the service's resources)
        var (code, response, error) = Compile(Request(
            """{"vpc": {"subnetIds": {"Ref": "PrivateSubnets"}, "securityGroupIds": [{"Ref": "TaskGroup"}]}, "tasks": {"worker": {"image": "app", "schedule": "rate(1 day)"}}}""",
            """
            , "stackParameters": {
                "PrivateSubnets": {"Type": "List<AWS::EC2::Subnet::Id>"},
                "TaskGroup": {"Type": "AWS::EC2::SecurityGroup::Id"}
              }
            """));

        // Then the rule's target gets the parameter as its subnet list, and the group in a list of one
        Assert.True(code == ExitCodes.Ok, error);
        var network = response!["resources"]!["WorkerScheduledTask"]!["Properties"]!["Targets"]![0]!["EcsParameters"]!["NetworkConfiguration"]!["AwsVpcConfiguration"]!;
        Assert.Equal("""{"Ref":"PrivateSubnets"}""", network["Subnets"]!.ToJsonString());
        Assert.Equal("""[{"Ref":"TaskGroup"}]""", network["SecurityGroups"]!.ToJsonString());
    }

    [Fact]
    public void Stack_parameters_of_another_shape_are_a_contract_error()
    {
        var (code, _, error) = Compile(Request("{}", """, "stackParameters": {"PrivateSubnets": "List<AWS::EC2::Subnet::Id>"}"""));

        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Contains("the request's `stackParameters` must be an object of objects", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/dev/zero", "is a device or kernel file, not a regular file")]
    [InlineData("zero.yml", "is a device or kernel file, not a regular file")]
    [InlineData("huge.yml", "is 10,000,001 bytes; sls-fargate reads files of at most 10,000,000")]
    public void A_config_file_validate_would_not_read_is_a_usage_error_in_one_line(string configFile, string problem)
    {
        // Given a link to a file that never ends, and a file over the cap (sparse: nothing written)
        File.CreateSymbolicLink(Path.Combine(_folder.FullName, "zero.yml"), "/dev/zero");
        using (var huge = File.Create(Path.Combine(_folder.FullName, "huge.yml")))
        {
            huge.SetLength(Variables.InputFile.MaxBytes + 1);
        }

        var (code, response, error) = Compile(Request("{}").Replace("\"configFile\": \"serverless.yml\"", $"\"configFile\": \"{configFile}\"", StringComparison.Ordinal));

        // Then it is refused at once as the contract error it is, not read until memory runs out
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Null(response);
        Assert.Equal($"sls-fargate: compile --stdin: the request's `configFile` {configFile} {problem}\n", error);
    }

    [Fact]
    public async Task A_config_file_that_is_a_fifo_is_never_opened()
    {
        // Opening a FIFO for reading waits for a writer, which never comes. It reports no size,
        // so it is taken as an empty file: the request compiles, its positions from nowhere.
        var fifo = Path.Combine(_folder.FullName, "serverless.yml");
        Assert.Equal(0, ProcessRunner.Run("mkfifo", [fifo]).ExitCode);

        var compile = Task.Run(() => Compile(Request("""{"vpc": {"subnetIds": ["subnet-0123456789abcdef0"]}, "tasks": {"worker": {"image": "app"}}}""")));

        var (code, response, error) = await compile.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(code == ExitCodes.Ok, error);
        Assert.NotNull(response!["resources"]!["WorkerTask"]);
    }

    [Fact]
    public void Limits_count_what_the_framework_template_already_holds()
    {
        // Given a framework template of 498 resources and 60,000 bytes, and one service task
        var (code, response, _) = Compile(Request("""{"vpc": {"subnetIds": ["subnet-0123456789abcdef0"]}, "tasks": {"worker": {"image": "app"}}}""",
            """, "existingCounts": {"resources": 498, "outputs": 0, "parameters": 0, "bytes": 60000}"""));

        // Then the stack is over CloudFormation's 500 resources, and no inline-size warning is
        // given: the framework deploys through S3
        Assert.Equal(ExitCodes.InputErrors, code);
        var diagnostics = response!["diagnostics"]!.AsArray().Where(d => d!["severity"]!.GetValue<string>() != "notice").ToList();
        var limit = Assert.Single(diagnostics)!;
        Assert.Equal("FG3014", limit["id"]!.GetValue<string>());
        Assert.Matches("^the stack would have 50[0-9] resources \\([0-9] of them for Fargate tasks\\)", limit["message"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1, 2]")]
    [InlineData("""{"version": 2, "fargate": {}}""")]
    [InlineData("""{"fargate": {}}""")]
    [InlineData("""{"version": 1.5, "fargate": {}}""")]
    [InlineData("""{"version": 1e10, "fargate": {}}""")]
    [InlineData("""{"version": 1, "existingIds": "WorkerTask", "fargate": {}}""")]
    [InlineData("""{"version": 1, "existingCounts": {"resources": "many"}, "fargate": {}}""")]
    [InlineData("""{"version": 1, "existingCounts": {"resources": -1}, "fargate": {}}""")]
    [InlineData("""{"version": 1, "images": {"worker": 1}, "fargate": {}}""")]
    [InlineData("""{"version": 1, "service": ["svc"], "fargate": {}}""")]
    [InlineData("""{"version": 1, "service": "\ud800", "fargate": {}}""")]
    [InlineData("""{"version": 1, "version": 1, "fargate": {}}""")]
    public void A_request_outside_the_contract_is_a_usage_error(string request)
    {
        var (code, _, error) = Compile(request);

        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Contains("compile --stdin:", error, StringComparison.Ordinal);
    }
}
