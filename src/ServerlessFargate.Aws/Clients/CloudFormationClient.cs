using System.Globalization;
using System.Xml.Linq;
using ServerlessFargate.Aws.Planning;
using ServerlessFargate.Aws.Protocol;

namespace ServerlessFargate.Aws.Clients;

/// <param name="ChangeSetId">The change set the stack was last updated with, if any: how a lost ExecuteChangeSet answer is settled.</param>
public sealed record Stack(string Name, string Id, string Status, string? StatusReason, IReadOnlyDictionary<string, string> Outputs,
    IReadOnlyDictionary<string, string> Tags, bool TerminationProtection, string? ChangeSetId)
{
    /// <summary>What names the stack in later calls: its id, which still works once the stack is deleted.</summary>
    public string Reference => Id.Length > 0 ? Id : Name;

    /// <summary>
    /// The stack's parameter values, by name: for a parameter read from Systems Manager the value it
    /// resolved to; a list parameter's items joined by commas; a NoEcho one as <c>****</c>.
    /// </summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>A state no operation will leave by itself (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/view-stack-events.html).</summary>
    public bool IsSettled => !Status.EndsWith("_IN_PROGRESS", StringComparison.Ordinal);
}

public sealed record StackResource(string LogicalId, string PhysicalId, string Type, string Status, string? StatusReason = null);

public sealed record StackEvent(string EventId, DateTimeOffset Timestamp, string LogicalId, string Type, string Status, string? Reason);

/// <param name="ExecutionStatus">AVAILABLE until executed, then EXECUTE_IN_PROGRESS, EXECUTE_COMPLETE or EXECUTE_FAILED.</param>
public sealed record ChangeSet(string Id, string Status, string? StatusReason, string? ExecutionStatus, IReadOnlyList<ChangeSetEntry> Changes);

/// <summary>The CloudFormation operations the commands use, and nothing more.</summary>
public sealed class CloudFormationClient(AwsSession session)
{
    private readonly QueryProtocol _protocol = new(session, AwsService.CloudFormation, "2010-05-15");

    /// <summary>The stack, or null when there is none of that name.</summary>
    public async Task<Stack?> DescribeStackAsync(string name, CancellationToken cancel = default)
    {
        try
        {
            return await _protocol.CallAsync("DescribeStacks", [new("StackName", name)], result => result.Members("Stacks").Select(ReadStack).FirstOrDefault(), cancel)
                .ConfigureAwait(false);
        }
        catch (AwsException ex) when (ex.Code == "ValidationError" && ex.Message.Contains("does not exist", StringComparison.Ordinal))
        {
            return null;
        }
    }

    private static Stack ReadStack(XElement stack) => new(
        stack.Required("StackName"),
        stack.Required("StackId"),
        stack.Required("StackStatus"),
        stack.Child("StackStatusReason"),
        Pairs(stack, "Outputs", "OutputKey", "OutputValue"),
        Pairs(stack, "Tags", "Key", "Value"),
        stack.Child("EnableTerminationProtection") == "true",
        stack.Child("ChangeSetId") is { Length: > 0 } changeSet ? changeSet : null)
    {
        Parameters = stack.Members("Parameters")
            .Where(p => p.Child("ParameterKey") is not null)
            .GroupBy(p => p.Child("ParameterKey")!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Last().Child("ResolvedValue") ?? g.Last().Child("ParameterValue") ?? "", StringComparer.Ordinal),
    };

    private static Dictionary<string, string> Pairs(XElement parent, string list, string key, string value)
    {
        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var member in parent.Members(list))
        {
            if (member.Child(key) is { } k)
            {
                pairs[k] = member.Child(value) ?? "";
            }
        }
        return pairs;
    }

    /// <summary>Every resource of the stack (ListStackResources pages; DescribeStackResources stops at 100).</summary>
    public async Task<IReadOnlyList<StackResource>> ListStackResourcesAsync(string stack, CancellationToken cancel = default)
    {
        var resources = new Dictionary<string, StackResource>(StringComparer.Ordinal);
        // A stack holds at most 500 resources: 5 pages of 100.
        await _protocol.PagesAsync("ListStackResources", [new("StackName", stack)], 50, result =>
        {
            foreach (var r in result.Members("StackResourceSummaries"))
            {
                var resource = new StackResource(r.Required("LogicalResourceId"), r.Child("PhysicalResourceId") ?? "", r.Required("ResourceType"),
                    r.Child("ResourceStatus") ?? "", r.Child("ResourceStatusReason"));
                if (!resources.TryAdd(resource.LogicalId, resource))
                {
                    throw new UnexpectedAnswerException($"the resource {resource.LogicalId} twice");
                }
            }
            return true;
        }, cancel).ConfigureAwait(false);
        return [.. resources.Values];
    }

    /// <summary>The template the stack was last deployed with, as it was sent.</summary>
    public Task<string> GetTemplateAsync(string stack, CancellationToken cancel = default) =>
        _protocol.CallAsync("GetTemplate", [new("StackName", stack), new("TemplateStage", "Original")], result => result.Child("TemplateBody") ?? "", cancel);

    /// <summary>
    /// Creates a change set from a template body or, for templates over 51,200 bytes, an S3 URL; its id.
    /// <paramref name="clientToken"/> makes a repeated call the same call; after an unclear failure
    /// the change set is looked up by its name (unique per invocation) before trying again.
    /// </summary>
    public Task<string> CreateChangeSetAsync(string stack, string changeSetName, bool create, string? templateBody, string? templateUrl,
        IReadOnlyDictionary<string, string> tags, string clientToken, CancellationToken cancel = default)
    {
        var parameters = new List<KeyValuePair<string, string>>
        {
            new("StackName", stack),
            new("ChangeSetName", changeSetName),
            new("ChangeSetType", create ? "CREATE" : "UPDATE"),
            // The template creates roles with generated names; CAPABILITY_NAMED_IAM covers
            // roles a user's own resources name.
            new("Capabilities.member.1", "CAPABILITY_IAM"),
            new("Capabilities.member.2", "CAPABILITY_NAMED_IAM"),
            new("ClientToken", clientToken),
        };
        parameters.Add(templateUrl is not null ? new("TemplateURL", templateUrl) : new("TemplateBody", templateBody ?? ""));
        var n = 0;
        foreach (var (key, value) in tags.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            n++;
            parameters.Add(new($"Tags.member.{n}.Key", key));
            parameters.Add(new($"Tags.member.{n}.Value", value));
        }
        return session.WriteAsync($"the change set {changeSetName} of the stack {stack} may exist",
            write => _protocol.CallAsync("CreateChangeSet", parameters, result => result.Required("Id"), write, write: true),
            async look => (await FindChangeSetAsync(stack, changeSetName, look).ConfigureAwait(false))?.Id,
            cancel);
    }

    /// <summary>The names of the stack's change sets (a stack in REVIEW_IN_PROGRESS holds whoever's create waits).</summary>
    public async Task<IReadOnlyList<string>> ListChangeSetsAsync(string stack, CancellationToken cancel = default)
    {
        var names = new List<string>();
        await _protocol.PagesAsync("ListChangeSets", [new("StackName", stack)], 50, result =>
        {
            names.AddRange(result.Members("Summaries").Select(s => s.Required("ChangeSetName")));
            return true;
        }, cancel).ConfigureAwait(false);
        return names;
    }

    /// <summary>The change set, or null when it does not exist (never made, or deleted).</summary>
    public async Task<ChangeSet?> FindChangeSetAsync(string stack, string changeSet, CancellationToken cancel = default)
    {
        try
        {
            return await DescribeChangeSetAsync(stack, changeSet, cancel).ConfigureAwait(false);
        }
        catch (AwsException ex) when (ex.Code is "ChangeSetNotFound" or "ChangeSetNotFoundException"
            || (ex.Code == "ValidationError" && ex.Message.Contains("does not exist", StringComparison.Ordinal)))
        {
            return null;
        }
    }

    /// <summary>The change set's state and every resource change it holds (all pages).</summary>
    public async Task<ChangeSet> DescribeChangeSetAsync(string stack, string changeSet, CancellationToken cancel = default)
    {
        var changes = new List<ChangeSetEntry>();
        ChangeSet? state = null;
        // A change set touches at most the stack's 500 resources; a generous cap still stops a
        // token that never ends.
        await _protocol.PagesAsync("DescribeChangeSet", [new("StackName", stack), new("ChangeSetName", changeSet)], 50, result =>
        {
            changes.AddRange(result.Members("Changes").Select(c => c.ChildElement("ResourceChange")).OfType<XElement>().Select(ReadChange));
            state = new ChangeSet(result.Child("ChangeSetId") ?? changeSet, result.Required("Status"), result.Child("StatusReason"), result.Child("ExecutionStatus"), changes);
            return true;
        }, cancel).ConfigureAwait(false);
        return state!;
    }

    /// <summary>
    /// One resource change. CloudFormation names the properties that change in Details (Target
    /// Attribute "Properties", Name the top-level property); moto gives no Replacement and no
    /// Details, so both may be absent.
    /// </summary>
    private static ChangeSetEntry ReadChange(XElement change) => new(
        change.Required("LogicalResourceId"),
        change.Child("ResourceType") ?? "",
        change.Child("Action") ?? "",
        change.Child("Replacement") is { Length: > 0 } replacement ? replacement : null,
        [.. change.Members("Details")
            .Select(d => d.ChildElement("Target"))
            .Where(t => t is not null && t.Child("Attribute") == "Properties" && t.Child("Name") is { Length: > 0 })
            .Select(t => t!.Child("Name")!)
            .Distinct(StringComparer.Ordinal)]);

    /// <summary>Executes the change set once: a lost answer is settled by the change set's and the stack's state.</summary>
    public Task ExecuteChangeSetAsync(string stack, string changeSetId, string clientToken, CancellationToken cancel = default) =>
        session.WriteAsync($"the stack {stack} may be updating from the change set {changeSetId}",
            write => _protocol.CallAsync("ExecuteChangeSet", [new("StackName", stack), new("ChangeSetName", changeSetId), new("ClientRequestToken", clientToken)],
                _ => "executed", write, write: true),
            async look =>
            {
                var changeSet = await FindChangeSetAsync(stack, changeSetId, look).ConfigureAwait(false);
                if (changeSet is { ExecutionStatus: "EXECUTE_IN_PROGRESS" or "EXECUTE_COMPLETE" or "EXECUTE_FAILED" })
                {
                    return "executed";
                }
                var current = await DescribeStackAsync(stack, look).ConfigureAwait(false);
                return current?.ChangeSetId == changeSetId ? "executed" : null;
            },
            cancel);

    /// <summary>Deletes a change set; one that is already gone is fine (a retry of a lost answer finds it so).</summary>
    public async Task DeleteChangeSetAsync(string stack, string changeSet, CancellationToken cancel = default)
    {
        try
        {
            await _protocol.CallAsync("DeleteChangeSet", [new("StackName", stack), new("ChangeSetName", changeSet)], cancel).ConfigureAwait(false);
        }
        catch (AwsException ex) when (ex.Code is "ChangeSetNotFound" or "ChangeSetNotFoundException")
        {
        }
    }

    /// <summary>Starts deleting the stack, once: a lost answer is settled by the stack's state.</summary>
    public Task DeleteStackAsync(string stackId, string clientToken, CancellationToken cancel = default) =>
        session.WriteAsync($"the stack {stackId} may be being deleted",
            write => _protocol.CallAsync("DeleteStack", [new("StackName", stackId), new("ClientRequestToken", clientToken)], _ => "deleting", write, write: true),
            async look => await DescribeStackAsync(stackId, look).ConfigureAwait(false) is null or { Status: "DELETE_IN_PROGRESS" or "DELETE_COMPLETE" } ? "deleting" : null,
            cancel);

    /// <summary>Rolls a stack in UPDATE_ROLLBACK_FAILED back to its last working state, once.</summary>
    public Task ContinueUpdateRollbackAsync(string stackId, string clientToken, CancellationToken cancel = default) =>
        session.WriteAsync($"the stack {stackId} may be rolling back",
            write => _protocol.CallAsync("ContinueUpdateRollback", [new("StackName", stackId), new("ClientRequestToken", clientToken)], _ => "rolling back", write, write: true),
            async look => await DescribeStackAsync(stackId, look).ConfigureAwait(false) is { Status: "UPDATE_ROLLBACK_IN_PROGRESS" or "UPDATE_ROLLBACK_COMPLETE" } ? "rolling back" : null,
            cancel);

    /// <summary>Turns termination protection on or off (asking twice is harmless).</summary>
    public Task UpdateTerminationProtectionAsync(string stack, bool enable, CancellationToken cancel = default) =>
        _protocol.CallAsync("UpdateTerminationProtection", [new("StackName", stack), new("EnableTerminationProtection", enable ? "true" : "false")], cancel);

    /// <summary>
    /// The stack's events, newest first: page after page until one holds an event of
    /// <paramref name="known"/> (what was read before) or there are no more; one page (about 100
    /// events) when nothing is known. A large rollback writes hundreds between two looks.
    /// </summary>
    public async Task<IReadOnlyList<StackEvent>> DescribeStackEventsAsync(string stack, IReadOnlySet<string>? known = null, CancellationToken cancel = default)
    {
        var events = new List<StackEvent>();
        await _protocol.PagesAsync("DescribeStackEvents", [new("StackName", stack)], 30, result =>
        {
            var page = result.Members("StackEvents").Select(e => new StackEvent(
                e.Required("EventId"),
                DateTimeOffset.TryParse(e.Child("Timestamp"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : DateTimeOffset.MinValue,
                e.Child("LogicalResourceId") ?? "", e.Child("ResourceType") ?? "", e.Child("ResourceStatus") ?? "", e.Child("ResourceStatusReason"))).ToList();
            events.AddRange(page);
            return known is not null && !page.Exists(e => known.Contains(e.EventId));
        }, cancel).ConfigureAwait(false);
        return events;
    }
}
