using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using ServerlessFargate.Model;
using ServerlessFargate.Aws.Clients;
using ServerlessFargate.Cost;

namespace ServerlessFargate.Aws.Operations;

/// <summary>One task's state: what the configuration says it is and what ECS and EventBridge report.</summary>
public sealed record TaskStatus(string Task, string Kind, string Capacity, long? Desired, long Running, long Pending, string? Deployment,
    IReadOnlyList<ScheduleStatus> Schedules, string? LastRun, IReadOnlyList<string> Failures)
{
    /// <summary>
    /// The last stopped task that failed (as the failure alert counts one), among those ECS still
    /// lists, or the task's state machine's last execution that did not start it, whichever is
    /// newer; null: none.
    /// </summary>
    public string? LastFailure { get; init; }

    /// <summary>Where the task's alerts go and on what, from the configuration; null: no alerts.</summary>
    public string? Alerts { get; init; }

    /// <summary>What the row's running tasks cost an hour (null: none run, or a rate is missing: <see cref="CostMissing"/>).</summary>
    public decimal? RunningHourly { get; init; }

    public string? CostMissing { get; init; }
}

/// <summary>What runs now costs: the rows' sum an hour, at the configuration's sizes and the region's prices (null: none for the region).</summary>
public sealed record RunningCost(decimal Hourly, PriceList? Prices, IReadOnlyList<string> Missing)
{
    public static RunningCost Of(string region, IReadOnlyList<TaskStatus> rows) => new(
        rows.Sum(r => r.RunningHourly ?? 0),
        PriceList.For(region),
        [.. rows.Where(r => r.CostMissing is not null).Select(r => $"{r.Task} ({r.CostMissing})")]);

    public decimal Monthly => Math.Round(Hourly * CostEstimator.HoursAMonth, 2, MidpointRounding.AwayFromZero);
}

public sealed record ScheduleStatus(Schedule Schedule, string State, IReadOnlyList<DateTimeOffset> NextRuns)
{
    /// <summary>A schedule of the configuration, its state in AWS (null: not deployed), and its next three runs after <paramref name="now"/>.</summary>
    public ScheduleStatus(Schedule schedule, string? state, DateTimeOffset now)
        : this(schedule, state ?? "not deployed", schedule.Next(now, 3))
    {
    }

    public string TimeZone => Schedule.TimeZone?.Value ?? "UTC";
}

/// <summary>Builds <c>status</c>: one row per task, with schedules and recent failures below.</summary>
public sealed class StatusReport(AwsSession session, DeployedService deployed)
{
    public async Task<IReadOnlyList<TaskStatus>> BuildAsync(DateTimeOffset now, CancellationToken cancel)
    {
        var ecs = new EcsClient(session);
        var schedules = new SchedulesClient(session);
        var serviceArns = deployed.Model.Tasks
            .SelectMany(t => new[] { deployed.Physical(LogicalIds.Service(t.Id)), deployed.Physical(LogicalIds.FallbackService(t.Id)) })
            .OfType<string>().ToList();
        var services = (await ecs.DescribeServicesAsync(deployed.Cluster, serviceArns, cancel).ConfigureAwait(false))
            .ToDictionary(s => s.Arn, StringComparer.Ordinal);

        var rows = new List<TaskStatus>();
        foreach (var task in deployed.Model.Tasks)
        {
            var first = rows.Count;
            // ECS keeps stopped tasks for about an hour; one read gives both the last run and the last failure.
            var stopped = (await ecs.FamilyTasksAsync(deployed.Cluster, task.Name.Value, "STOPPED", cancel).ConfigureAwait(false))
                .OrderByDescending(t => t.StoppedAt ?? t.CreatedAt ?? DateTimeOffset.MinValue).ToList();
            await AddRowsAsync(rows, task, stopped, ecs, schedules, services, now, cancel).ConfigureAwait(false);
            var lastFailure = LastFailure(task, stopped);
            // With wholeEvent a start ECS would not make is a failed execution of the task's state machine, not a stopped task.
            if (task.HasEventStateMachine && deployed.Physical(LogicalIds.EventStateMachine(task.Id)) is { } machine)
            {
                lastFailure = await WithStateMachineAsync(lastFailure, machine, cancel).ConfigureAwait(false);
            }
            var alerts = AlertsText(task.Alerts);
            for (var i = first; i < rows.Count; i++)
            {
                rows[i] = rows[i] with { LastFailure = i == first ? lastFailure?.Text : null, Alerts = i == first ? alerts : null };
            }
        }
        return rows;
    }

    /// <summary>The row with what its running tasks cost an hour, at the configuration's size.</summary>
    private TaskStatus Priced(TaskStatus row, TaskModel task, decimal onDemand, decimal spot)
    {
        if (onDemand + spot == 0 || PriceList.For(deployed.Region) is not { } prices)
        {
            return row;
        }
        var (hourly, missing) = CostEstimator.RunningHourly(task, prices, onDemand, spot);
        return row with { RunningHourly = hourly, CostMissing = missing };
    }

    private async Task AddRowsAsync(List<TaskStatus> rows, TaskModel task, IReadOnlyList<EcsTask> stopped, EcsClient ecs, SchedulesClient schedules,
        Dictionary<string, EcsService> services, DateTimeOffset now, CancellationToken cancel)
    {
        var capacity = Capacity(task.Spot);
        if (task.Kind is TaskKind.Service)
        {
            var arn = deployed.Physical(LogicalIds.Service(task.Id));
            if (arn is null || !services.TryGetValue(arn, out var service))
            {
                rows.Add(new TaskStatus(task.Key, "service", capacity, null, 0, 0, "not deployed", [], null, []));
                return;
            }
            var (onDemand, spot) = CostEstimator.Split(task.Spot, (int)Math.Min(service.Running, int.MaxValue));
            rows.Add(Priced(new TaskStatus(task.Key, "service", capacity, service.Desired, service.Running, service.Pending,
                Deployment(service), [], null, Failures(service)), task, onDemand, spot));
            // With `spot.fallback`, an on-demand twin takes over while Spot has no capacity.
            if (deployed.Physical(LogicalIds.FallbackService(task.Id)) is { } fallbackArn && services.TryGetValue(fallbackArn, out var fallback))
            {
                rows.Add(Priced(new TaskStatus(task.Key, "fallback", "on-demand", fallback.Desired, fallback.Running, fallback.Pending,
                    Deployment(fallback), [], null, Failures(fallback)), task, fallback.Running, 0));
            }
            return;
        }

        // Tasks ECS means to keep running; their last status tells running from still starting.
        var current = await ecs.FamilyTasksAsync(deployed.Cluster, task.Name.Value, "RUNNING", cancel).ConfigureAwait(false);
        var running = current.Count(t => t.LastStatus == "RUNNING");
        var pending = current.Count(t => t.LastStatus is not ("RUNNING" or "STOPPED" or "DEPROVISIONING" or "STOPPING" or "DEACTIVATING"));
        var lastRun = LastRun(task, stopped);
        var scheduleRows = new List<ScheduleStatus>();
        switch (task.Kind)
        {
            case TaskKind.Scheduled scheduled:
                var rule = deployed.Physical(LogicalIds.ScheduledTask(task.Id)) is { } ruleName
                    ? await schedules.DescribeRuleAsync(ruleName, cancel).ConfigureAwait(false)
                    : null;
                scheduleRows.Add(new ScheduleStatus(scheduled.Schedule, rule?.State, now));
                break;
            case TaskKind.Schedules many:
                for (var i = 0; i < many.Entries.Count; i++)
                {
                    var entry = many.Entries[i];
                    var deployedSchedule = deployed.Physical(LogicalIds.Schedule(task.Id, i + 1)) is { } name
                        ? await schedules.GetScheduleAsync(name, cancel).ConfigureAwait(false)
                        : null;
                    scheduleRows.Add(new ScheduleStatus(entry.Schedule, deployedSchedule?.State, now));
                }
                break;
        }
        var kind = scheduleRows.Count > 0 ? "scheduled" : task.Events.Count > 0 ? "on events" : "standalone";
        // Each running task says which capacity provider placed it.
        var onSpot = current.Count(t => t.LastStatus == "RUNNING" && t.CapacityProvider == "FARGATE_SPOT");
        rows.Add(Priced(new TaskStatus(task.Key, kind, capacity, null, running, pending, null, scheduleRows, lastRun, []), task, running - onSpot, onSpot));
    }

    /// <summary>
    /// The most recent of the family's <paramref name="stopped"/> tasks (newest first) that failed,
    /// by <see cref="TaskFailure"/>, the same test the failure alert's rule makes: a service's
    /// tasks replaced by a deployment are not failures.
    /// </summary>
    private static (DateTimeOffset? When, string Text)? LastFailure(TaskModel task, IReadOnlyList<EcsTask> stopped)
    {
        var failed = stopped.FirstOrDefault(t => TaskFailure.IsFailure(t.StopCode, t.Containers.Select(c => c.ExitCode), task.Kind is TaskKind.Service));
        if (failed is null)
        {
            return null;
        }
        var time = failed.StoppedAt ?? failed.CreatedAt;
        var when = time is { } at ? Time(at) + ": " : "";
        var exit = failed.Containers.FirstOrDefault(c => c.ExitCode is not null and not 0);
        var reason = failed.StoppedReason ?? failed.StopCode ?? "no reason given";
        return (time, exit is null
            ? $"{when}failed to start: {reason} (task {failed.Id})"
            : $"{when}container {exit.Name} exited with {exit.ExitCode}: {reason} (task {failed.Id})");
    }

    /// <summary>
    /// The newer of the ECS failure and the state machine's last unsuccessful execution (a time
    /// AWS left out counts as older). Without <c>states:ListExecutions</c> the row says so rather
    /// than failing the whole status.
    /// </summary>
    private async Task<(DateTimeOffset? When, string Text)?> WithStateMachineAsync((DateTimeOffset? When, string Text)? ecsFailure, string machine, CancellationToken cancel)
    {
        FailedExecution? execution;
        try
        {
            execution = await new StepFunctionsClient(session).LastUnsuccessfulAsync(machine, cancel).ConfigureAwait(false);
        }
        catch (AwsException ex) when (ex.Code == "AccessDeniedException")
        {
            return ecsFailure ?? (null, "unknown: reading its state machine's executions was denied (states:ListExecutions)");
        }
        if (execution is null)
        {
            return ecsFailure;
        }
        var older = ecsFailure?.When ?? DateTimeOffset.MinValue;
        return ecsFailure is null || (execution.StoppedAt ?? DateTimeOffset.MinValue) >= older ? NotStarted(execution) : ecsFailure;
    }

    /// <summary>A state machine's execution that did not start the task, with Step Functions' error and cause (ECS's answer), cut to a line's worth.</summary>
    private static (DateTimeOffset? When, string Text) NotStarted(FailedExecution execution)
    {
        var when = execution.StoppedAt is { } at ? Time(at) + ": " : "";
        var oneLine = execution.Cause?.ReplaceLineEndings(" ");
        var cause = oneLine is { Length: > 300 } longCause ? longCause[..300] + "…" : oneLine;
        var why = string.Join(": ", new[] { execution.Error, cause }.Where(t => !string.IsNullOrEmpty(t)));
        return (execution.StoppedAt, $"{when}not started for an event: the state machine's execution {execution.Status}{(why.Length > 0 ? ": " + why : "")} (execution {execution.Name})");
    }

    /// <summary>"e-mail ops@example.com, topic arn:…; on failure, deployment", as the configuration says.</summary>
    public static string? AlertsText(AlertSettings? alerts)
    {
        if (alerts is not { Any: true })
        {
            return null;
        }
        var to = new List<string>();
        if (alerts.Emails.Count > 0)
        {
            to.Add("e-mail " + string.Join(", ", alerts.Emails.Select(e => e.Value)));
        }
        if (alerts.TopicArn?.Value is JsonValue topic && topic.TryGetValue<string>(out var arn))
        {
            to.Add("topic " + arn);
        }
        else if (alerts.TopicArn is not null)
        {
            to.Add("a topic of the stack's resources");
        }
        var on = new List<string>();
        if (alerts.OnFailure)
        {
            on.Add("failure");
        }
        if (alerts.OnDeployment)
        {
            on.Add("deployment");
        }
        return $"{string.Join(", ", to)}; on {string.Join(", ", on)}";
    }

    /// <summary>How the newest of the family's <paramref name="stopped"/> tasks (newest first) ended.</summary>
    private static string? LastRun(TaskModel task, IReadOnlyList<EcsTask> stopped)
    {
        if (stopped.Count == 0)
        {
            return null;
        }
        var last = stopped[0];
        var container = last.Containers.FirstOrDefault(c => c.Name == task.Name.Value);
        var when = (last.StoppedAt ?? last.CreatedAt) is { } time ? " at " + Time(time) : "";
        return container?.ExitCode is { } code
            ? $"exited with {code}{when}"
            : $"stopped before its container ran{when}: {last.StoppedReason ?? last.StopCode ?? "no reason given"}";
    }

    private static string Capacity(SpotStrategy? spot) => spot switch
    {
        null => "on-demand",
        { UsesSpot: false } => "on-demand",
        { OnDemandBase: 0, OnDemandWeight: 0 } => "spot",
        { OnDemandBase: var b } => b > 0 ? $"spot + on-demand (base {b})" : "spot + on-demand",
    };

    /// <summary>The primary deployment's rollout, and what the circuit breaker did.</summary>
    private static string Deployment(EcsService service)
    {
        var primary = service.Deployments.FirstOrDefault(d => d.Status == "PRIMARY");
        if (primary is null)
        {
            return service.Status;
        }
        var state = primary.RolloutState ?? "IN_PROGRESS";
        if (state == "FAILED")
        {
            return $"FAILED, rolled back by the circuit breaker: {primary.RolloutStateReason ?? "no reason given"}";
        }
        return primary.Failed > 0 ? $"{state} ({primary.Failed} tasks failed to start)" : state;
    }

    /// <summary>The service's most recent events that speak of a failure.</summary>
    private static IReadOnlyList<string> Failures(EcsService service) =>
        [.. service.Events
            .Where(e => e.Message.Contains("unable", StringComparison.OrdinalIgnoreCase) || e.Message.Contains("fail", StringComparison.OrdinalIgnoreCase)
                || e.Message.Contains("unhealthy", StringComparison.OrdinalIgnoreCase) || e.Message.Contains("error", StringComparison.OrdinalIgnoreCase))
            .Take(3)
            .Select(e => (e.CreatedAt is { } t ? Time(t) + " " : "") + e.Message)];

    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    public static string Text(string stackName, string region, IReadOnlyList<TaskStatus> rows)
    {
        var text = new StringBuilder($"Stack {stackName} ({region})\n\n");
        string[] header = ["TASK", "KIND", "CAPACITY", "DESIRED", "RUNNING", "PENDING", "DEPLOYMENT"];
        var table = rows.Select(r => new[]
        {
            r.Task, r.Kind, r.Capacity, r.Desired?.ToString(CultureInfo.InvariantCulture) ?? "-",
            r.Running.ToString(CultureInfo.InvariantCulture), r.Pending.ToString(CultureInfo.InvariantCulture), r.Deployment ?? "-",
        }).Prepend(header).ToList();
        var widths = Enumerable.Range(0, header.Length).Select(i => table.Max(row => row[i].Length)).ToArray();
        foreach (var row in table)
        {
            text.AppendLine(string.Join("  ", row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i]))).TrimEnd());
        }
        text.Append('\n').AppendLine(RunningCostLine(region, rows));
        foreach (var row in rows)
        {
            foreach (var schedule in row.Schedules)
            {
                text.Append(CultureInfo.InvariantCulture, $"\n{row.Task}: {schedule.Schedule.Expression.Value} ({schedule.TimeZone}), {schedule.State}\n");
                text.Append("  next runs: ").AppendLine(schedule.NextRuns.Count == 0 ? "none" : string.Join(", ", schedule.NextRuns.Select(Time)) +
                    (schedule.Schedule.Form is ScheduleForm.Rate ? " (a rate counts from when the schedule was created; these count from now)" : ""));
            }
            if (row.LastRun is not null)
            {
                text.Append(CultureInfo.InvariantCulture, $"{(row.Schedules.Count > 0 ? "  " : $"\n{row.Task}: ")}last run: {row.LastRun}\n");
            }
            if (row.LastFailure is not null)
            {
                text.Append(CultureInfo.InvariantCulture, $"\n{row.Task}: last failure {row.LastFailure}\n");
            }
            if (row.Alerts is not null)
            {
                text.Append(CultureInfo.InvariantCulture, $"{(row.LastFailure is null ? "\n" : "")}{row.Task}: alerts to {row.Alerts}\n");
            }
            if (row.Failures.Count > 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"\n{row.Task}: recent failures\n");
                foreach (var failure in row.Failures)
                {
                    text.Append("  ").AppendLine(failure);
                }
            }
        }
        return text.ToString();
    }

    /// <summary>
    /// One line: what runs now costs an hour and a month at that rate. Sizes are the
    /// configuration's, as it is what the stack was deployed from; Spot at the stated discount.
    /// </summary>
    public static string RunningCostLine(string region, IReadOnlyList<TaskStatus> rows)
    {
        var cost = RunningCost.Of(region, rows);
        if (cost.Prices is not { } prices)
        {
            return $"Running now: no price data for {region}";
        }
        var missing = cost.Missing.Count > 0 ? $"; without {string.Join(", ", cost.Missing)}" : "";
        return $"Running now: {CostEstimator.Dollars(cost.Hourly, 4)} an hour, {CostEstimator.Dollars(cost.Monthly)} a month at this rate " +
            $"(the configuration's task sizes, {region} prices as of {prices.PricesAsOf:yyyy-MM-dd}, Spot at its stated discount; `sls-fargate cost` for the assumptions){missing}";
    }

    public static string Json(string stackName, string region, IReadOnlyList<TaskStatus> rows)
    {
        var tasks = new JsonArray();
        foreach (var r in rows)
        {
            tasks.Add((JsonNode)new JsonObject
            {
                ["task"] = r.Task,
                ["kind"] = r.Kind,
                ["capacity"] = r.Capacity,
                ["desired"] = r.Desired,
                ["running"] = r.Running,
                ["pending"] = r.Pending,
                ["deployment"] = r.Deployment,
                ["schedules"] = new JsonArray([.. r.Schedules.Select(s => new JsonObject
                {
                    ["expression"] = s.Schedule.Expression.Value,
                    ["timeZone"] = s.TimeZone,
                    ["state"] = s.State,
                    ["nextRuns"] = new JsonArray([.. s.NextRuns.Select(t => JsonValue.Create(t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)))]),
                })]),
                ["lastRun"] = r.LastRun,
                ["failures"] = new JsonArray([.. r.Failures.Select(f => JsonValue.Create(f))]),
                ["runningHourly"] = r.RunningHourly,
                ["lastFailure"] = r.LastFailure,
                ["alerts"] = r.Alerts,
            });
        }
        var cost = RunningCost.Of(region, rows);
        return Diagnostics.JsonText.Write(new JsonObject
        {
            ["stack"] = stackName,
            ["region"] = region,
            ["tasks"] = tasks,
            ["runningCost"] = cost.Prices is { } prices
                ? new JsonObject
                {
                    ["hourly"] = cost.Hourly,
                    ["monthlyAtThisRate"] = cost.Monthly,
                    ["pricesAsOf"] = prices.PricesAsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    ["missing"] = new JsonArray([.. cost.Missing.Select(m => JsonValue.Create(m))]),
                }
                : null,
        });
    }
}
