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
