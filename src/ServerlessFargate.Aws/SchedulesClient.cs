using System.Text.Json.Nodes;
using ServerlessFargate.Aws.Protocol;

namespace ServerlessFargate.Aws;

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
            var rule = await _events.CallAsync("DescribeRule", new JsonObject { ["Name"] = name }, cancel).ConfigureAwait(false);
            return new DeployedSchedule(name, rule.Text("State") ?? "", rule.Text("ScheduleExpression"), null);
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
            var text = await session.SendAsync(AwsService.Scheduler, "GetSchedule", HttpMethod.Get, $"/schedules/{Uri.EscapeDataString(name)}",
                [], null, new Dictionary<string, string>(), JsonProtocol.ReadError, cancel).ConfigureAwait(false);
            var schedule = JsonProtocol.Parse(text, AwsService.Scheduler, "GetSchedule");
            return new DeployedSchedule(name, schedule.Text("State") ?? "", schedule.Text("ScheduleExpression"), schedule.Text("ScheduleExpressionTimezone"));
        }
        catch (AwsException ex) when (ex.Code == "ResourceNotFoundException")
        {
            return null;
        }
    }
}
