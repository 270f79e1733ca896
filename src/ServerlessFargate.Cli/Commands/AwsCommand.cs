using System.CommandLine;
using ServerlessFargate.Aws;
using ServerlessFargate.Diagnostics;
using ServerlessFargate.Integration;
using ServerlessFargate.Model;

namespace ServerlessFargate.Cli.Commands;

/// <summary>
/// A command that calls AWS. Its options are declared in its constructor, the same in both
/// builds, so the native <c>sls-fargate</c> parses and checks them before it hands the command
/// line over; its action (<see cref="Act"/>) is attached only in the build that holds the AWS
/// code (<see cref="AwsCommands"/>). What the commands share lives here: the configuration (read
/// from the folder, or as the framework resolved it on stdin), the session, Ctrl-C.
/// </summary>
internal abstract class AwsCommand(string name, string description)
{
    public Command Command { get; } = new(name, description);

    public Argument<string?> Folder { get; } = CommonOptions.Path();
    public Option<string?> Stage { get; } = CommonOptions.Stage();
    public Option<string?> Region { get; } = CommonOptions.Region();

    public Option<string?> Profile { get; } = new("--aws-profile")
    {
        Description = "The AWS profile to use (default: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, then AWS_PROFILE, then the rest of the SDK's credential chain).",
    };

    public Option<bool> Stdin { get; } = new("--stdin")
    {
        Description = "Read the configuration as the Serverless Framework resolved it from standard input (the plugin does this).",
        Hidden = true,
    };

    public Option<bool> Raw { get; } = new("--raw")
    {
        Description = "Print what AWS and the containers said byte for byte. Without it, control characters in it (escape sequences, CR, bidi controls) are printed visibly, as \\x1b, \\r, \\u202e, on a terminal or not.",
    };

    /// <summary>Adds the shared arguments and options (after a command's own leading argument, such as run's task).</summary>
    protected void AddShared(bool withPath = true)
    {
        if (withPath)
        {
            Command.Add(Folder);
        }
        Command.Add(Stage);
        Command.Add(Region);
        Command.Add(Profile);
        Command.Add(Stdin);
        Command.Add(Raw);
    }

    /// <summary>The command's work: parse what the options say, call one operation, return the exit code.</summary>
    protected abstract int Act(ParseResult result, ConsoleIo io);

    /// <summary>
    /// Gives the command its action, with writers that escape what AWS and containers said
    /// (<see cref="EscapingWriter"/>) unless <c>--raw</c>. Always, not only on a terminal: CI
    /// log viewers obey escape sequences too, and whoever wants the bytes asks for them.
    /// </summary>
    public void Attach(ConsoleIo io) => Command.SetAction(result => Act(result, Writers(io, result)));

    /// <summary><paramref name="io"/> with writers that escape control characters, unless <c>--raw</c>.</summary>
    protected ConsoleIo Writers(ConsoleIo io, ParseResult result) => result.GetValue(Raw)
        ? io
        : io with { Out = new EscapingWriter(io.Out), Error = new EscapingWriter(io.Error) };

    /// <summary>The configuration's model, validated; its errors are printed and end the command (exit 1).</summary>
    public ServiceModel Model(ConsoleIo io, ParseResult result)
    {
        var options = io.Options(result.GetValue(Stage), result.GetValue(Region));
        EngineResult outcome;
        string display;
        if (result.GetValue(Stdin))
        {
            try
            {
                outcome = Engine.CompileResolved(PluginExchange.ReadRequest(io.Input.ReadToEnd(), options));
            }
            catch (PluginExchange.ContractException ex)
            {
                throw new UsageException($"--stdin: {ex.Message}");
            }
            display = "the configuration";
        }
        else
        {
            var config = ConfigLocator.Locate(result.GetValue(Folder), io.Environment.WorkingDirectory);
            outcome = Engine.Validate(config, options);
            display = options.DisplayPath(config);
        }
        if (!outcome.Succeeded || outcome.Model is null)
        {
            io.Error.Write(DiagnosticFormatter.Text(outcome.Diagnostics.Where(d => d.IsError)));
            throw new ConfigurationInvalidException(ValidateCommand.Summary(display, outcome));
        }
        return outcome.Model;
    }

    /// <summary>
    /// The session in the model's region (the one the template was made for, see
    /// FrameworkRegion), at the pace the environment sets for waits (tests shorten it).
    /// </summary>
    public AwsSession Session(ConsoleIo io, ParseResult result, ServiceModel model)
    {
        var session = new AwsSession(new AwsSettings(model.Region, result.GetValue(Profile), io.Environment.GetVariable)
        {
            Handler = io.Environment.AwsHandler,
            PollInterval = io.Environment.PollInterval,
        });
        if (session.IgnoredEnvironmentRegion() is { } ignored)
        {
            io.Error.WriteLine($"Note: the stack's region is {model.Region} (--region, then provider.region, then us-east-1, as the Serverless Framework decides); " +
                $"the environment's {ignored} is not used");
        }
        return session;
    }

    /// <summary>Opens a session, reads the deployed stack, and runs <paramref name="operation"/> on it (Ctrl-C as below).</summary>
    public int OnDeployedStack(ConsoleIo io, ParseResult result, ServiceModel model,
        Func<AwsSession, Aws.Operations.DeployedService, CancellationToken, Task<int>> operation)
    {
        using var session = Session(io, result, model);
        return WithInterrupt(io, async interrupt =>
        {
            var deployed = await Aws.Operations.DeployedService.LoadAsync(session, model, interrupt).ConfigureAwait(false);
            return await operation(session, deployed, interrupt).ConfigureAwait(false);
        });
    }

    /// <summary>
    /// Runs <paramref name="body"/> with a token Ctrl-C cancels. The first Ctrl-C cancels every AWS
    /// call and wait at once, and the command says what AWS goes on doing (exit 130); it is not
    /// killed, so it can tidy up (stop the task with --stop-on-interrupt) within a few seconds. A
    /// second Ctrl-C is not caught: the process ends at once, as the user asked twice.
    /// </summary>
    public static int WithInterrupt(ConsoleIo io, Func<CancellationToken, Task<int>> body)
    {
        using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(io.Environment.Interrupt);
        void OnCancel(object? sender, ConsoleCancelEventArgs e)
        {
            e.Cancel = !interrupt.IsCancellationRequested;
            interrupt.Cancel();
        }
        Console.CancelKeyPress += OnCancel;
        try
        {
            return body(interrupt.Token).GetAwaiter().GetResult();
        }
        catch (Aws.Operations.OperationInterruptedException ex)
        {
            io.Error.WriteLine($"sls-fargate: {ex.Message}");
            return ExitCodes.Interrupted;
        }
        catch (OperationCanceledException) when (interrupt.IsCancellationRequested)
        {
            // Commands that change AWS say themselves what goes on; here a read or a wait was cut short.
            io.Error.WriteLine("sls-fargate: interrupted");
            return ExitCodes.Interrupted;
        }
        finally
        {
            Console.CancelKeyPress -= OnCancel;
        }
    }
}

/// <summary>
/// The commands that call AWS, in one place for both builds. The native <c>sls-fargate</c> is
/// built with <see cref="AwsHandOff.InProcess"/> a constant false: the compiler then drops the
/// branch that attaches the actions, and with it every path to the AWS code (the SDK, the
/// clients), which sls-fargate-aws holds instead. That is why this one test stands here, before
/// any action is referenced, and nowhere else.
/// </summary>
internal static class AwsCommands
{
    public static IEnumerable<Command> Create(ConsoleIo io)
    {
        AwsCommand[] commands = [new RunCommand(), new LogsCommand(), new StatusCommand(), new ExecCommand(), new DeployCommand(), new RemoveCommand(), new PlanCommand(), new CostCommand()];
        if (!AwsHandOff.InProcess)
        {
            // cost estimates without AWS: only its --measured goes over.
            return commands.Select(c => c is CostCommand cost ? cost.EstimateHereOrHandOver(io) : AwsHandOff.Delegate(c.Command, io));
        }
        foreach (var command in commands)
        {
            command.Attach(io);
        }
        return commands.Select(c => c.Command);
    }
}

/// <summary>The configuration has errors (already printed): exit 1.</summary>
internal sealed class ConfigurationInvalidException(string message) : Exception(message);
