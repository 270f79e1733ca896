namespace ServerlessFargate.Tests;

/// <summary>Configurations several test classes start from.</summary>
internal static class Configs
{
    public const string Image = "image: public.ecr.aws/docker/library/busybox:1.36";

    /// <summary>A valid service of one task, `worker`, in a given subnet; its last line is the task's image, so task keys can follow.</summary>
    public const string OneTask = """
        service: tests
        provider:
          name: aws
        fargate:
          vpc:
            subnetIds: [subnet-0123456789abcdef0]
          tasks:
            worker:
              image: public.ecr.aws/docker/library/busybox:1.36

        """;

    /// <summary>A service of one task, `worker`, in eu-west-1, that moto can deploy and run.</summary>
    public static string OneWorkerOnMoto(string service) => $"""
        service: {service}
        provider:
          name: aws
          region: eu-west-1
        fargate:
          # moto works a task's memory out from its containers' and fails on a container without
          # one (Fargate puts it on the task), so the container has a memory too.
          cloudFormationResource:
            container:
              Memory: 512
          tasks:
            worker:
              image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1.0
        """;

    /// <summary>
    /// A service of 40 tasks in eu-west-1 whose template (about 90 KB) is over the 51,200 bytes
    /// CloudFormation takes inline, so deploying it goes through S3.
    /// </summary>
    public static string OverInlineLimit(string service) =>
        $"service: {service}\nprovider:\n  name: aws\n  region: eu-west-1\nfargate:\n  vpc:\n    subnetIds: [subnet-0123456789abcdef0]\n  tasks:\n" +
        string.Concat(Enumerable.Range(1, 40).Select(i =>
            $"    worker{i}:\n      image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1.0\n" +
            $"      environment: {{ SETTING_WITH_A_LONG_NAME_{i}: \"a value that makes the template grow a little more\" }}\n"));

    /// <summary>
    /// The environment the Serverless Framework runs in offline: a fresh HOME, no telemetry or
    /// notifications, and credentials that only have to look real.
    /// </summary>
    public static Dictionary<string, string> OfflineFramework(string home) => new()
    {
        ["HOME"] = home,
        ["SLS_TELEMETRY_DISABLED"] = "1",
        ["SLS_NOTIFICATIONS_MODE"] = "off",
        ["AWS_ACCESS_KEY_ID"] = "AKIAIOSFODNN7EXAMPLE",
        ["AWS_SECRET_ACCESS_KEY"] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    };

    /// <summary><see cref="OneTask"/> with more lines for the task (each written as at the task's level, without indentation).</summary>
    public static string WithTaskLines(params string[] lines) => OneTask + string.Concat(lines.Select(l => "      " + l + "\n"));
}
