using ServerlessFargate.Aws;

namespace ServerlessFargate.Tests;

/// <summary>Where requests go and in which region, from options, the configuration and the environment.</summary>
public sealed class AwsSessionTests
{
    private static AwsSession Session(string region, params (string Name, string Value)[] variables)
    {
        var values = variables.ToDictionary(v => v.Name, v => v.Value);
        // AWS_PROFILE names a profile no file has, so the machine's own files never decide.
        values.TryAdd("AWS_PROFILE", "sls-fargate-tests-no-such-profile");
        return new AwsSession(new AwsSettings(region, null, name => values.TryGetValue(name, out var v) ? v : null));
    }

    /// <summary>The model of a one-task service with <paramref name="provider"/> lines under provider:.</summary>
    private static Model.ServiceModel ModelOf(string provider, string? stage, string? region, params (string Name, string Value)[] variables)
    {
        var environment = variables.ToDictionary(v => v.Name, v => v.Value);
        return Engine.ValidateText($"""
            service: shop
            provider:
              name: aws
            {provider}
            fargate:
              vpc: { "{" }subnetIds: [subnet-0123456789abcdef0]{ "}" }
              tasks:
                worker: { "{" }image: public.ecr.aws/docker/library/busybox:1.36{ "}" }
            """, new EngineOptions(stage, region, name => environment.GetValueOrDefault(name))).Model!;
    }

    private static string RegionOf(string provider, string? option, params (string Name, string Value)[] variables) =>
        ModelOf(provider, null, option, variables).Region;

    [Fact]
    public void The_region_is_the_option_then_provider_region_then_us_east_1_and_the_environment_is_never_asked()
    {
        Assert.Equal("eu-north-1", RegionOf("  region: eu-west-1", "eu-north-1", ("AWS_REGION", "ap-south-1")));
        Assert.Equal("eu-west-1", RegionOf("  region: eu-west-1", null, ("AWS_REGION", "ap-south-1")));
        // As the Serverless Framework's getRegion: AWS_REGION and AWS_DEFAULT_REGION are not asked.
        Assert.Equal("us-east-1", RegionOf("", null, ("AWS_REGION", "ap-south-1"), ("AWS_DEFAULT_REGION", "sa-east-1")));
        Assert.Equal("us-east-1", RegionOf("", null));
    }

    [Fact]
    public void A_region_in_the_environment_that_differs_from_the_stacks_is_reported_as_not_used()
    {
        Assert.Equal("ap-south-1", Session("us-east-1", ("AWS_REGION", "ap-south-1")).IgnoredEnvironmentRegion());
        Assert.Equal("sa-east-1", Session("us-east-1", ("AWS_DEFAULT_REGION", "sa-east-1")).IgnoredEnvironmentRegion());
        Assert.Null(Session("us-east-1", ("AWS_REGION", "us-east-1")).IgnoredEnvironmentRegion());
        Assert.Null(Session("us-east-1").IgnoredEnvironmentRegion());
    }

    [Fact]
    public void A_service_endpoint_variable_wins_over_the_general_one_and_otherwise_aws_regional_endpoints_are_used()
    {
        var session = Session("eu-west-1", ("AWS_ENDPOINT_URL", "http://localhost:4566"), ("AWS_ENDPOINT_URL_ECS", "http://127.0.0.1:5000"));
        Assert.Equal(new Uri("http://127.0.0.1:5000"), session.Endpoint(AwsService.Ecs));
        Assert.Equal(new Uri("http://localhost:4566"), session.Endpoint(AwsService.Logs));

        var aws = Session("eu-west-1");
        Assert.Equal(new Uri("https://ecs.eu-west-1.amazonaws.com"), aws.Endpoint(AwsService.Ecs));
        Assert.Equal(new Uri("https://logs.eu-west-1.amazonaws.com"), aws.Endpoint(AwsService.Logs));
        Assert.Equal(new Uri("https://cloudformation.cn-north-1.amazonaws.com.cn"), Session("cn-north-1").Endpoint(AwsService.CloudFormation));
    }

    [Fact]
    public void An_endpoint_that_is_not_an_http_address_is_named_in_the_error()
    {
        var error = Assert.Throws<AwsException>(() => Session("eu-west-1", ("AWS_ENDPOINT_URL", "localhost:4566")).Endpoint(AwsService.Ecs));
        Assert.Equal("the endpoint `localhost:4566` (AWS_ENDPOINT_URL) is not an http or https address", error.Message);
    }

    [Fact]
    public void An_endpoint_with_a_user_name_or_password_is_refused_without_printing_them()
    {
        var error = Assert.Throws<AwsException>(() => Session("eu-west-1", ("AWS_ENDPOINT_URL", "http://admin:s3cr3t@127.0.0.1:4566")).Endpoint(AwsService.Ecs));

        Assert.Equal("the endpoint `http://…@127.0.0.1:4566` (AWS_ENDPOINT_URL) holds a user name or password; AWS endpoints take none, and sls-fargate does not pass one on", error.Message);
    }

    [Fact]
    public void The_stack_is_provider_stack_name_or_service_dash_stage_as_the_framework_names_it()
    {
        static string Stack(string provider, string? stage = null) => ModelOf(provider, stage, null).StackName;

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
        using var fromEnvironment = new AwsSession(new AwsSettings("eu-west-1", null, name => keys.GetValueOrDefault(name)));
        Assert.Equal("AKIAIOSFODNN7EXAMPLE", fromEnvironment.Credentials.AccessKey);

        using var explicitProfile = new AwsSession(new AwsSettings("eu-west-1", "sls-fargate-tests-no-such-profile", name => keys.GetValueOrDefault(name)));
        var error = Assert.Throws<AwsException>(() => explicitProfile.Credentials);
        Assert.StartsWith("the AWS profile `sls-fargate-tests-no-such-profile` was not found", error.Message);
    }
}
