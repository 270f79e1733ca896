namespace ServerlessFargate.Variables;

/// <summary>
/// Reads a file that <c>${file()}</c> names, as untrusted input: links are followed to a regular
/// file or not at all, kernel and device files are refused (<c>/proc/self/environ</c> holds the
/// job's secrets, <c>/dev/stdin</c> blocks for ever, <c>/dev/zero</c> never ends), and size is capped.
/// </summary>
public static class InputFile
{
    /// <summary>Larger than any configuration file; CloudFormation takes no template over 1 MB.</summary>
    public const long MaxBytes = 10_000_000;

    public abstract record Result
    {
        public sealed record Found(string Text) : Result;

        /// <summary>No such file, or a link to nothing: the framework treats it as "no value", so a fallback applies.</summary>
        public sealed record Missing : Result;

        public sealed record Refused(string Reason) : Result;
    }

    private static readonly string[] KernelFolders = ["/proc/", "/sys/", "/dev/"];

    public static Result Read(string fullPath)
    {
        try
        {
            var info = new FileInfo(fullPath);
            if (info.LinkTarget is not null)
            {
                if (info.ResolveLinkTarget(returnFinalTarget: true) is not { Exists: true } target)
                {
                    return new Result.Missing();
                }
                info = new FileInfo(target.FullName);
            }
            if (!info.Exists)
            {
                return new Result.Missing();
            }
            if (!OperatingSystem.IsWindows() && Array.Exists(KernelFolders, folder => info.FullName.StartsWith(folder, StringComparison.Ordinal)))
            {
                return new Result.Refused("is a device or kernel file, not a regular file");
            }
            // A FIFO or a device elsewhere reports no length: it is read as empty, never opened.
            if (info.Length == 0)
            {
                return new Result.Found("");
            }
            if (info.Length > MaxBytes)
            {
                return new Result.Refused($"is {info.Length:N0} bytes; sls-fargate reads files of at most {MaxBytes:N0}");
            }
            return new Result.Found(File.ReadAllText(info.FullName));
        }
        catch (IOException ex)
        {
            // Among others: "Too many levels of symbolic links" for a link loop.
            return new Result.Refused($"cannot be read: {ex.Message}");
        }
        catch (UnauthorizedAccessException ex)
        {
            return new Result.Refused($"cannot be read: {ex.Message}");
        }
    }
}
