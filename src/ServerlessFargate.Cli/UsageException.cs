namespace ServerlessFargate.Cli;

/// <summary>A problem with how the command was called (a missing file, a bad option): exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);
