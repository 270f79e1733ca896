using System.Globalization;

namespace ServerlessFargate.Aws.Operations;

/// <summary>How <c>deploy</c> and <c>remove</c> wait.</summary>
public sealed record DeploySettings(string? Bucket)
{
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>CloudFormation's own limit for a stack operation is far longer; this stops a wait that will not end.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromHours(2);
}

/// <summary>
/// Deploys a packaged template as the framework does, for services that do not use it: a change
/// set (so a template with no changes is a no-op), executed, with the stack's events printed as
/// they come and the outputs at the end. Removes a stack the same way.
/// </summary>
public sealed class Deployer(AwsSession session, TextWriter output, TextWriter messages)
{
    /// <summary>
    /// A template sent inline may be 51,200 bytes; larger ones go through S3 (up to 1 MB).
    /// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html
    /// </summary>
    public const int InlineTemplateLimit = 51_200;

    private readonly CloudFormationClient _cloudFormation = new(session);

    /// <summary>Exit code 0 on success or no changes; an <see cref="OperationException"/> for a failed deploy.</summary>
    public async Task DeployAsync(string stackName, string template, DeploySettings settings, CancellationToken cancel)
    {
        var stack = await _cloudFormation.DescribeStackAsync(stackName, cancel).ConfigureAwait(false);
        if (stack is { Status: "ROLLBACK_COMPLETE" or "ROLLBACK_FAILED" or "DELETE_FAILED" })
        {
            throw new OperationException($"the stack {stackName} is {stack.Status} after a failed first deploy and cannot be updated; remove it (sls-fargate remove) and deploy again");
        }
        if (stack is { IsSettled: false })
        {
            throw new OperationException($"the stack {stackName} is busy ({stack.Status}); wait for that operation to finish");
        }
        var create = stack is null || stack.Status == "REVIEW_IN_PROGRESS";
        if (!create && await _cloudFormation.GetTemplateAsync(stackName, cancel).ConfigureAwait(false) == template)
        {
            messages.WriteLine($"No changes: the stack {stackName} already runs this template.");
            PrintOutputs(stack!);
            return;
        }

        string? templateUrl = null;
        var size = System.Text.Encoding.UTF8.GetByteCount(template);
        if (size > InlineTemplateLimit)
        {
            templateUrl = await UploadAsync(stackName, template, size, settings.Bucket, cancel).ConfigureAwait(false);
        }

        var changeSetName = "sls-fargate-" + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture);
        messages.WriteLine($"{(create ? "Creating" : "Updating")} the stack {stackName} in {session.Region}");
        var earlier = create ? [] : await EventIdsAsync(stackName, cancel).ConfigureAwait(false);
        var changeSetId = await _cloudFormation.CreateChangeSetAsync(stackName, changeSetName, create, templateUrl is null ? template : null, templateUrl, cancel)
            .ConfigureAwait(false);
        var changeSet = await WaitForChangeSetAsync(stackName, changeSetId, settings, cancel).ConfigureAwait(false);
        if (changeSet.Status == "FAILED")
        {
            var reason = changeSet.StatusReason ?? "no reason given";
            if (reason.Contains("didn't contain changes", StringComparison.Ordinal) || reason.Contains("No updates", StringComparison.Ordinal))
            {
                await _cloudFormation.DeleteChangeSetAsync(stackName, changeSetId, cancel).ConfigureAwait(false);
                messages.WriteLine($"No changes: the stack {stackName} already holds what this template describes.");
                return;
            }
            throw new OperationException($"CloudFormation could not prepare the change: {reason}");
        }
        await _cloudFormation.ExecuteChangeSetAsync(stackName, changeSetId, cancel).ConfigureAwait(false);
        var final = await FollowAsync(stackName, earlier, changeSet.Changes, settings, cancel).ConfigureAwait(false);
        if (final is not { Status: "CREATE_COMPLETE" or "UPDATE_COMPLETE" })
        {
            throw new OperationException($"the deploy of {stackName} failed ({final?.Status ?? "stack gone"}): {await FirstFailureAsync(stackName, earlier, cancel).ConfigureAwait(false)}");
        }
        messages.WriteLine($"Deployed {stackName} ({final.Status})");
        PrintOutputs(final);
    }

    /// <summary>Deletes the stack and waits until it is gone; a stack that is not there is nothing to do.</summary>
    public async Task RemoveAsync(string stackName, DeploySettings settings, CancellationToken cancel)
    {
        var stack = await _cloudFormation.DescribeStackAsync(stackName, cancel).ConfigureAwait(false);
        if (stack is null or { Status: "DELETE_COMPLETE" })
        {
            messages.WriteLine($"The stack {stackName} does not exist in {session.Region}; nothing to remove.");
            return;
        }
        messages.WriteLine($"Removing the stack {stackName} from {session.Region}");
        // Later lookups by name find nothing once the stack is gone.
        var id = stack.Reference;
        var earlier = await EventIdsAsync(id, cancel).ConfigureAwait(false);
        var resources = (await _cloudFormation.ListStackResourcesAsync(id, cancel).ConfigureAwait(false)).Count;
        await _cloudFormation.DeleteStackAsync(id, cancel).ConfigureAwait(false);
        var final = await FollowAsync(id, earlier, resources, settings, cancel).ConfigureAwait(false);
        if (final is not null and not { Status: "DELETE_COMPLETE" })
        {
            throw new OperationException($"the removal of {stackName} failed ({final.Status}): {await FirstFailureAsync(id, earlier, cancel).ConfigureAwait(false)}");
        }
        messages.WriteLine($"Removed {stackName}");
    }

    private async Task<ChangeSet> WaitForChangeSetAsync(string stackName, string changeSetId, DeploySettings settings, CancellationToken cancel)
    {
        var deadline = DateTimeOffset.UtcNow + settings.Timeout;
        while (true)
        {
            var changeSet = await _cloudFormation.DescribeChangeSetAsync(stackName, changeSetId, cancel).ConfigureAwait(false);
            if (changeSet.Status is "CREATE_COMPLETE" or "FAILED")
            {
                return changeSet;
            }
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new OperationException($"the change set for {stackName} was still {changeSet.Status} after {Durations.Format(settings.Timeout)}");
            }
            await Task.Delay(settings.PollInterval, cancel).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The events a stack already has: an operation's own are the ones not among them (their
    /// times cannot tell, as CloudFormation stamps them to the second).
    /// </summary>
    private async Task<HashSet<string>> EventIdsAsync(string stack, CancellationToken cancel) =>
        [.. (await _cloudFormation.DescribeStackEventsAsync(stack, cancel).ConfigureAwait(false)).Select(e => e.EventId)];

    /// <summary>
    /// Prints the stack's new events, oldest first, until the stack settles; the stack then (null
    /// once deleted). Each line counts the resources done so far out of <paramref name="total"/>
    /// (the change set's changes, or the resources a removal deletes).
    /// </summary>
    private async Task<Stack?> FollowAsync(string stack, HashSet<string> earlier, int total, DeploySettings settings, CancellationToken cancel)
    {
        var printed = new HashSet<string>(earlier, StringComparer.Ordinal);
        var done = new HashSet<string>(StringComparer.Ordinal);
        var deadline = DateTimeOffset.UtcNow + settings.Timeout;
        while (true)
        {
            var current = await _cloudFormation.DescribeStackAsync(stack, cancel).ConfigureAwait(false);
            foreach (var e in (await _cloudFormation.DescribeStackEventsAsync(stack, cancel).ConfigureAwait(false))
                .Where(e => printed.Add(e.EventId)).Reverse())
            {
                var resource = e.Type != "AWS::CloudFormation::Stack";
                if (resource && e.Status is "CREATE_COMPLETE" or "UPDATE_COMPLETE" or "DELETE_COMPLETE" or "DELETE_SKIPPED")
                {
                    done.Add(e.LogicalId);
                }
                // The count goes on resource lines; the stack's own lines open and close the list.
                var width = 2 * total.ToString(CultureInfo.InvariantCulture).Length + 3;
                var progress = total == 0 ? "" : (resource ? $"[{done.Count}/{Math.Max(total, done.Count)}]" : "").PadRight(width) + "  ";
                messages.WriteLine($"  {e.Timestamp.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture)}  {progress}{e.Status,-20}  {e.Type,-36}  {e.LogicalId}" +
                    (e.Reason is { Length: > 0 } reason && e.Status.EndsWith("FAILED", StringComparison.Ordinal) ? $"  {reason}" : ""));
            }
            if (current is null || current.IsSettled)
            {
                return current;
            }
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new OperationException($"the stack {stack} was still {current.Status} after {Durations.Format(settings.Timeout)}");
            }
            await Task.Delay(settings.PollInterval, cancel).ConfigureAwait(false);
        }
    }

    /// <summary>The first resource that failed, and why: the cause, where later failures are its consequences.</summary>
    private async Task<string> FirstFailureAsync(string stack, HashSet<string> earlier, CancellationToken cancel)
    {
        // Events come newest first: the last failure in the list happened first.
        var events = await _cloudFormation.DescribeStackEventsAsync(stack, cancel).ConfigureAwait(false);
        var first = events.Where(e => !earlier.Contains(e.EventId) && e.Status.EndsWith("_FAILED", StringComparison.Ordinal)
                && e.Reason is { Length: > 0 } r && !r.Contains("cancelled", StringComparison.OrdinalIgnoreCase))
            .LastOrDefault();
        return first is null ? "CloudFormation gave no reason" : $"{first.LogicalId} ({first.Type}): {first.Reason}";
    }

    private void PrintOutputs(Stack stack)
    {
        foreach (var (key, value) in stack.Outputs.OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"{key}: {value}");
        }
    }

    private async Task<string> UploadAsync(string stackName, string template, int size, string? bucket, CancellationToken cancel)
    {
        if (bucket is null)
        {
            throw new OperationException($"the template is {size:N0} bytes, over CloudFormation's {InlineTemplateLimit:N0}-byte limit for templates sent inline: " +
                "name an S3 bucket to upload it to with --bucket");
        }
        var key = $"sls-fargate/{stackName}/{DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture)}/cloudformation-template.json";
        string url;
        try
        {
            url = await new S3Client(session).PutObjectAsync(bucket, key, template, "application/json", cancel).ConfigureAwait(false);
        }
        catch (AwsException ex)
        {
            throw new OperationException($"cannot upload the template to s3://{bucket}/{key}: {ex.Message}");
        }
        messages.WriteLine($"Uploaded the template ({size:N0} bytes) to s3://{bucket}/{key}");
        return url;
    }
}
