using ServerlessFargate.Model;
using ServerlessFargate.Aws.Clients;

namespace ServerlessFargate.Aws.Operations;

/// <summary>What <c>logs</c> reads: from when, which lines, which task, and whether to keep following.</summary>
public sealed record LogSettings(DateTimeOffset Since, string? Filter, string? TaskId, bool Follow)
{
    /// <summary>The first wait between polls while following; it grows while nothing arrives.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan LongestPollInterval = TimeSpan.FromSeconds(10);
}

/// <summary>
/// Prints a task's log lines from the shared log group: every stream of the task's container
/// (one per task run), merged in time order, each line marked with its task's short id.
/// </summary>
public sealed class LogReader(AwsSession session, DeployedService deployed, TextWriter output)
{
    public async Task<int> ReadAsync(TaskModel task, LogSettings settings, CancellationToken interrupt)
    {
        var logs = new LogsClient(session);
        var prefix = DeployedService.LogStream(task.Name.Value, settings.TaskId ?? "");
        IReadOnlyList<string>? streams = settings.TaskId is null ? null : [prefix];
        var start = settings.Since;
        // Events at the newest time seen are asked for again on the next poll (CloudWatch may
        // still add some there); these keys keep them from being printed twice.
        var printedAtStart = new HashSet<string>(StringComparer.Ordinal);
        var (first, longest) = (session.Pace(LogSettings.PollInterval), session.Pace(LogSettings.LongestPollInterval));
        var wait = first;
        while (true)
        {
            var printed = 0;
            string? token = null;
            // Logs is paged by the events it scanned, not found, so a wide --since can legitimately
            // take many pages; a token that repeats or never ends stops the read with one line.
            var pages = new Protocol.PageGuard(AwsService.Logs, "FilterLogEvents", 500);
            try
            {
                do
                {
                    var page = await logs.FilterLogEventsAsync(deployed.LogGroup, streams is null ? prefix : null, streams, start, settings.Filter, token, interrupt)
                        .ConfigureAwait(false);
                    foreach (var line in page.Events)
                    {
                        var key = line.EventId ?? $"{line.Stream}|{line.Timestamp.ToUnixTimeMilliseconds()}|{line.Message}";
                        if (line.Timestamp < start || (line.Timestamp == start && !printedAtStart.Add(key)))
                        {
                            continue;
                        }
                        if (line.Timestamp > start)
                        {
                            start = line.Timestamp;
                            printedAtStart.Clear();
                            printedAtStart.Add(key);
                        }
                        output.WriteLine(LogPrinter.Format(line, LogPrinter.TaskIdOf(line.Stream)));
                        printed++;
                    }
                    token = pages.Next(page.NextToken);
                }
                while (token is not null);
            }
            catch (OperationCanceledException) when (interrupt.IsCancellationRequested && settings.Follow)
            {
                // Ctrl-C is how following ends; what was printed stands. (A read that is not
                // following was cut short, and says so: exit 130.)
                output.Flush();
                return 0;
            }
            output.Flush();

            if (!settings.Follow || interrupt.IsCancellationRequested)
            {
                return 0;
            }
            wait = printed > 0 ? first : TimeSpan.FromTicks(Math.Min(longest.Ticks, (long)(wait.Ticks * 1.5)));
            try
            {
                await Task.Delay(wait, interrupt).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return 0;
            }
        }
    }
}
