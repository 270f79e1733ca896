using System.Globalization;
using ServerlessFargate.Compilation;
using ServerlessFargate.Model;

namespace ServerlessFargate.Cost;

/// <summary>
/// Prices what the template makes, from the model: each task at its size, architecture,
/// capacity (on demand or Spot), storage and public address, for as long as its kind says it
/// runs; and the load balancer. Nothing here calls AWS: measured durations come in
/// <see cref="CostInputs"/>.
/// </summary>
public static class CostEstimator
{
    /// <summary>AWS prices by a month of 730 hours (<see cref="Schedule.PricingMonth"/>).</summary>
    public static readonly decimal HoursAMonth = (decimal)Schedule.PricingMonth.TotalHours;

    /// <summary>The load balancer's capacity units are traffic's to decide: the estimate assumes this many on average, and says so.</summary>
    public const int AssumedLcus = 1;

    /// <summary>Years a cron's runs are counted over: four hold one 29 February, so the count does not depend on the year.</summary>
    private const int CronYears = 4;

    public static CostEstimate Estimate(ServiceModel model, CostInputs inputs) =>
        PriceList.For(model.Region) is { } prices
            ? Estimate(model, prices, inputs)
            : new CostEstimate(model.Region, "USD", null, null,
                [new CostItem($"no price data for {model.Region}", null, null, null,
                    [$"sls-fargate has prices for {string.Join(", ", PriceList.Regions)}; it never uses one region's prices for another"])],
                NotIncluded(model));

    public static CostEstimate Estimate(ServiceModel model, PriceList prices, CostInputs inputs)
    {
        var items = model.Tasks.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => TaskItem(t, prices, inputs)).ToList();
        if (LoadBalancerItem(model, prices) is { } balancer)
        {
            items.Add(balancer);
        }
        var total = items.Where(i => i.Monthly is not null).Sum(i => i.Monthly!.Value);
        return new CostEstimate(model.Region, prices.Currency, prices.PricesAsOf, total, items, NotIncluded(model));
    }

    /// <summary>
    /// How a kind of task runs, which is all its cost depends on besides its size. A new kind of
    /// task is priced by adding its case to <see cref="UsageOf"/>: a kind this does not know is
    /// priced as unknown, never as free.
    /// </summary>
    internal abstract record Usage
    {
        /// <summary>A service: <paramref name="Tasks"/> around the clock, up to <paramref name="MaxTasks"/> with autoscaling.</summary>
        public sealed record Continuous(int Tasks, int? MaxTasks, string Why) : Usage;

        /// <summary>Runs a month from schedules (or any other count), each as long as the task's duration.</summary>
        public sealed record Runs(IReadOnlyList<RunCount> Counts) : Usage;

        /// <summary>Runs only when someone starts it: no count to go by.</summary>
        public sealed record WhenStarted(string Why) : Usage;
    }

    /// <summary>One source of runs: how many a month (null: none that recur), and what it is, in words.</summary>
    internal sealed record RunCount(double? PerMonth, string Description);

    internal static Usage UsageOf(TaskModel task, CostInputs inputs) => task.Kind switch
    {
        TaskKind.Service { Autoscaling: { } scaling } => new Usage.Continuous(
            Math.Clamp(1, scaling.Min.Value, Math.Max(scaling.Min.Value, scaling.Max.Value)), scaling.Max.Value,
            $"autoscaling between {scaling.Min.Value} and {scaling.Max.Value} tasks; ECS starts the service with one task, brought within that range"),
        TaskKind.Service service => new Usage.Continuous(service.DesiredCount.Value, null, "desiredCount"),
        TaskKind.Scheduled scheduled => new Usage.Runs([Count(scheduled.Schedule, true, inputs.Now), .. EventRuns(task, inputs)]),
        TaskKind.Schedules many => new Usage.Runs([.. many.Entries.Select(e => Count(e.Schedule, e.Enabled, inputs.Now)), .. EventRuns(task, inputs)]),
        TaskKind.Standalone => new Usage.WhenStarted("service: false: it runs only when started (sls-fargate run, or your own RunTask)"),
        TaskKind.Triggered when inputs.EventRuns.ContainsKey(task.Key) => new Usage.Runs([.. EventRuns(task, inputs)]),
        TaskKind.Triggered => new Usage.WhenStarted($"started by its {Events(task)}: how many arrive a month is not in the configuration; give `--runs {task.Key}=N`"),
        _ => new Usage.WhenStarted("sls-fargate cannot yet count this kind of task's runs"),
    };

    /// <summary>
    /// The runs a task's events start: as many as <c>--runs</c> says, or, beside a schedule,
    /// none counted and said so (their number depends on traffic, never on the configuration).
    /// </summary>
    private static IEnumerable<RunCount> EventRuns(TaskModel task, CostInputs inputs)
    {
        if (task.Events.Count == 0)
        {
            return [];
        }
        return inputs.EventRuns.TryGetValue(task.Key, out var runs)
            ? [new RunCount(runs, $"its {Events(task)}: {Runs(runs)} a month (--runs)")]
            : [new RunCount(0, $"runs its {Events(task)} start are not counted: how many arrive a month is not in the configuration; give `--runs {task.Key}=N`")];
    }

    private static string Events(TaskModel task) => task.Events.Count == 1 ? "event rule" : $"{task.Events.Count} event rules";

    /// <summary>
    /// A schedule's runs a month. A rate runs by the clock: its count in 730 hours. A cron runs
    /// by the calendar: the mean of its runs in the 48 calendar months from January of
    /// <paramref name="now"/>'s year (four years, one of them a leap year), in its time zone, so a
    /// daily cron is 30.44 (1,461 runs) and a monthly one exactly 1, whatever the date. An
    /// <c>at()</c> runs once and is no monthly cost.
    /// </summary>
    internal static RunCount Count(Schedule schedule, bool enabled, DateTimeOffset now)
    {
        var expression = schedule.Expression.Value + (schedule.TimeZone is { } zone ? $" ({zone.Value})" : "");
        if (!enabled)
        {
            return new RunCount(0, $"{expression} is disabled: no runs");
        }
        switch (schedule.Form)
        {
            case ScheduleForm.Rate:
                var rate = schedule.RunsPerMonth(now.Year, now.Month);
                return new RunCount(rate, $"{expression}: {Runs(rate)} a month");
            case ScheduleForm.Cron:
                var first = new DateTime(now.Year, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);
                var months = Enumerable.Range(0, CronYears * 12).Select(first.AddMonths).ToList();
                var runs = months.Sum(m => schedule.RunsPerMonth(m.Year, m.Month));
                var perMonth = runs / months.Count;
                return new RunCount(perMonth, $"{expression}: {Runs(perMonth)} a month (the mean of {CronYears * 12} calendar months, in its time zone)");
            case ScheduleForm.At at:
                return new RunCount(null, $"{expression} runs once, not every month");
            default:
                return new RunCount(0, $"{expression} is not a valid expression: no runs");
        }
    }

    private static string Runs(double perMonth) => perMonth.ToString("0.##", CultureInfo.InvariantCulture) + (perMonth == 1 ? " run" : " runs");

    private static CostItem TaskItem(TaskModel task, PriceList prices, CostInputs inputs)
    {
        var assumptions = new List<string> { Size(task, prices) };
        var onDemand = TaskHour(task, prices, spot: false);
        var spotHour = TaskHour(task, prices, spot: true);
        if (task.Network.AssignPublicIp)
        {
            assumptions.Add(task.Network.Generated
                ? "a public IPv4 address per running task (the generated network gives each task one, to reach the internet without a NAT gateway)"
                : "a public IPv4 address per running task (vpc.assignPublicIp)");
        }
        if (ExtraStorage(task, prices) is > 0 and var extra)
        {
            assumptions.Add($"ephemeralStorage {task.Runtime.EphemeralStorage} GB: {extra} GB above the {prices.IncludedEphemeralStorageGb} GB Fargate includes");
        }

        switch (UsageOf(task, inputs))
        {
            case Usage.Continuous continuous:
                var (hourly, spotNote) = Mix(task.Spot, continuous.Tasks, onDemand, spotHour, prices);
                assumptions.Insert(0, $"{Tasks(continuous.Tasks)} around the clock ({continuous.Why})");
                AddSpot(assumptions, spotNote);
                decimal? max = null;
                if (continuous.MaxTasks is { } maxTasks)
                {
                    max = Mix(task.Spot, maxTasks, onDemand, spotHour, prices).Hourly is { } top ? Month(top) : null;
                    assumptions.Add($"at the maximum of {Tasks(maxTasks)}: {Dollars(max)} a month");
                }
                if (task.Spot?.Fallback is not null && task.Spot.UsesSpot)
                {
                    var twin = Mix(null, continuous.Tasks, onDemand, spotHour, prices).Hourly;
                    assumptions.Add($"spot.fallback: the on-demand twin runs only while Fargate Spot has no capacity, so it is counted as 0; while it runs it adds {Dollars(twin, 4)} an hour");
                }
                return Item(task.Key, hourly, max, assumptions, onDemand, spotHour);

            case Usage.Runs runs:
                var (runHour, runSpot) = Mix(task.Spot, 1, onDemand, spotHour, prices);
                AddSpot(assumptions, runSpot);
                assumptions.InsertRange(0, runs.Counts.Select(c => c.Description));
                var perMonth = runs.Counts.Sum(c => c.PerMonth ?? 0);
                if (Duration(task, inputs) is not { } duration)
                {
                    assumptions.Insert(0, $"duration unknown: left out of the total; give `--duration {task.Key}=30m`, `estimatedDuration` on the task, or `--measured` once it has run");
                    return Fail(task.Key, runHour, assumptions, onDemand, spotHour);
                }
                var billed = Billed(duration.Value, prices);
                assumptions.Insert(runs.Counts.Count, $"each run {DurationText.Format(duration.Value)} ({duration.Source})" +
                    (billed > duration.Value ? $", billed as {DurationText.Format(billed)}, Fargate's minimum" : ""));
                var monthly = runHour is { } h ? h * (decimal)billed.TotalHours * (decimal)perMonth : (decimal?)null;
                if (runs.Counts.Any(c => c.PerMonth is null) && runHour is { } once)
                {
                    assumptions.Add($"a one-time run costs {Dollars(once * (decimal)billed.TotalHours, 4)}");
                }
                return monthly is null ? Fail(task.Key, runHour, assumptions, onDemand, spotHour) : new CostItem(task.Key, Money(monthly.Value), null, Round(runHour), assumptions);

            case Usage.WhenStarted started:
                var (startedHour, startedSpot) = Mix(task.Spot, 1, onDemand, spotHour, prices);
                AddSpot(assumptions, startedSpot);
                assumptions.Insert(0, $"{started.Why}: left out of the total");
                if (Duration(task, inputs) is { } run && startedHour is { } rate)
                {
                    assumptions.Insert(1, $"a run of {DurationText.Format(run.Value)} ({run.Source}) costs {Dollars(rate * (decimal)Billed(run.Value, prices).TotalHours, 4)}");
                }
                return Fail(task.Key, startedHour, assumptions, onDemand, spotHour);

            default:
                throw new InvalidOperationException("a usage without a price");
        }
    }

    /// <summary>An item priced by the hour; a missing rate makes it unknown, saying which.</summary>
    private static CostItem Item(string name, decimal? hourly, decimal? max, List<string> assumptions, Priced onDemand, Priced spot) =>
        hourly is { } value
            ? new CostItem(name, Month(value), max, Round(value), assumptions)
            : Fail(name, null, assumptions, onDemand, spot);

    private static CostItem Fail(string name, decimal? hourly, List<string> assumptions, Priced onDemand, Priced spot)
    {
        foreach (var missing in new[] { onDemand.Missing, spot.Missing }.OfType<string>().Distinct())
        {
            assumptions.Insert(0, $"{missing}: left out of the total");
        }
        return new CostItem(name, null, null, Round(hourly), assumptions);
    }

    private static void AddSpot(List<string> assumptions, string? note)
    {
        if (note is not null)
        {
            assumptions.Add(note);
        }
    }

    /// <summary>One task's price an hour, or what is missing to work it out.</summary>
    internal sealed record Priced(decimal? Hourly, string? Missing);

    /// <summary>
    /// One running task an hour: vCPU and memory at its architecture's rates (less the Spot
    /// discount on FARGATE_SPOT), storage above what Fargate includes, and its public address.
    /// </summary>
    internal static Priced TaskHour(TaskModel task, PriceList prices, bool spot)
    {
        var arm = task.Architecture?.Value == "ARM64";
        var (vcpuRate, gbRate) = arm ? (Rate.ArmVcpuHour, Rate.ArmGbHour) : (Rate.X86VcpuHour, Rate.X86GbHour);
        var architecture = arm ? "ARM64" : "X86_64";
        if (prices.Get(vcpuRate) is not { } vcpuPrice || prices.Get(gbRate) is not { } gbPrice)
        {
            return new Priced(null, $"no {architecture} Fargate price data for {prices.Region}");
        }
        if (task.MemoryMiB is not { } mib)
        {
            return new Priced(null, $"memory {task.Memory.Value} is not a size Fargate takes");
        }
        var compute = task.Cpu.Value / 1024m * vcpuPrice + mib / 1024m * gbPrice;
        if (spot)
        {
            if (prices.Spot is not { } discount)
            {
                return new Priced(null, $"no Fargate Spot price data for {prices.Region}");
            }
            compute *= 1 - discount.Fraction;
        }
        var hourly = compute;
        if (ExtraStorage(task, prices) is > 0 and var extra)
        {
            if (prices.Get(Rate.EphemeralStorageGbHour) is not { } storage)
            {
                return new Priced(null, $"no ephemeral storage price data for {prices.Region}");
            }
            hourly += extra * storage;
        }
        if (task.Network.AssignPublicIp)
        {
            if (prices.Get(Rate.PublicIpv4Hour) is not { } address)
            {
                return new Priced(null, $"no public IPv4 price data for {prices.Region}");
            }
            hourly += address;
        }
        return new Priced(hourly, null);
    }

    /// <summary>
    /// <paramref name="tasks"/> tasks split as ECS places them by the strategy: the base on
    /// FARGATE, the rest in the ratio of the weights (as a share, for an estimate); their price an
    /// hour, and a note on the Spot share.
    /// </summary>
    internal static (decimal? Hourly, string? SpotNote) Mix(SpotStrategy? strategy, int tasks, Priced onDemand, Priced spot, PriceList prices)
    {
        var (onDemandTasks, spotTasks) = Split(strategy, tasks);
        decimal? hourly = 0m;
        if (onDemandTasks > 0)
        {
            hourly = onDemand.Hourly is { } price ? hourly + onDemandTasks * price : null;
        }
        if (spotTasks > 0)
        {
            hourly = spot.Hourly is { } price && hourly is { } sum ? sum + spotTasks * price : null;
        }
        if (spotTasks == 0 || prices.Spot is not { } discount)
        {
            return (hourly, null);
        }
        var share = spotTasks == tasks ? "on FARGATE_SPOT" : $"{Share(spotTasks)} of {Tasks(tasks)} on FARGATE_SPOT";
        return (hourly, $"{share}, at AWS's stated discount of up to {discount.Fraction * 100:0.#}% (the stated best case; Spot prices change with supply and demand, so this is an estimate: {discount.Page}, seen {discount.Seen:yyyy-MM-dd})");
    }

    /// <summary>
    /// What tasks running now cost an hour, at the configuration's size: <paramref name="onDemandTasks"/>
    /// on FARGATE and <paramref name="spotTasks"/> on FARGATE_SPOT (<c>status</c>); null with what
    /// is missing when a rate is.
    /// </summary>
    public static (decimal? Hourly, string? Missing) RunningHourly(TaskModel task, PriceList prices, decimal onDemandTasks, decimal spotTasks)
    {
        var onDemand = onDemandTasks > 0 ? TaskHour(task, prices, spot: false) : new Priced(0, null);
        var spot = spotTasks > 0 ? TaskHour(task, prices, spot: true) : new Priced(0, null);
        return onDemand.Hourly is { } a && spot.Hourly is { } b
            ? (Round(onDemandTasks * a + spotTasks * b), null)
            : (null, onDemand.Missing ?? spot.Missing);
    }

    public static (decimal OnDemand, decimal Spot) Split(SpotStrategy? strategy, int tasks)
    {
        if (strategy is not { UsesSpot: true })
        {
            return (tasks, 0);
        }
        var baseTasks = Math.Min(tasks, strategy.OnDemandBase);
        var rest = tasks - baseTasks;
        var spot = rest * (decimal)strategy.SpotWeight / (strategy.OnDemandWeight + strategy.SpotWeight);
        return (tasks - spot, spot);
    }

    private static int ExtraStorage(TaskModel task, PriceList prices) =>
        Math.Max(0, (task.Runtime.EphemeralStorage ?? 0) - prices.IncludedEphemeralStorageGb);

    /// <summary>The duration of one run and where it came from: <c>--duration</c>, then measured runs, then <c>estimatedDuration</c>.</summary>
    private static (TimeSpan Value, string Source)? Duration(TaskModel task, CostInputs inputs) =>
        inputs.Durations.TryGetValue(task.Key, out var given) ? (given, "--duration")
        : inputs.Measured.TryGetValue(task.Key, out var measured) && measured.Runs > 0 ? (measured.Mean, $"the mean of {Plural(measured.Runs, "measured run")}: {measured.How}")
        : task.EstimatedRun is { } estimated ? (estimated, "estimatedDuration")
        : null;

    /// <summary>Fargate bills a run per second, with a minimum.</summary>
    private static TimeSpan Billed(TimeSpan duration, PriceList prices) =>
        TimeSpan.FromSeconds(Math.Max(Math.Ceiling(duration.TotalSeconds), prices.MinimumBilledSeconds));

    private static CostItem? LoadBalancerItem(ServiceModel model, PriceList prices)
    {
        var tasks = LoadBalancerCompiler.HttpTasks(model);
        if (tasks.Count == 0)
        {
            return null;
        }
        var settings = model.LoadBalancer;
        // Subnets given as one function (!Split …) are not counted here: an ALB spans at least two.
        var known = tasks.Exists(t => t.Network.Generated) ? 2 : settings.PublicSubnetIds.KnownCount;
        var subnets = known ?? 2;
        var addresses = settings.Public ? subnets : 0;
        var assumptions = new List<string>
        {
            $"one Application Load Balancer for {string.Join(", ", tasks.Select(t => t.Key))}, around the clock",
            $"an average of {AssumedLcus} LCU: LCUs depend on traffic (new and active connections, bytes, rule evaluations)" +
                (prices.Get(Rate.LoadBalancerLcuHour) is { } lcu ? $"; each further LCU adds {Dollars(Month(lcu))} a month" : ""),
        };
        if (addresses > 0)
        {
            assumptions.Add($"internet-facing: a public IPv4 address in each of its {subnets}{(known is null ? " or more" : "")} subnets (ELB may add more as it scales)");
        }
        if (prices.Get(Rate.LoadBalancerHour) is not { } hour || prices.Get(Rate.LoadBalancerLcuHour) is not { } lcuHour)
        {
            assumptions.Insert(0, $"no Application Load Balancer price data for {prices.Region}: left out of the total");
            return new CostItem("loadBalancer", null, null, null, assumptions);
        }
        var hourly = hour + AssumedLcus * lcuHour;
        if (addresses > 0)
        {
            if (prices.Get(Rate.PublicIpv4Hour) is not { } address)
            {
                assumptions.Insert(0, $"no public IPv4 price data for {prices.Region}: left out of the total");
                return new CostItem("loadBalancer", null, null, null, assumptions);
            }
            hourly += addresses * address;
        }
        return new CostItem("loadBalancer", Month(hourly), null, Round(hourly), assumptions);
    }

    /// <summary>What the estimate leaves out, always, and for this configuration.</summary>
    private static List<string> NotIncluded(ServiceModel model)
    {
        var list = new List<string>
        {
            "CloudWatch Logs: ingestion and storage of the tasks' log lines",
            "data transfer: out to the internet, and between availability zones",
            "ECR: storage of the tasks' images",
            "EventBridge and EventBridge Scheduler invocations that start tasks, and events put on a bus",
        };
        if (model.Tasks.Any(t => !t.Network.Generated && !t.Network.SubnetIds.IsEmpty))
        {
            list.Add("NAT gateways and VPC endpoints of the VPC you bring");
        }
        if (model.Cluster.ContainerInsights == true)
        {
            list.Add("Container Insights metrics (containerInsights: true)");
        }
        if (model.Tasks.Any(t => t.Alerts is { Any: true }))
        {
            list.Add("SNS notifications the alerts send");
        }
        if (model.Tasks.Any(t => t.Spot?.Fallback is not null))
        {
            list.Add("Step Functions state transitions of the Spot fallback");
        }
        if (model.Tasks.Any(t => t.HasEventStateMachine))
        {
            list.Add("Step Functions state transitions of the state machines that pass the whole event (about 4 a run)");
        }
        list.Add("Savings Plans, credits and the free tier");
        return list;
    }

    private static string Size(TaskModel task, PriceList prices)
    {
        var architecture = task.Architecture?.Value ?? "X86_64 (no architecture given: ECS's default)";
        var memory = task.MemoryMiB is { } mib ? (mib / 1024m).ToString("0.###", CultureInfo.InvariantCulture) + " GB" : task.Memory.Value;
        return $"{(task.Cpu.Value / 1024m).ToString("0.###", CultureInfo.InvariantCulture)} vCPU, {memory}, Linux/{architecture}, {prices.Region} prices";
    }

    private static string Tasks(int count) => Plural(count, "task");

    private static string Share(decimal count) => count.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Plural(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";

    private static decimal Month(decimal hourly) => Money(hourly * HoursAMonth);

    private static decimal Money(decimal value) => Math.Round(value, 2, MidpointRounding.AwayFromZero);

    private static decimal? Round(decimal? hourly) => hourly is { } value ? Math.Round(value, 6, MidpointRounding.AwayFromZero) : null;

    /// <summary><c>$12.34</c>, or <c>unknown</c>.</summary>
    public static string Dollars(decimal? value, int decimals = 2) =>
        value is { } v ? "$" + v.ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : "unknown";
}
