namespace ServerlessFargate.Cli;

/// <summary>Exit codes of every command (SPEC §4).</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int InputErrors = 1;
    public const int UsageError = 2;

    /// <summary>
    /// AWS could not be reached or refused (credentials, a missing stack, a failed deploy, a task
    /// that could not start). <c>run</c> otherwise exits with its container's exit code.
    /// </summary>
    public const int AwsFailure = 3;

    /// <summary>Ctrl-C stopped a wait (128 + SIGINT, as shells report it).</summary>
    public const int Interrupted = Aws.Operations.TaskRunner.Interrupted;

    /// <summary>An exception escaped the engine: a bug in sls-fargate, never a problem in the input.</summary>
    public const int InternalError = 70;
}
