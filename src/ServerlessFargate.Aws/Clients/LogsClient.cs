using System.Text.Json.Nodes;
using ServerlessFargate.Aws.Protocol;

namespace ServerlessFargate.Aws.Clients;

public sealed record LogEvent(DateTimeOffset Timestamp, string Stream, string Message, string? EventId);

public sealed record LogPage(IReadOnlyList<LogEvent> Events, string? NextToken);

/// <summary>A log stream and the times of its first and last events (null while it has none).</summary>
public sealed record LogStream(string Name, DateTimeOffset? FirstEvent, DateTimeOffset? LastEvent);

/// <summary>The CloudWatch Logs operations the commands use (JSON 1.1, target Logs_20140328).</summary>
public sealed class LogsClient(AwsSession session)
{
    private readonly JsonProtocol _protocol = new(session, AwsService.Logs, "Logs_20140328");

    /// <summary>One page of events across the group's streams (those whose name starts with <paramref name="streamPrefix"/>).</summary>
    public async Task<LogPage> FilterLogEventsAsync(string group, string? streamPrefix, IReadOnlyList<string>? streamNames, DateTimeOffset? start,
        string? filterPattern, string? nextToken, CancellationToken cancel = default)
    {
        var request = new JsonObject { ["logGroupName"] = group };
        if (streamNames is { Count: > 0 })
        {
            request["logStreamNames"] = new JsonArray([.. streamNames.Select(s => JsonValue.Create(s))]);
        }
        else if (streamPrefix is not null)
        {
            request["logStreamNamePrefix"] = streamPrefix;
        }
        if (start is { } from)
        {
            request["startTime"] = from.ToUnixTimeMilliseconds();
        }
        if (!string.IsNullOrEmpty(filterPattern))
        {
            request["filterPattern"] = filterPattern;
        }
        if (nextToken is not null)
        {
            request["nextToken"] = nextToken;
        }
        try
        {
            return await _protocol.CallAsync("FilterLogEvents", request, answer => new LogPage([.. answer.Objects("events")
                .Select(e => new LogEvent(e.EpochMilliseconds("timestamp") ?? DateTimeOffset.UnixEpoch, e.Text("logStreamName") ?? "",
                    e.Text("message") ?? "", e.Text("eventId")))
                // A service that does not apply the prefix would otherwise mix in other tasks' streams.
                .Where(e => streamPrefix is null || e.Stream.StartsWith(streamPrefix, StringComparison.Ordinal))
                .OrderBy(e => e.Timestamp)], answer.Text("nextToken")), cancel).ConfigureAwait(false);
        }
        catch (AwsException ex) when (ex.Code == "ResourceNotFoundException")
        {
            throw new AwsException($"the log group {group} does not exist (yet): {ex.Message}", ex.Code, ex.Status, ex);
        }
    }

    /// <summary>
    /// The streams whose names start with <paramref name="prefix"/>, at most
    /// <paramref name="pages"/> pages of 50. AWS orders them by name when a prefix is given (it
    /// cannot order by time then), so a caller wanting the newest reads them all and sorts.
    /// </summary>
    public async Task<IReadOnlyList<LogStream>> DescribeLogStreamsAsync(string group, string prefix, int pages, CancellationToken cancel = default)
    {
        var streams = new List<LogStream>();
        var guard = new PageGuard(AwsService.Logs, "DescribeLogStreams", pages + 1);
        string? token = null;
        for (var page = 0; page < pages; page++)
        {
            var request = new JsonObject { ["logGroupName"] = group, ["logStreamNamePrefix"] = prefix, ["limit"] = 50 };
            if (token is not null)
            {
                request["nextToken"] = token;
            }
            token = guard.Next(await _protocol.CallAsync("DescribeLogStreams", request, answer =>
            {
                streams.AddRange(answer.Objects("logStreams")
                    .Select(s => new LogStream(s.Text("logStreamName") ?? "", s.EpochMilliseconds("firstEventTimestamp"), s.EpochMilliseconds("lastEventTimestamp")))
                    .Where(s => s.Name.StartsWith(prefix, StringComparison.Ordinal)));
                return answer.Text("nextToken");
            }, cancel).ConfigureAwait(false));
            if (token is null)
            {
                break;
            }
        }
        return streams;
    }

    /// <summary>One stream's events after <paramref name="forwardToken"/>; none while the stream does not exist yet.</summary>
    public async Task<LogPage> GetLogEventsAsync(string group, string stream, string? forwardToken, CancellationToken cancel = default)
    {
        var request = new JsonObject { ["logGroupName"] = group, ["logStreamName"] = stream, ["startFromHead"] = true };
        if (forwardToken is not null)
        {
            request["nextToken"] = forwardToken;
        }
        try
        {
            return await _protocol.CallAsync("GetLogEvents", request, answer => new LogPage([.. answer.Objects("events")
                .Select(e => new LogEvent(e.EpochMilliseconds("timestamp") ?? DateTimeOffset.UnixEpoch, stream, e.Text("message") ?? "", null))],
                answer.Text("nextForwardToken") ?? forwardToken), cancel).ConfigureAwait(false);
        }
        catch (AwsException ex) when (ex.Code == "ResourceNotFoundException")
        {
            // The container has not written anything yet: ECS creates the stream with the first line.
            return new LogPage([], forwardToken);
        }
    }
}
