using System.Globalization;
using System.Xml.Linq;
using ServerlessFargate.Aws.Protocol;

namespace ServerlessFargate.Aws;

public sealed record Stack(string Name, string Id, string Status, string? StatusReason, IReadOnlyDictionary<string, string> Outputs)
{
    /// <summary>What names the stack in later calls: its id, which still works once the stack is deleted.</summary>
    public string Reference => Id.Length > 0 ? Id : Name;

    /// <summary>A state no operation will leave by itself (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/view-stack-events.html).</summary>
    public bool IsSettled => !Status.EndsWith("_IN_PROGRESS", StringComparison.Ordinal);
}

public sealed record StackResource(string LogicalId, string PhysicalId, string Type, string Status);

public sealed record StackEvent(string EventId, DateTimeOffset Timestamp, string LogicalId, string Type, string Status, string? Reason);

public sealed record ChangeSet(string Status, string? StatusReason, int Changes);

/// <summary>The CloudFormation operations the commands use, and nothing more.</summary>
public sealed class CloudFormationClient(AwsSession session)
{
    private readonly QueryProtocol _protocol = new(session, AwsService.CloudFormation, "2010-05-15");

    /// <summary>The stack, or null when there is none of that name.</summary>
    public async Task<Stack?> DescribeStackAsync(string name, CancellationToken cancel = default)
    {
        try
        {
            var result = await _protocol.CallAsync("DescribeStacks", [new("StackName", name)], cancel).ConfigureAwait(false);
            var stack = result.Members("Stacks").FirstOrDefault();
            if (stack is null)
            {
                return null;
            }
            var outputs = stack.Members("Outputs")
                .Where(o => o.Child("OutputKey") is not null)
                .ToDictionary(o => o.Child("OutputKey")!, o => o.Child("OutputValue") ?? "", StringComparer.Ordinal);
            return new Stack(stack.Child("StackName") ?? name, stack.Child("StackId") ?? "", stack.Child("StackStatus") ?? "",
                stack.Child("StackStatusReason"), outputs);
        }
        catch (AwsException ex) when (ex.Code == "ValidationError" && ex.Message.Contains("does not exist", StringComparison.Ordinal))
        {
            return null;
        }
    }

    /// <summary>Every resource of the stack (ListStackResources pages; DescribeStackResources stops at 100).</summary>
    public async Task<IReadOnlyList<StackResource>> ListStackResourcesAsync(string stack, CancellationToken cancel = default)
    {
        var resources = new List<StackResource>();
        string? token = null;
        do
        {
            var parameters = new List<KeyValuePair<string, string>> { new("StackName", stack) };
            if (token is not null)
            {
                parameters.Add(new("NextToken", token));
            }
            var result = await _protocol.CallAsync("ListStackResources", parameters, cancel).ConfigureAwait(false);
            resources.AddRange(result.Members("StackResourceSummaries").Select(r => new StackResource(
                r.Child("LogicalResourceId") ?? "", r.Child("PhysicalResourceId") ?? "", r.Child("ResourceType") ?? "", r.Child("ResourceStatus") ?? "")));
            token = result.Child("NextToken");
        }
        while (!string.IsNullOrEmpty(token));
        return resources;
    }

    /// <summary>The template the stack was last deployed with, as it was sent.</summary>
    public async Task<string> GetTemplateAsync(string stack, CancellationToken cancel = default)
    {
        var result = await _protocol.CallAsync("GetTemplate", [new("StackName", stack), new("TemplateStage", "Original")], cancel).ConfigureAwait(false);
        return result.Child("TemplateBody") ?? "";
    }

    /// <summary>Creates a change set from a template body or, for templates over 51,200 bytes, an S3 URL.</summary>
    public async Task<string> CreateChangeSetAsync(string stack, string changeSetName, bool create, string? templateBody, string? templateUrl,
        CancellationToken cancel = default)
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
        };
        parameters.Add(templateUrl is not null ? new("TemplateURL", templateUrl) : new("TemplateBody", templateBody ?? ""));
        var result = await _protocol.CallAsync("CreateChangeSet", parameters, cancel).ConfigureAwait(false);
        return result.Child("Id") ?? changeSetName;
    }

    /// <summary>The change set's state and how many resources it changes (every page of changes counted).</summary>
    public async Task<ChangeSet> DescribeChangeSetAsync(string stack, string changeSet, CancellationToken cancel = default)
    {
        var changes = 0;
        string? token = null;
        while (true)
        {
            var parameters = new List<KeyValuePair<string, string>> { new("StackName", stack), new("ChangeSetName", changeSet) };
            if (token is not null)
            {
                parameters.Add(new("NextToken", token));
            }
            var result = await _protocol.CallAsync("DescribeChangeSet", parameters, cancel).ConfigureAwait(false);
            changes += result.Members("Changes").Count();
            token = result.Child("NextToken");
            if (string.IsNullOrEmpty(token))
            {
                return new ChangeSet(result.Child("Status") ?? "", result.Child("StatusReason"), changes);
            }
        }
    }

    public Task ExecuteChangeSetAsync(string stack, string changeSet, CancellationToken cancel = default) =>
        _protocol.CallAsync("ExecuteChangeSet", [new("StackName", stack), new("ChangeSetName", changeSet)], cancel);

    public Task DeleteChangeSetAsync(string stack, string changeSet, CancellationToken cancel = default) =>
        _protocol.CallAsync("DeleteChangeSet", [new("StackName", stack), new("ChangeSetName", changeSet)], cancel);

    public Task DeleteStackAsync(string stack, CancellationToken cancel = default) =>
        _protocol.CallAsync("DeleteStack", [new("StackName", stack)], cancel);

    /// <summary>The stack's events, newest first: one page (about 100 events).</summary>
    public async Task<IReadOnlyList<StackEvent>> DescribeStackEventsAsync(string stack, CancellationToken cancel = default)
    {
        var result = await _protocol.CallAsync("DescribeStackEvents", [new("StackName", stack)], cancel).ConfigureAwait(false);
        return [.. result.Members("StackEvents").Select(e => new StackEvent(
            e.Child("EventId") ?? "",
            DateTimeOffset.TryParse(e.Child("Timestamp"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : DateTimeOffset.MinValue,
            e.Child("LogicalResourceId") ?? "", e.Child("ResourceType") ?? "", e.Child("ResourceStatus") ?? "", e.Child("ResourceStatusReason")))];
    }
}
