using System.Text.Json.Nodes;
using ServerlessFargate.Aws.Protocol;

namespace ServerlessFargate.Aws.Clients;

/// <summary>An execution that ended without success: how (FAILED, TIMED_OUT, ABORTED), when, and Step Functions' error and cause.</summary>
public sealed record FailedExecution(string Name, string Status, DateTimeOffset? StoppedAt, string? Error, string? Cause);

/// <summary>Reads of Step Functions (JSON 1.0, AWSStepFunctions) for <c>status</c>.</summary>
public sealed class StepFunctionsClient(AwsSession session)
{
    private static readonly string[] Unsuccessful = ["FAILED", "TIMED_OUT", "ABORTED"];

    private readonly JsonProtocol _states = new(session, AwsService.StepFunctions, "AWSStepFunctions", JsonProtocol.Version10);

    /// <summary>
    /// The most recent execution of the state machine that failed, timed out or was aborted, with
    /// its error and cause; null when none did. ListExecutions answers newest first, so one item per
    /// status is enough: https://docs.aws.amazon.com/step-functions/latest/apireference/API_ListExecutions.html
    /// </summary>
    public async Task<FailedExecution?> LastUnsuccessfulAsync(string stateMachineArn, CancellationToken cancel = default)
    {
        (string Arn, string Name, string Status, DateTimeOffset? StoppedAt)? newest = null;
        foreach (var status in Unsuccessful)
        {
            var latest = await _states.CallAsync("ListExecutions",
                new JsonObject { ["stateMachineArn"] = stateMachineArn, ["statusFilter"] = status, ["maxResults"] = 1 },
                answer => answer.Objects("executions").Take(1)
                    .Select(e => (e.Required("executionArn"), e.Text("name") ?? "", e.Text("status") ?? status, e.EpochSeconds("stopDate") ?? e.EpochSeconds("startDate")))
                    .ToList(), cancel).ConfigureAwait(false);
            // A time AWS left out counts as older than any other.
            if (latest is [var found] && (newest is null || (found.Item4 ?? DateTimeOffset.MinValue) > (newest.Value.StoppedAt ?? DateTimeOffset.MinValue)))
            {
                newest = found;
            }
        }
        if (newest is not { } last)
        {
            return null;
        }
        return await _states.CallAsync("DescribeExecution", new JsonObject { ["executionArn"] = last.Arn },
            execution => new FailedExecution(last.Name, execution.Text("status") ?? last.Status, execution.EpochSeconds("stopDate") ?? last.StoppedAt,
                execution.Text("error"), execution.Text("cause")), cancel).ConfigureAwait(false);
    }
}
