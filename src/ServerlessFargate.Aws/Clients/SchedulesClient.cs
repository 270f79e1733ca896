using System.Text.Json.Nodes;
using ServerlessFargate.Aws.Protocol;

namespace ServerlessFargate.Aws.Clients;

/// <summary>A schedule as AWS holds it: an EventBridge rule's or an EventBridge Scheduler schedule's state.</summary>
public sealed record DeployedSchedule(string Name, string State, string? Expression, string? TimeZone);

/// <summary>Reads of EventBridge rules (JSON 1.1, AWSEvents) and Scheduler schedules (REST-JSON) for <c>status</c>.</summary>
public sealed class SchedulesClient(AwsSession session)
{
    private readonly JsonProtocol _events = new(session, AwsService.Events, "AWSEvents");

    /// <summary>The rule, or null when it does not exist.</summary>
    public async Task<DeployedSchedule?> DescribeRuleAsync(string name, CancellationToken cancel = default)
    {
        try
        {
            return await _events.CallAsync("DescribeRule", new JsonObject { ["Name"] = name },
                rule => new DeployedSchedule(name, rule.Text("State") ?? "", rule.Text("ScheduleExpression"), null), cancel).ConfigureAwait(false);
        }
        catch (AwsException ex) when (ex.Code == "ResourceNotFoundException")
        {
            return null;
        }
    }

    /// <summary>The schedule in the default group, or null when it does not exist.</summary>
    public async Task<DeployedSchedule?> GetScheduleAsync(string name, CancellationToken cancel = default)
    {
        try
        {
            // Names are [0-9a-zA-Z-_.]+, so the path needs no escaping.
            var call = new AwsRequest(AwsService.Scheduler, "GetSchedule", HttpMethod.Get,
                new Uri(session.Endpoint(AwsService.Scheduler), $"/schedules/{Uri.EscapeDataString(name)}"), [], null, new Dictionary<string, string>(), IsWrite: false);
            var answer = await session.SendAsync(call, JsonProtocol.ReadError, cancel).ConfigureAwait(false);
            return JsonProtocol.Read(answer.Body, AwsService.Scheduler, "GetSchedule",
                schedule => new DeployedSchedule(name, schedule.Text("State") ?? "", schedule.Text("ScheduleExpression"), schedule.Text("ScheduleExpressionTimezone")));
        }
        catch (AwsException ex) when (ex.Code == "ResourceNotFoundException")
        {
            return null;
        }
    }
}
