namespace ServerlessFargate.Model;

/// <summary>Every default of the DSL, in one place (they are the reference plugin's).</summary>
public static class Defaults
{
    public const string Memory = "0.5GB";
    public const int Cpu = 256;
    public const int DesiredCount = 1;
    public const int MaximumPercent = 200;
    public const int MinimumHealthyPercent = 100;

    /// <summary>With <c>strict: true</c> a deployment stops the old task before starting the new one.</summary>
    public const int StrictMaximumPercent = 100;
    public const int StrictMinimumHealthyPercent = 0;

    public const bool AssignPublicIp = false;

    /// <summary>The generated network's address range; its two subnets take one half each.</summary>
    public const string VpcCidr = "10.0.0.0/16";

    /// <summary>
    /// Fargate Spot stops a task with SIGTERM two minutes before it reclaims the capacity; the
    /// longest stop timeout Fargate allows, 120 s, gives a Spot task's container all of that warning.
    /// </summary>
    public const int SpotStopTimeout = 120;

    /// <summary>Autoscaling keeps at least one task unless <c>min</c> says otherwise.</summary>
    public const int AutoscalingMin = 1;
    /// <summary>Log streams are named prefix/container/task id (the awslogs driver's form), so a task's lines are found by its id.</summary>
    public const string LogStreamPrefix = "fargate";

    public const string Stage = "dev";

    /// <summary>Alerts without `on` alert on failures only: a deployment's failure already shows in `status` and rolls back.</summary>
    public const string AlertOn = "failure";
}
