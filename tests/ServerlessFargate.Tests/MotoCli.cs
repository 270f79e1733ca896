using ServerlessFargate.Cli;

namespace ServerlessFargate.Tests;

/// <summary>
/// Runs the CLI in-process against a moto server, with a fault injector in front of it: the
/// fake credentials, the endpoint, a short poll interval, and Ctrl-C as a token.
/// </summary>
internal sealed class MotoCli(MotoServer moto)
{
    /// <summary>
    /// A service (migrate) and a scheduled task (nightly) moto can run: moto wants a container
    /// memory, which Fargate puts on the task, and cannot delete a generated VPC before its
    /// subnets, so the tasks name a subnet.
    /// </summary>
    public const string Config = """
        service: SERVICE
        provider:
          name: aws
          region: eu-west-1
        fargate:
          vpc:
            subnetIds: [subnet-0123456789abcdef0]
          cloudFormationResource:
            container:
              Memory: 512
          tasks:
            migrate:
              image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1.0
              command: ["./migrate"]
            nightly:
              image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1.0
              schedule: cron(0 3 * * ? *)
        """;

    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    /// <summary>A folder holding <paramref name="config"/> (SERVICE replaced by the name).</summary>
    public static DirectoryInfo Service(string name, string config = Config)
    {
        var folder = Directory.CreateTempSubdirectory("sls-fargate-moto-");
        File.WriteAllText(Path.Combine(folder.FullName, "serverless.yml"), config.Replace("SERVICE", name));
        return folder;
    }

    /// <summary>Changes the service's serverless.yml.</summary>
    public static void Edit(DirectoryInfo folder, Func<string, string> change)
    {
        var path = Path.Combine(folder.FullName, "serverless.yml");
        File.WriteAllText(path, change(File.ReadAllText(path)));
    }

    /// <summary>A service of <see cref="Config"/> under a name of its own, deployed.</summary>
    public (string Name, DirectoryInfo Folder) Deployed(string prefix, string config = Config)
    {
        var name = Unique(prefix);
        var folder = Service(name, config);
        var deploy = Run(folder, "deploy");
        Assert.True(deploy.ExitCode == 0, deploy.Error);
        return (name, folder);
    }

    public CliRun Run(DirectoryInfo folder, params string[] args) => Run(folder, new FaultInjector(), default, null, args);

    public CliRun Run(DirectoryInfo folder, FaultInjector injector, params string[] args) => Run(folder, injector, default, null, args);

    public CliRun Run(DirectoryInfo folder, FaultInjector injector, CancellationToken interrupt, IReadOnlyDictionary<string, string>? extra, params string[] args) =>
        Run(folder, injector, interrupt, extra, null, args);

    /// <param name="ask">Stands for the user at a terminal: answers each question deploy or remove asks (Ctrl-C cancels the token).</param>
    public CliRun Run(DirectoryInfo folder, FaultInjector injector, CancellationToken interrupt, IReadOnlyDictionary<string, string>? extra,
        Func<string, CancellationToken, Task<string?>>? ask, params string[] args)
    {
        if (CliRunner.ExecutableUnderTest is { } executable)
        {
            // A process has no terminal to be asked on here: tests that answer questions run in-process only.
            Assert.Null(ask);
            return RunProcess(executable, folder, injector, interrupt, extra, args);
        }
        var variables = new Dictionary<string, string>
        {
            ["AWS_ENDPOINT_URL"] = moto.Endpoint,
            ["AWS_ACCESS_KEY_ID"] = "testing",
            ["AWS_SECRET_ACCESS_KEY"] = "testing",
            ["PATH"] = "/nonexistent",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            variables[key] = value;
        }
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var environment = new CliEnvironment(folder.FullName, name => variables.TryGetValue(name, out var v) ? v : null)
        {
            AwsHandler = injector,
            PollInterval = TimeSpan.FromMilliseconds(50),
            Interrupt = interrupt,
            Ask = ask,
        };
        var code = CliApp.Run(args, stdout, stderr, environment);
        return new CliRun(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>
    /// The same run as a process (the native build in CI): requests go through a
    /// <see cref="FaultProxy"/> running the injector, and the interrupt token sends SIGINT.
    /// </summary>
    private CliRun RunProcess(string executable, DirectoryInfo folder, FaultInjector injector, CancellationToken interrupt,
        IReadOnlyDictionary<string, string>? extra, string[] args)
    {
        using var proxy = new FaultProxy(injector, moto.Endpoint);
        var variables = new Dictionary<string, string>
        {
            ["AWS_ENDPOINT_URL"] = proxy.Endpoint,
            ["AWS_ACCESS_KEY_ID"] = "testing",
            ["AWS_SECRET_ACCESS_KEY"] = "testing",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            variables[key] = value;
        }
        var result = ProcessRunner.Run(executable, args, variables, folder.FullName,
            started: process => interrupt.Register(() => ProcessRunner.Interrupt(process)));
        return new CliRun(result.ExitCode, result.Out, result.Error);
    }
}
