using System.CommandLine;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;

namespace ServerlessFargate.Cli;

/// <summary>
/// The native release is two executables built from this one program. <c>sls-fargate</c> is built
/// with the switch below off: it validates and packages, and hands the commands that call AWS to
/// <c>sls-fargate-aws</c> beside it, which is built with every command. The AWS SDK and our AWS
/// code more than double a native executable, and a native executable pays for its size each time
/// it starts (it rebuilds its type data in memory), so the commands the framework runs on every
/// <c>package</c> stay small (docs/performance.md). Built for the JIT (the .NET tool, the tests),
/// the switch is on and there is one program.
/// </summary>
internal static partial class AwsHandOff
{
    public const string Switch = "ServerlessFargate.Cli.AwsCommandsInProcess";

    public const string ExecutableName = "sls-fargate-aws";

    /// <summary>
    /// Whether the AWS commands run in this process. The native compiler sees the switch as a
    /// constant and leaves out the code behind <c>if (!InProcess) return ...</c>, which is why each
    /// AWS command tests it where it sets its action, not in a shared helper.
    /// </summary>
    [FeatureSwitchDefinition(Switch)]
    public static bool InProcess => !AppContext.TryGetSwitch(Switch, out var enabled) || enabled;

    /// <summary>Gives <paramref name="command"/> the action that runs the whole command line in sls-fargate-aws.</summary>
    public static Command Delegate(Command command, ConsoleIo io)
    {
        command.SetAction(_ => HandOver(command.Name, io));
        return command;
    }

    /// <summary>Runs the whole command line in sls-fargate-aws, which takes this process over; its exit code otherwise.</summary>
    public static int HandOver(string command, ConsoleIo io)
    {
        var path = Path.Combine(AppContext.BaseDirectory, ExecutableName + (OperatingSystem.IsWindows() ? ".exe" : ""));
        if (!File.Exists(path))
        {
            io.Error.WriteLine($"sls-fargate: the commands that call AWS are in {ExecutableName}, which should be beside this executable and is not ({path}); reinstall sls-fargate, or use the .NET tool (dotnet tool install --global ServerlessFargate.Cli), which is one program");
            return ExitCodes.Failure(command, ExitCodes.InternalError);
        }
        io.Out.Flush();
        io.Error.Flush();
        if (OperatingSystem.IsWindows())
        {
            return RunChild(path, io.Arguments);
        }

        // exec, not a child process: the AWS executable takes over this process, so Ctrl-C, a kill
        // from the framework or CI, standard input (the plugin's --stdin) and the terminal (exec's
        // session) reach it as they reached us, and its exit code is ours.
        string?[] argv = [path, .. io.Arguments, null];
        Execv(path, argv);
        io.Error.WriteLine($"sls-fargate: could not start {path}: {Marshal.GetLastPInvokeErrorMessage()}");
        return ExitCodes.Failure(command, ExitCodes.InternalError);
    }

    /// <summary>Windows has no exec: a child on the same console, and Ctrl-C left to it (it exits 130 and says why).</summary>
    private static int RunChild(string path, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(path) { UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        Console.CancelKeyPress += (_, e) => e.Cancel = true;
        using var child = Process.Start(start) ?? throw new InvalidOperationException($"{path} did not start");
        child.WaitForExit();
        return child.ExitCode;
    }

    [LibraryImport("libc", EntryPoint = "execv", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Execv(string path, string?[] argv);
}
