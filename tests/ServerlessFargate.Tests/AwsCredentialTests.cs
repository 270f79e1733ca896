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
    private const string Config = """
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
