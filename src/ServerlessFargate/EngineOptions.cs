namespace ServerlessFargate;

/// <summary>
/// How the engine is run: the framework's <c>--stage</c> and <c>--region</c>, the environment
/// <c>${env:...}</c> reads, a template to merge into, and the folder paths in messages are
/// relative to (the current folder when not given).
/// </summary>
public sealed record EngineOptions(
    string? Stage = null,
    string? Region = null,
    Func<string, string?>? Environment = null,
    string? MergeInto = null,
    string? WorkingDirectory = null)
{
    public string BaseDirectory => WorkingDirectory ?? Directory.GetCurrentDirectory();

    /// <summary>A path as messages show it: relative to the working folder when inside it.</summary>
    public string DisplayPath(string path)
    {
        var full = Path.GetFullPath(path, BaseDirectory);
        var relative = Path.GetRelativePath(BaseDirectory, full);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? full : relative;
    }
}
