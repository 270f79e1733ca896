using ServerlessFargate.Aws;

namespace ServerlessFargate.Tests;

/// <summary>Where requests go and in which region, from options, the configuration and the environment.</summary>
public sealed class AwsSessionTests
{
    private static AwsSession Session(string? region, string? configRegion, params (string Name, string Value)[] variables)
    {
        var values = variables.ToDictionary(v => v.Name, v => v.Value);
        // AWS_PROFILE names a profile no file has, so the machine's own files never decide.
        values.TryAdd("AWS_PROFILE", "sls-fargate-tests-no-such-profile");
        return new AwsSession(new AwsSettings(region, configRegion, null, name => values.TryGetValue(name, out var v) ? v : null));
    }

    [Fact]
    public void The_region_comes_from_the_option_then_the_configuration_then_the_environment_then_us_east_1()
    {
        Assert.Equal("eu-north-1", Session("eu-north-1", "eu-west-1", ("AWS_REGION", "ap-south-1")).Region);
        Assert.Equal("eu-west-1", Session(null, "eu-west-1", ("AWS_REGION", "ap-south-1")).Region);
        Assert.Equal("ap-south-1", Session(null, null, ("AWS_REGION", "ap-south-1"), ("AWS_DEFAULT_REGION", "sa-east-1")).Region);
        Assert.Equal("sa-east-1", Session(null, null, ("AWS_DEFAULT_REGION", "sa-east-1")).Region);
        Assert.Equal("us-east-1", Session(null, null).Region);
    }

    [Fact]
    public void A_service_endpoint_variable_wins_over_the_general_one_and_otherwise_aws_regional_endpoints_are_used()
    {
        var session = Session("eu-west-1", null, ("AWS_ENDPOINT_URL", "http://localhost:4566"), ("AWS_ENDPOINT_URL_ECS", "http://127.0.0.1:5000"));
        Assert.Equal(new Uri("http://127.0.0.1:5000"), session.Endpoint(AwsService.Ecs));
        Assert.Equal(new Uri("http://localhost:4566"), session.Endpoint(AwsService.Logs));

        var aws = Session("eu-west-1", null);
        Assert.Equal(new Uri("https://ecs.eu-west-1.amazonaws.com"), aws.Endpoint(AwsService.Ecs));
        Assert.Equal(new Uri("https://logs.eu-west-1.amazonaws.com"), aws.Endpoint(AwsService.Logs));
        Assert.Equal(new Uri("https://cloudformation.cn-north-1.amazonaws.com.cn"), Session("cn-north-1", null).Endpoint(AwsService.CloudFormation));
    }

    [Fact]
    public void An_endpoint_that_is_not_an_http_address_is_named_in_the_error()
    {
        var error = Assert.Throws<AwsException>(() => Session("eu-west-1", null, ("AWS_ENDPOINT_URL", "localhost:4566")).Endpoint(AwsService.Ecs));
        Assert.Equal("the endpoint `localhost:4566` (AWS_ENDPOINT_URL) is not an http or https address", error.Message);
    }

    [Fact]
    public void The_stack_is_provider_stack_name_or_service_dash_stage_as_the_framework_names_it()
    {
        static string Stack(string provider, string? stage = null) => Engine.ValidateText($"""
            service: shop
            provider:
              name: aws
            {provider}
            fargate:
              vpc: { "{" }subnetIds: [subnet-0123456789abcdef0]{ "}" }
              tasks:
                worker: { "{" }image: busybox{ "}" }
            """, new EngineOptions(stage, null, _ => null)).Model!.StackName;

        Assert.Equal("shop-dev", Stack(""));
        Assert.Equal("shop-prod", Stack("", "prod"));
        Assert.Equal("shop-qa", Stack("  stage: qa"));
        Assert.Equal("shop-prod-stack", Stack("  stackName: ${self:service}-${sls:stage}-stack", "prod"));
    }

    [Fact]
    public void Keys_in_the_environment_beat_aws_profile_but_not_an_explicit_profile()
    {
        var keys = new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = "AKIAIOSFODNN7EXAMPLE",
            ["AWS_SECRET_ACCESS_KEY"] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            ["AWS_PROFILE"] = "sls-fargate-tests-no-such-profile",
        };
        using var fromEnvironment = new AwsSession(new AwsSettings("eu-west-1", null, null, name => keys.GetValueOrDefault(name)));
        Assert.Equal("AKIAIOSFODNN7EXAMPLE", fromEnvironment.Credentials.AccessKey);

        using var explicitProfile = new AwsSession(new AwsSettings("eu-west-1", null, "sls-fargate-tests-no-such-profile", name => keys.GetValueOrDefault(name)));
        var error = Assert.Throws<AwsException>(() => explicitProfile.Credentials);
        Assert.StartsWith("the AWS profile `sls-fargate-tests-no-such-profile` was not found", error.Message);
    }
}
