using System.Text.Json;
using System.Text.Json.Nodes;
using ServerlessFargate.Aws.Clients;

namespace ServerlessFargate.Aws.Operations;

/// <summary>
/// Which stacks <c>deploy</c> and <c>remove</c> may change: those sls-fargate made, never one the
/// Serverless Framework, another tool or a person made under the same name (SPEC §5). A stack
/// is ours when it carries our mark, or (stacks deployed before the mark existed) when every
/// resource in it is one this configuration's template holds, so that nothing outside the
/// configuration is deleted.
/// </summary>
public static class StackOwnership
{
    /// <summary>The stack tag <c>deploy</c> puts on the stacks it creates (CloudFormation copies it to the resources that take tags).</summary>
    public const string TagKey = "sls-fargate:deployed-by";

    public const string TagValue = "sls-fargate";

    /// <summary>The template-level <c>Metadata</c> key <c>deploy</c> adds to every template it deploys.</summary>
    public const string MetadataKey = "SlsFargate";

    /// <summary>The template as <c>deploy</c> sends it: the packaged one, marked in its metadata.</summary>
    public static string Mark(string template)
    {
        var json = JsonNode.Parse(template)!.AsObject();
        var metadata = json["Metadata"] as JsonObject ?? [];
        metadata[MetadataKey] = new JsonObject { ["DeployedBy"] = TagValue };
        json["Metadata"] = metadata;
        return Diagnostics.JsonText.Write(json);
    }

    /// <summary>Whether a deployed template (its body as GetTemplate gives it; JSON or YAML) carries the mark.</summary>
    public static bool IsMarked(string deployedTemplate)
    {
        // Our mark is only ever written as JSON; a YAML body was not deployed by us.
        try
        {
            return JsonNode.Parse(deployedTemplate, documentOptions: new JsonDocumentOptions { MaxDepth = 256 }) is JsonObject json
                && json["Metadata"] is JsonObject metadata && metadata[MetadataKey] is JsonObject mark
                && mark["DeployedBy"] is JsonValue by && by.TryGetValue<string>(out var value) && value == TagValue;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>
    /// Null when the stack is ours; otherwise the one-line reason it is refused, naming what
    /// would be deleted. <paramref name="proposed"/> holds the logical IDs the configuration
    /// makes; <paramref name="changeSets"/> the names of the stack's change sets when it is in
    /// REVIEW_IN_PROGRESS (empty otherwise); <paramref name="verb"/> is what the command would
    /// do ("deploying over it", "removing it").
    /// </summary>
    public static string? Refusal(Stack stack, string deployedTemplate, IReadOnlyList<StackResource> resources, IReadOnlyList<string> changeSets,
        IReadOnlySet<string> proposed, string verb)
    {
        // The framework's deployment bucket is in every stack it made: such a stack is its own,
        // whatever marks someone copied into it.
        var framework = resources.Any(r => r.LogicalId == "ServerlessDeploymentBucket");
        var marked = stack.Tags.TryGetValue(TagKey, out var tag) && tag == TagValue || IsMarked(deployedTemplate);
        if (marked && !framework)
        {
            return null;
        }
        // An empty stack in REVIEW_IN_PROGRESS waits for whoever made its CREATE change set (a
        // `sam deploy` or `cdk deploy` asking its user): it is ours only if that was us.
        var theirs = changeSets.Where(name => !name.StartsWith(ChangeSetPrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        if (theirs.Count > 0)
        {
            return $"the stack {stack.Name} is {stack.Status} and waits for the change set {string.Join(", ", theirs)}, which sls-fargate did not make " +
                $"(another tool is about to create it); {verb} would take it from that tool. Nothing was changed";
        }
        var foreign = resources.Where(r => !proposed.Contains(r.LogicalId)).Select(r => r.LogicalId).Order(StringComparer.Ordinal).ToList();
        if (foreign.Count == 0)
        {
            return null;
        }
        var hint = framework ? "; it looks made by the Serverless Framework: use serverless deploy and serverless remove" : "";
        var listed = string.Join(", ", foreign.Take(5)) + (foreign.Count > 5 ? $" and {foreign.Count - 5} more" : "");
        return $"the stack {stack.Name} was not made by sls-fargate (it has no {TagKey} tag), and {verb} would delete {foreign.Count} " +
            $"resource{(foreign.Count == 1 ? "" : "s")} this configuration does not hold: {listed}{hint}. Nothing was changed";
    }

    /// <summary>How sls-fargate names its change sets (followed by a UTC time stamp).</summary>
    public const string ChangeSetPrefix = "sls-fargate-";
}
