namespace ServerlessFargate.Aws.Operations;

/// <summary>
/// An operation that cannot go on, with one line saying why. <see cref="IsUsage"/> marks a
/// mistake in the command (an unknown task, a bad duration) rather than a state of AWS.
/// </summary>
public sealed class OperationException(string message, bool isUsage = false) : Exception(message)
{
    public bool IsUsage { get; } = isUsage;
}
