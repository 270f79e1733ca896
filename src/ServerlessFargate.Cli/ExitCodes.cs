namespace ServerlessFargate.Cli;

/// <summary>Exit codes of every command (SPEC §4).</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int InputErrors = 1;
    public const int UsageError = 2;

    /// <summary>
    /// AWS could not be reached or refused (credentials, a missing stack, a failed deploy, a task
    /// that could not start); in <c>run</c>, <see cref="RunFailed"/>.
    /// </summary>
    public const int AwsFailure = 3;

    /// <summary>Ctrl-C stopped a wait (128 + SIGINT, as shells report it).</summary>
    public const int Interrupted = 130;

    /// <summary><c>run --timeout</c> ran out (as timeout(1) says it).</summary>
    public const int TimedOut = 124;

    /// <summary>An exception escaped the engine: a bug in sls-fargate, never a problem in the input.</summary>
    public const int InternalError = 70;

    /// <summary>
    /// <c>run</c>'s own failures, whatever they are (a usage mistake, AWS, an invalid configuration,
    /// a task whose container never ran, a bug): <c>run</c> exits with its container's exit code,
    /// and a container may well exit 1, 2 or 3, so a CI step could not tell "the migration failed"
    /// from "the migration never started". 125 is what <c>docker run</c> gives for its own.
    /// </summary>
    public const int RunFailed = 125;

    /// <summary><c>run</c>'s exit code for how the run ended: the container's own code when it ran.</summary>
    public static int Of(Aws.Operations.RunEnd end) => end switch
    {
        Aws.Operations.RunEnd.Exited exited => exited.Code,
        Aws.Operations.RunEnd.Detached => Ok,
        Aws.Operations.RunEnd.TimedOut => TimedOut,
        Aws.Operations.RunEnd.Interrupted => Interrupted,
        _ => RunFailed,
    };

    /// <summary>The exit code for a failure of sls-fargate itself (<paramref name="code"/>) in <paramref name="command"/>: <see cref="RunFailed"/> in <c>run</c>.</summary>
    public static int Failure(string command, int code) => command == Commands.RunCommand.Name ? RunFailed : code;
}
