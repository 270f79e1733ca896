using System.Diagnostics;

namespace ServerlessFargate.Tests;

public sealed record ProcessResult(int ExitCode, string Out, string Error)
{
    public string Output => Out + Error;
}

/// <summary>Runs an external program (cfn-lint, moto_server, the aws CLI, node) and captures its output.</summary>
internal static class ProcessRunner
{
    /// <param name="started">Given the process once it runs (to signal it while it works).</param>
    public static ProcessResult Run(string fileName, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null,
        string? workingDirectory = null, string? stdin = null, TimeSpan? timeout = null, Func<Process, IDisposable?>? started = null)
    {
        using var process = Start(fileName, args, environment, workingDirectory, redirectInput: stdin is not null);
        using var whileRunning = started?.Invoke(process);
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
            process.StandardInput.Close();
        }
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', args)} did not finish in time");
        }
        return new ProcessResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    public static Process Start(string fileName, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null,
        string? workingDirectory = null, bool redirectInput = false)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Directory.GetCurrentDirectory(),
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }
        return Process.Start(info) ?? throw new InvalidOperationException($"could not start {fileName}");
    }

    /// <summary>Sends SIGINT (Ctrl-C) to a process.</summary>
    public static void Interrupt(Process process) => Run("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);

    /// <summary>True when a program is on PATH.</summary>
    public static bool IsOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Any(dir => File.Exists(Path.Combine(dir, name)));
}
