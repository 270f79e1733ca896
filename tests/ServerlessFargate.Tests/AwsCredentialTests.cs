using System.Text.Json.Nodes;
using ServerlessFargate.Cli;

namespace ServerlessFargate.Tests;

/// <summary>
/// moto checking every request's credentials and SigV4 signature against its IAM (after the
/// first three calls, which create a user with an access key and a policy allowing everything).
/// </summary>
public sealed class AuthenticatingMoto : MotoServer
{
    public AuthenticatingMoto()
        : base(new Dictionary<string, string> { ["INITIAL_NO_AUTH_ACTION_COUNT"] = "3" })
    {
        var user = Aws("iam", "create-user", "--user-name", "deployer");
        Assert.True(user.ExitCode == 0, user.Output);
        var key = JsonNode.Parse(Aws("iam", "create-access-key", "--user-name", "deployer").Out)!["AccessKey"]!;
        KeyId = key["AccessKeyId"]!.GetValue<string>();
        Secret = key["SecretAccessKey"]!.GetValue<string>();
        var policy = Aws("iam", "put-user-policy", "--user-name", "deployer", "--policy-name", "everything",
            "--policy-document", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""");
        Assert.True(policy.ExitCode == 0, policy.Output);
    }

    public string KeyId { get; }

    public string Secret { get; }
}

public sealed class AwsCredentialTests(AuthenticatingMoto moto) : IClassFixture<AuthenticatingMoto>
{
    internal const string Config = """
        service: signed
        provider:
          name: aws
          region: eu-west-1
        fargate:
          vpc:
            subnetIds: [subnet-0123456789abcdef0]
          tasks:
            worker:
              image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1.0
        """;

    private CliRun Cli(string keyId, string secret, params string[] args)
    {
        var folder = Directory.CreateTempSubdirectory("sls-fargate-signed-");
        File.WriteAllText(Path.Combine(folder.FullName, "serverless.yml"), Config);
        var variables = new Dictionary<string, string>
        {
            ["AWS_ENDPOINT_URL"] = moto.Endpoint,
            ["AWS_ACCESS_KEY_ID"] = keyId,
            ["AWS_SECRET_ACCESS_KEY"] = secret,
        };
        return CliRunner.Run(folder.FullName, variables, args);
    }

    [Fact]
    public void Requests_signed_with_the_users_key_pass_moto_signature_check_for_the_query_and_json_protocols()
    {
        var deploy = Cli(moto.KeyId, moto.Secret, "deploy");
        Assert.True(deploy.ExitCode == 0, deploy.Error);

        var status = Cli(moto.KeyId, moto.Secret, "status", "--format", "json");
        Assert.True(status.ExitCode == 0, status.Error);
        Assert.Equal("worker", JsonNode.Parse(status.Out)!["tasks"]![0]!["task"]!.GetValue<string>());
    }

    [Fact]
    public void A_large_template_is_uploaded_to_s3_with_a_signature_moto_accepts()
    {
        var asUser = new Dictionary<string, string> { ["AWS_ACCESS_KEY_ID"] = moto.KeyId, ["AWS_SECRET_ACCESS_KEY"] = moto.Secret };
        var bucket = moto.Aws(asUser, "s3api", "create-bucket", "--bucket", "signed-deploys", "--create-bucket-configuration", "LocationConstraint=eu-west-1");
        Assert.True(bucket.ExitCode == 0, bucket.Output);
        var folder = Directory.CreateTempSubdirectory("sls-fargate-signed-");
        File.WriteAllText(Path.Combine(folder.FullName, "serverless.yml"), Configs.OverInlineLimit("bigsigned"));

        var deploy = CliRunner.Run(folder.FullName, new Dictionary<string, string>
        {
            ["AWS_ENDPOINT_URL"] = moto.Endpoint,
            ["AWS_ACCESS_KEY_ID"] = moto.KeyId,
            ["AWS_SECRET_ACCESS_KEY"] = moto.Secret,
        }, "deploy", "--bucket", "signed-deploys");

        Assert.True(deploy.ExitCode == 0, deploy.Error);
        Assert.Contains("Uploaded the template", deploy.Error);
        Assert.Contains("Deployed bigsigned-dev (CREATE_COMPLETE)", deploy.Error);
    }

    [Fact]
    public void A_wrong_secret_says_the_signature_does_not_match_and_points_at_the_credentials()
    {
        var status = Cli(moto.KeyId, "not-the-secret", "status");

        Assert.Equal(ExitCodes.AwsFailure, status.ExitCode);
        Assert.StartsWith("sls-fargate: CloudFormation DescribeStacks failed: SignatureDoesNotMatch: ", status.Error);
        Assert.EndsWith("(check the AWS credentials in the environment or the default profile)\n", status.Error);
        Assert.DoesNotContain("not-the-secret", status.Error);
        Assert.Single(status.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void An_unknown_access_key_says_the_token_is_invalid()
    {
        var status = Cli("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "status");

        Assert.Equal(ExitCodes.AwsFailure, status.ExitCode);
        Assert.StartsWith("sls-fargate: CloudFormation DescribeStacks failed: InvalidClientTokenId: ", status.Error);
        Assert.Contains("check the AWS credentials", status.Error);
    }
}

/// <summary>
/// Credentials from a named profile, read by the AWS SDK from AWS_CONFIG_FILE and
/// AWS_SHARED_CREDENTIALS_FILE; the CLI runs as a process, as the SDK reads the process's
/// environment. (moto's IAM refuses AssumeRole to users it authenticates, so this server does
/// not check credentials; <see cref="AwsCredentialTests"/> checks signatures.)
/// </summary>
public sealed class AwsProfileTests(MotoServer moto) : IClassFixture<MotoServer>
{
    [Fact]
    public void A_profile_that_assumes_a_role_works_its_region_is_not_the_stacks_and_a_missing_profile_is_named()
    {
        // A profile that assumes a role with the keys of another (moto's STS answers AssumeRole).
        var (cli, environment, folder) = ProfileSetup("""
            [profile operator]
            role_arn = arn:aws:iam::123456789012:role/operator
            source_profile = base
            region = eu-central-1
            """, """
            [base]
            aws_access_key_id = AKIAIOSFODNN7EXAMPLE
            aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
            """);

        var status = ProcessRunner.Run(cli, ["status", "--aws-profile", "operator"], environment, folder);

        // The role's credentials reached CloudFormation; the region is the configuration's (the
        // framework's default here), as `serverless deploy` would choose it, not the profile's.
        Assert.True(status.ExitCode == ExitCodes.AwsFailure, status.Error);
        Assert.Equal("Note: the stack's region is us-east-1 (--region, then provider.region, then us-east-1, as the Serverless Framework decides); the environment's eu-central-1 is not used\n" +
            "sls-fargate: the stack signed-dev is not deployed in us-east-1; deploy it first (serverless deploy, or sls-fargate deploy)\n", status.Error);

        var missing = ProcessRunner.Run(cli, ["status", "--aws-profile", "nobody"], environment, folder);
        Assert.Equal(ExitCodes.AwsFailure, missing.ExitCode);
        Assert.Equal("sls-fargate: the AWS profile `nobody` was not found in ~/.aws/config or ~/.aws/credentials\n", missing.Error);
    }

    [Fact]
    public void A_failing_credential_process_is_a_one_line_credential_error_naming_the_profile()
    {
        var (cli, environment, folder) = ProfileSetup("""
            [profile broken]
            credential_process = sh -c "echo 'token expired, run sso login' >&2; exit 1"
            """);

        var status = ProcessRunner.Run(cli, ["status", "--aws-profile", "broken"], environment, folder);

        Assert.Equal(ExitCodes.AwsFailure, status.ExitCode);
        Assert.Equal("sls-fargate: the AWS profile `broken` gave no credentials: Command returned non-zero exit value 1 with the error - token expired, run sso login\n", status.Error);
    }

    [Fact]
    public void Credentials_that_expire_are_asked_for_again_instead_of_being_read_once()
    {
        // A credential_process whose keys expire within the SDK's refresh window: each request
        // must ask for them again, so a long deploy wait renews an assumed role or SSO session.
        var count = Path.Combine(Directory.CreateTempSubdirectory("sls-fargate-refresh-").FullName, "count");
        var expiry = DateTimeOffset.UtcNow.AddMinutes(2).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");
        var (cli, environment, folder) = ProfileSetup($$"""
            [profile short]
            credential_process = sh -c "echo x >> {{count}}; echo '{\"Version\": 1, \"AccessKeyId\": \"AKIAIOSFODNN7EXAMPLE\", \"SecretAccessKey\": \"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\", \"SessionToken\": \"t\", \"Expiration\": \"{{expiry}}\"}'"
            region = eu-west-1
            """);

        File.WriteAllText(Path.Combine(folder, "serverless.yml"), AwsCredentialTests.Config.Replace("service: signed", "service: refreshed"));
        var deploy = ProcessRunner.Run(cli, ["deploy", "--aws-profile", "short"], environment, folder);

        Assert.True(deploy.ExitCode == 0, deploy.Error);
        Assert.True(File.ReadAllLines(count).Length >= 2, $"credential_process ran {File.ReadAllLines(count).Length} time(s)");
    }

    /// <summary>Profile files in a home of their own, a service folder, and the CLI to run as a process (the SDK reads the process's environment).</summary>
    private (string Cli, Dictionary<string, string> Environment, string Folder) ProfileSetup(string config, string credentials = "")
    {
        var home = Directory.CreateTempSubdirectory("sls-fargate-profiles-");
        File.WriteAllText(Path.Combine(home.FullName, "config"), config);
        File.WriteAllText(Path.Combine(home.FullName, "credentials"), credentials);
        var folder = Directory.CreateTempSubdirectory("sls-fargate-signed-");
        File.WriteAllText(Path.Combine(folder.FullName, "serverless.yml"), AwsCredentialTests.Config.Replace("  region: eu-west-1\n", ""));
        var environment = new Dictionary<string, string>
        {
            ["AWS_ENDPOINT_URL"] = moto.Endpoint,
            ["AWS_CONFIG_FILE"] = Path.Combine(home.FullName, "config"),
            ["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(home.FullName, "credentials"),
            ["HOME"] = home.FullName,
        };
        return (CliRunner.ExecutableUnderTest ?? Path.Combine(AppContext.BaseDirectory, "sls-fargate"), environment, folder.FullName);
    }
}
