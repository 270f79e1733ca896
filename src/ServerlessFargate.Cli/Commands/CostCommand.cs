using System.Globalization;
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

    private readonly Option<string[]> _runs = new("--runs")
    {
        Description = "TASK=N: how many runs a month a task's events start (a number of events only you know); repeat for more tasks.",
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
        Command.Add(_runs);
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
        EventRuns(result, model);
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
        var inputs = new CostInputs(Durations(result, model), measured, DateTimeOffset.UtcNow) { EventRuns = EventRuns(result, model) };
        var estimate = CostEstimator.Estimate(model, inputs);
        io.Out.Write(result.GetValue(_format) == "json" ? CostReport.Json(estimate) : CostReport.Text(model.StackName, estimate));
        return ExitCodes.Ok;
    }

    /// <summary><c>--duration TASK=D</c>, by task key; a task or duration that is not one is a usage mistake.</summary>
    private Dictionary<string, TimeSpan> Durations(ParseResult result, ServiceModel model) =>
        PerTask(result, _duration, model, "DURATION", "nightly=30m", (task, text) =>
            DurationText.Parse(text, out var problem) ?? throw new UsageException($"--duration {task.Key}: {problem}"));

    /// <summary><c>--runs TASK=N</c>, by task key: only a task that events start takes one.</summary>
    private Dictionary<string, double> EventRuns(ParseResult result, ServiceModel model) =>
        PerTask(result, _runs, model, "RUNS", "transcode=500", (task, text) =>
        {
            if (task.Events.Count == 0)
            {
                throw new UsageException($"--runs {task.Key}: the task has no `events`, so nothing but its schedule or `sls-fargate run` starts it");
            }
            // At most a run a second all month: beyond that the estimate is no longer of a task started by events.
            return double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var runs) && runs <= 2_628_000
                ? runs
                : throw new UsageException($"--runs {task.Key}: `{Shorten(text)}` is not a number of runs a month from 0 to 2628000 (one a second), e.g. --runs {task.Key}=500");
        });

    /// <summary>Options written TASK=VALUE, by task key (or the task's name); a task that is not one is a usage mistake.</summary>
    private static Dictionary<string, T> PerTask<T>(ParseResult result, Option<string[]> option, ServiceModel model, string what, string example,
        Func<TaskModel, string, T> read)
    {
        var values = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var given in result.GetValue(option) ?? [])
        {
            var split = given.IndexOf('=', StringComparison.Ordinal);
            if (split <= 0)
            {
                throw new UsageException($"{option.Name} `{Shorten(given)}`: write TASK={what}, e.g. {option.Name} {example}");
            }
            var name = given[..split];
            var task = model.Tasks.FirstOrDefault(t => t.Key == name) ?? model.Tasks.FirstOrDefault(t => t.Name.Value == name);
            if (task is null)
            {
                var keys = model.Tasks.Select(t => t.Key).ToList();
                var hint = DidYouMean.Closest(name, keys) is { } close ? $"; did you mean `{close}`?" : $"; the tasks are {string.Join(", ", keys)}";
                throw new UsageException($"{option.Name}: there is no task `{Shorten(name)}` in the configuration{hint}");
            }
            values[task.Key] = read(task, given[(split + 1)..]);
        }
        return values;
    }

    /// <summary>What the user typed, cut short: a usage message quotes it, not a page of it.</summary>
    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
