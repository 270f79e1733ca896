namespace ServerlessFargate.Aws.Operations;

/// <summary>
/// An operation that cannot go on, with one line saying why. <see cref="IsUsage"/> marks a
/// mistake in the command (an unknown task, a bad duration) rather than a state of AWS.
/// </summary>
public sealed class OperationException(string message, bool isUsage = false) : Exception(message)
{
    public bool IsUsage { get; } = isUsage;
}

/// <summary>
/// Ctrl-C ended the operation. The message says what AWS was asked to do and goes on doing (a
/// stack update runs to its end; a started task keeps running), so the user knows what is left.
/// </summary>
public sealed class OperationInterruptedException(string message) : Exception(message);

/// <summary>Where an interrupted operation tidies up: a short wait of its own, since the command's token is already cancelled.</summary>
public static class Cleanup
{
    /// <summary>How long tidying up after Ctrl-C may take; a second Ctrl-C ends the process at once anyway.</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    public static CancellationTokenSource Token() => new(Limit);
}
