using System.CommandLine;
using ServerlessFargate.Aws;
using ServerlessFargate.Diagnostics;
using ServerlessFargate.Integration;
using ServerlessFargate.Model;

namespace ServerlessFargate.Cli.Commands;

/// <summary>
/// What the commands that talk to AWS share: the configuration (read from the folder, or as the
/// framework resolved it on stdin), the session (region, profile, credentials) and Ctrl-C.
/// </summary>
internal sealed class AwsCommand
{
    public Argument<string?> Path { get; } = CommonOptions.Path();
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

    /// <summary>Adds the shared arguments and options to <paramref name="command"/>.</summary>
    public Command Add(Command command, bool withPath = true)
    {
        if (withPath)
        {
            command.Add(Path);
        }
        command.Add(Stage);
        command.Add(Region);
        command.Add(Profile);
        command.Add(Stdin);
        command.Add(Raw);
        return command;
    }

    /// <summary>
    /// Sets the command's action, giving it writers that escape what AWS and containers said
    /// (<see cref="EscapingWriter"/>) unless <c>--raw</c>. Always, not only on a terminal: CI
    /// log viewers obey escape sequences too, and whoever wants the bytes asks for them.
    /// Call it where the command tests <see cref="AwsHandOff.InProcess"/>, as SetAction.
    /// </summary>
    public void SetAction(Command command, ConsoleIo io, Func<ParseResult, ConsoleIo, int> action) =>
        command.SetAction(result => action(result, result.GetValue(Raw)
            ? io
            : io with { Out = new EscapingWriter(io.Out), Error = new EscapingWriter(io.Error) }));

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
            var config = ConfigLocator.Locate(result.GetValue(Path), io.Environment.WorkingDirectory);
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

    /// <summary>The session in the model's region: the one the template was made for (see FrameworkRegion).</summary>
    public AwsSession Session(ConsoleIo io, ParseResult result, ServiceModel model)
    {
        var session = new AwsSession(new AwsSettings(model.Region, result.GetValue(Profile), io.Environment.GetVariable)
        {
            Handler = io.Environment.AwsHandler,
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

/// <summary>The configuration has errors (already printed): exit 1.</summary>
internal sealed class ConfigurationInvalidException(string message) : Exception(message);
