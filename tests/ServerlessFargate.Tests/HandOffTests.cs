using System.Text;
using ServerlessFargate.Cli;

namespace ServerlessFargate.Tests;

/// <summary>
/// The executable a user starts. Natively (CI runs this class against the published build)
/// sls-fargate hands the commands that call AWS to sls-fargate-aws by exec; built for the JIT it
/// runs them itself. Either way, the process the user or the framework started is the one that
/// answers: its output, its exit code and Ctrl-C.
/// </summary>
public sealed class HandOffTests(MotoServer moto) : IClassFixture<MotoServer>, IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("sls-fargate-handoff-");

    public void Dispose() => _root.Delete(recursive: true);

    private static string Executable => CliRunner.ExecutableUnderTest ?? Path.Combine(AppContext.BaseDirectory, "sls-fargate");

    private Dictionary<string, string> Aws() => new()
    {
        ["AWS_ENDPOINT_URL"] = moto.Endpoint,
        ["AWS_ACCESS_KEY_ID"] = "testing",
        ["AWS_SECRET_ACCESS_KEY"] = "testing",
        ["AWS_REGION"] = "eu-west-1",
    };

    [Fact]
    public async Task Ctrl_C_reaches_a_following_logs_command_in_the_process_that_was_started()
    {
        var name = $"hand{Guid.NewGuid():N}"[..12];
        var folder = Path.Combine(_root.FullName, name);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "serverless.yml"), Configs.OneWorkerOnMoto(name));
        var deploy = ProcessRunner.Run(Executable, ["deploy"], Aws(), folder);
        Assert.True(deploy.ExitCode == 0, deploy.Output);
        moto.PutLogLines(moto.LogGroup($"{name}-dev"), "fargate/worker/aaaaaaaa1111", "working");

        using var process = ProcessRunner.Start(Executable, ["logs", "worker", "--follow", "--since", "5m"], Aws(), folder);
        var output = new StringBuilder();
        using var printed = new ManualResetEventSlim();
        process.OutputDataReceived += (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
                if (e.Data?.EndsWith("[aaaaaaaa] working", StringComparison.Ordinal) == true)
                {
                    printed.Set();
                }
            }
        };
        process.BeginOutputReadLine();
        var error = process.StandardError.ReadToEndAsync();
        Assert.True(printed.Wait(TimeSpan.FromSeconds(60)), $"no log line came: {output}");

        // The pid the test started is the one following (exec kept it), so Ctrl-C ends it.
        ProcessRunner.Interrupt(process);
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(30)), "logs --follow did not stop on Ctrl-C");
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {await error}");
    }

    [SkippableFact]
    public void An_aws_command_says_where_sls_fargate_aws_should_be_when_it_is_missing()
    {
        Skip.If(CliRunner.ExecutableUnderTest is null, "built for the JIT, sls-fargate runs the AWS commands itself");
        var alone = Path.Combine(_root.FullName, "alone");
        Directory.CreateDirectory(alone);
        var copy = Path.Combine(alone, Path.GetFileName(CliRunner.ExecutableUnderTest!));
        File.Copy(CliRunner.ExecutableUnderTest!, copy);
        File.SetUnixFileMode(copy, File.GetUnixFileMode(CliRunner.ExecutableUnderTest!));
        var config = Path.Combine(RepositoryPaths.Root, "examples", "blog-post");

        var status = ProcessRunner.Run(copy, ["status", config], Aws(), alone);

        Assert.Equal(ExitCodes.InternalError, status.ExitCode);
        Assert.Contains($"sls-fargate-aws, which should be beside this executable and is not ({Path.Combine(alone, "sls-fargate-aws")})", status.Error);
        // What does not call AWS still works without it: cost too, but for --measured.
        Assert.Equal(ExitCodes.Ok, ProcessRunner.Run(copy, ["validate", config], null, alone).ExitCode);
        var cost = ProcessRunner.Run(copy, ["cost", config], null, alone);
        Assert.True(cost.ExitCode == ExitCodes.Ok, cost.Output);
        Assert.Contains("TOTAL", cost.Out);
        var measured = ProcessRunner.Run(copy, ["cost", config, "--measured"], Aws(), alone);
        Assert.Equal(ExitCodes.InternalError, measured.ExitCode);
        Assert.Contains("sls-fargate-aws, which should be beside this executable and is not", measured.Error);
    }

    [SkippableFact]
    public void The_native_sls_fargate_leaves_the_aws_sdk_to_sls_fargate_aws()
    {
        // The point of the two executables: what the framework starts on every package stays
        // small and starts fast (docs/performance.md). A command that sets its action without
        // testing AwsHandOff.InProcess first would bring the SDK back.
        Skip.If(CliRunner.ExecutableUnderTest is null, "built for the JIT, sls-fargate is one program");
        var sdk = "Amazon.Runtime"u8.ToArray();
        var aws = Path.Combine(Path.GetDirectoryName(CliRunner.ExecutableUnderTest!)!, "sls-fargate-aws");

        Assert.Equal(-1, File.ReadAllBytes(CliRunner.ExecutableUnderTest!).AsSpan().IndexOf(sdk));
        Assert.NotEqual(-1, File.ReadAllBytes(aws).AsSpan().IndexOf(sdk));
    }
}
