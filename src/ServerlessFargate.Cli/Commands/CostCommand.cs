using System.CommandLine;
using ServerlessFargate.Cost;
using ServerlessFargate.Diagnostics;
using ServerlessFargate.Model;

namespace ServerlessFargate.Cli.Commands;

/// <summary>
/// <c>cost</c>: an engine command with one option that calls AWS. The estimate needs nothing but
/// the configuration, so it runs where <c>validate</c> runs, in the small native
/// <c>sls-fargate</c> too, without an account or a deployed stack; <c>--measured</c> reads the
/// deployed stack's past runs, and so runs where the AWS code is (<see cref="AwsCommands"/>
/// attaches <see cref="Act"/> only there, and hands <c>--measured</c> over from the native build).
/// It is an <see cref="AwsCommand"/> for that option: the same shared options (profile, stdin
/// for the plugin) and one place where both builds declare it.
/// </summary>
internal sealed class CostCommand : AwsCommand
{
    public const string Name = "cost";

    private readonly Option<string> _format = new("--format") { Description = "text (a table, its total and the assumptions) or json.", DefaultValueFactory = _ => "text" };

    private readonly Option<string[]> _duration = new("--duration")
    {
        Description = "TASK=D: how long one run of a scheduled task takes (90s, 30m, 1h30m); repeat for more tasks. Wins over estimatedDuration and --measured.",
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<bool> Measured { get; } = new("--measured")
    {
        Description = "Take scheduled tasks' durations from their last runs in the deployed stack (ECS's stopped tasks, then their log streams); needs AWS credentials.",
    };

    public CostCommand()
        : base(Name, "Estimate what the tasks cost a month: each task at its size, architecture, Spot share, storage and public address, the load balancer, with every assumption stated.")
    {
        _format.AcceptOnlyFromAmong("text", "json");
        AddShared();
        Command.Add(_format);
        Command.Add(_duration);
        Command.Add(Measured);
    }

    /// <summary>In the native build: the estimate here, <c>--measured</c> handed to sls-fargate-aws.</summary>
    public Command EstimateHereOrHandOver(ConsoleIo io)
    {
        Command.SetAction(result => result.GetValue(Measured)
            ? AwsHandOff.HandOver(Name, io)
            : Estimate(result, Writers(io, result), null, new Dictionary<string, MeasuredRuns>()));
        return Command;
    }

    protected override int Act(ParseResult result, ConsoleIo io)
    {
        if (!result.GetValue(Measured))
        {
            return Estimate(result, io, null, new Dictionary<string, MeasuredRuns>());
        }
        // The durations given are checked before AWS is asked anything.
        var model = Model(io, result);
        Durations(result, model);
        var scheduled = model.Tasks.Where(t => t.Kind is not TaskKind.Service).ToList();
        return OnDeployedStack(io, result, model, async (session, deployed, interrupt) =>
        {
            var measured = await new Aws.Operations.RunDurations(session, deployed).MeasureAsync(scheduled, interrupt).ConfigureAwait(false);
            return Estimate(result, io, model, measured);
        });
    }

    /// <summary>The estimate, printed. Reads nothing but the configuration and <paramref name="measured"/>.</summary>
    private int Estimate(ParseResult result, ConsoleIo io, ServiceModel? model, IReadOnlyDictionary<string, MeasuredRuns> measured)
    {
        model ??= Model(io, result);
        var inputs = new CostInputs(Durations(result, model), measured, DateTimeOffset.UtcNow);
        var estimate = CostEstimator.Estimate(model, inputs);
        io.Out.Write(result.GetValue(_format) == "json" ? CostReport.Json(estimate) : CostReport.Text(model.StackName, estimate));
        return ExitCodes.Ok;
    }

    /// <summary><c>--duration TASK=D</c>, by task key; a task or duration that is not one is a usage mistake.</summary>
    private Dictionary<string, TimeSpan> Durations(ParseResult result, ServiceModel model)
    {
        var durations = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        foreach (var given in result.GetValue(_duration) ?? [])
        {
            var split = given.IndexOf('=', StringComparison.Ordinal);
            if (split <= 0)
            {
                throw new UsageException($"--duration `{given}`: write TASK=DURATION, e.g. --duration nightly=30m");
            }
            var name = given[..split];
            var task = model.Tasks.FirstOrDefault(t => t.Key == name) ?? model.Tasks.FirstOrDefault(t => t.Name.Value == name);
            if (task is null)
            {
                var keys = model.Tasks.Select(t => t.Key).ToList();
                var hint = DidYouMean.Closest(name, keys) is { } close ? $"; did you mean `{close}`?" : $"; the tasks are {string.Join(", ", keys)}";
                throw new UsageException($"--duration: there is no task `{name}` in the configuration{hint}");
            }
            durations[task.Key] = DurationText.Parse(given[(split + 1)..], out var problem) ?? throw new UsageException($"--duration {name}: {problem}");
        }
        return durations;
    }
}
