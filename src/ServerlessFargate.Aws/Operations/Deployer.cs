using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ServerlessFargate.Aws.Planning;
using ServerlessFargate.CloudFormation;
using ServerlessFargate.Aws.Clients;

namespace ServerlessFargate.Aws.Operations;

/// <summary>How <c>deploy</c>, <c>remove</c> and <c>plan</c> wait, and how they ask before they destroy.</summary>
public sealed record DeploySettings(string? Bucket)
{
    /// <summary>How often a wait for CloudFormation looks again (the session may set a pace for all).</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(3);

    /// <summary>CloudFormation's own limit for a stack operation is far longer; this stops a wait that will not end.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromHours(2);

    /// <summary>--yes: what needs confirming is confirmed (never what ownership forbids).</summary>
    public bool Yes { get; init; }

    /// <summary>Asks a question on the terminal and gives the answer (Ctrl-C cancels the question); null when there is no terminal to ask on.</summary>
    public Func<string, CancellationToken, Task<string?>>? Ask { get; init; }

    /// <summary>--termination-protection: turn CloudFormation's protection on after the deploy.</summary>
    public bool TerminationProtection { get; init; }

    /// <summary>--continue-rollback: roll a stack in UPDATE_ROLLBACK_FAILED back first, then deploy.</summary>
    public bool ContinueRollback { get; init; }

    /// <summary>Whether the plan may be printed in colour (standard error is a terminal).</summary>
    public bool Colour { get; init; }
}

/// <summary>What <c>plan</c> found: the plan, and notes on how it was made (what CloudFormation could not be asked).</summary>
public sealed record PlanResult(Plan Plan, IReadOnlyList<string> Notes);

/// <summary>
/// Deploys a packaged template as the framework does, for services that do not use it: a change
/// set, shown as a plan, confirmed where it destroys or risks something, executed, with the
/// stack's events (and its ECS services' events) printed as they come and the outputs at the
/// end. Removes a stack the same way. Only stacks sls-fargate made are changed (<see cref="StackOwnership"/>).
/// </summary>
public sealed class Deployer(AwsSession session, TextWriter output, TextWriter messages)
{
    private readonly CloudFormationClient _cloudFormation = new(session);

    /// <summary>
    /// The plan for deploying <paramref name="template"/> to the stack, changing nothing: for a
    /// stack that exists, CloudFormation's own view comes from a change set that is deleted again.
    /// </summary>
    public async Task<PlanResult> PlanAsync(string stackName, string template, DeploySettings settings, CancellationToken cancel)
    {
        var proposed = ParseTemplate(template)!;
        var stack = await _cloudFormation.DescribeStackAsync(stackName, cancel).ConfigureAwait(false);
        if (stack is null or { Status: "REVIEW_IN_PROGRESS" or "DELETE_COMPLETE" })
        {
            return new PlanResult(ChangePlanner.Build(stackName, false, null, proposed, null), []);
        }
        if (stack.Status is "ROLLBACK_COMPLETE" or "ROLLBACK_FAILED")
        {
            return new PlanResult(ChangePlanner.Build(stackName, false, null, proposed, null),
                [$"the stack is {stack.Status} after a failed first create: deploy deletes it and creates it again"]);
        }
        var deployed = ParseTemplate(await _cloudFormation.GetTemplateAsync(stack.Reference, cancel).ConfigureAwait(false));
        if (!stack.IsSettled || stack.Status is "UPDATE_ROLLBACK_FAILED" or "DELETE_FAILED")
        {
            // CloudFormation makes no change set for a stack in these states.
            return new PlanResult(ChangePlanner.Build(stackName, true, deployed, proposed, null),
                [$"the stack is {stack.Status}: the plan compares the templates only, without CloudFormation's view" +
                    (stack.Status == "UPDATE_ROLLBACK_FAILED" ? " (deploy --continue-rollback finishes the rollback first)" : "")]);
        }
        if (Size(template) > StackLimits.InlineBodyBytes && settings.Bucket is null)
        {
            return new PlanResult(ChangePlanner.Build(stackName, true, deployed, proposed, null),
                [$"the template is {Size(template):N0} bytes, over the {StackLimits.InlineBodyBytes:N0} CloudFormation takes inline: the plan compares the templates only (--bucket lets CloudFormation give its view)"]);
        }
        var prepared = await PrepareChangeSetAsync(stack, stackName, template, create: false, settings, cancel).ConfigureAwait(false);
        await DiscardAsync(stack.Reference, prepared.Id, stackMadeForIt: false).ConfigureAwait(false);
        return prepared.Status == "FAILED"
            ? new PlanResult(ChangePlanner.Build(stackName, true, deployed, proposed, []), [NoChanges(prepared) ? "CloudFormation finds no changes" : $"CloudFormation cannot make this change: {prepared.StatusReason}"])
            : new PlanResult(ChangePlanner.Build(stackName, true, deployed, proposed, prepared.Changes), []);
    }

    /// <summary>Creates or updates the stack; an <see cref="OperationException"/> when it cannot or may not.</summary>
    public async Task DeployAsync(string stackName, string packaged, DeploySettings settings, CancellationToken cancel)
    {
        var template = StackOwnership.Mark(packaged);
        var proposed = ParseTemplate(template)!;
        var stack = await _cloudFormation.DescribeStackAsync(stackName, cancel).ConfigureAwait(false);
        if (stack is { Status: "DELETE_COMPLETE" })
        {
            stack = null;
        }
        JsonObject? deployed = null;
        var recreate = false;
        if (stack is not null)
        {
            if (stack is { IsSettled: false, Status: not "REVIEW_IN_PROGRESS" })
            {
                throw new OperationException($"the stack {stackName} is busy ({stack.Status}); wait for that operation to finish");
            }
            var resources = await _cloudFormation.ListStackResourcesAsync(stack.Reference, cancel).ConfigureAwait(false);
            var body = stack.Status == "REVIEW_IN_PROGRESS" ? "" : await _cloudFormation.GetTemplateAsync(stack.Reference, cancel).ConfigureAwait(false);
            var changeSets = stack.Status == "REVIEW_IN_PROGRESS" ? await _cloudFormation.ListChangeSetsAsync(stack.Reference, cancel).ConfigureAwait(false) : [];
            if (StackOwnership.Refusal(stack, body, resources, changeSets, ResourceIds(proposed), "deploying over it") is { } refusal)
            {
                throw new OperationException(refusal);
            }
            switch (stack.Status)
            {
                case "UPDATE_ROLLBACK_FAILED" when settings.ContinueRollback:
                    stack = await ContinueRollbackAsync(stack, settings, cancel).ConfigureAwait(false);
                    body = await _cloudFormation.GetTemplateAsync(stack.Reference, cancel).ConfigureAwait(false);
                    break;
                case "UPDATE_ROLLBACK_FAILED":
                    throw new OperationException(RollbackFailed(stack, resources));
                case "DELETE_FAILED":
                    throw new OperationException(DeleteFailed(stack, resources));
                case "ROLLBACK_COMPLETE" or "ROLLBACK_FAILED":
                    recreate = true;
                    break;
            }
            if (!recreate && stack.Status != "REVIEW_IN_PROGRESS" && body == template)
            {
                messages.WriteLine($"No changes: the stack {stackName} already runs this template.");
                await ProtectAsync(stack, settings, cancel).ConfigureAwait(false);
                PrintOutputs(stack);
                return;
            }
            deployed = recreate ? null : ParseTemplate(body);
        }

        if (recreate)
        {
            // A failed first create cannot be updated: it is deleted and created again. The plan
            // is every resource added; the deletion is what is confirmed.
            var plan = ChangePlanner.Build(stackName, false, null, proposed, null);
            // The plan escapes what came from templates itself; its colour must reach the terminal.
            EscapingWriter.WriteTrusted(messages, PlanFormatter.Text(plan, settings.Colour));
            messages.WriteLine($"The stack {stackName} is {stack!.Status} after a failed first create: it is deleted and created again.");
            await ConfirmAsync(settings, plan, recreate: true, cancel).ConfigureAwait(false);
            await DeleteAndWaitAsync(stack, settings, cancel).ConfigureAwait(false);
            stack = null;
        }

        var create = stack is null || stack.Status == "REVIEW_IN_PROGRESS";
        var madeByUs = stack is null;
        var changeSet = await PrepareChangeSetAsync(stack, stackName, template, create, settings, cancel).ConfigureAwait(false);
        var reference = stack?.Reference ?? stackName;
        if (changeSet.Status == "FAILED")
        {
            await DiscardAsync(reference, changeSet.Id, madeByUs).ConfigureAwait(false);
            if (NoChanges(changeSet))
            {
                messages.WriteLine($"No changes: the stack {stackName} already holds what this template describes.");
                if (stack is not null)
                {
                    await ProtectAsync(stack, settings, cancel).ConfigureAwait(false);
                }
                return;
            }
            throw new OperationException($"CloudFormation could not prepare the change: {changeSet.StatusReason ?? "no reason given"}; nothing was changed");
        }
        var planned = ChangePlanner.Build(stackName, !create, deployed, proposed, changeSet.Changes);
        var follower = new StackFollower(session, messages, settings);
        HashSet<string> earlier;
        try
        {
            if (!recreate)
            {
                EscapingWriter.WriteTrusted(messages, PlanFormatter.Text(planned, settings.Colour));
                await ConfirmAsync(settings, planned, recreate: false, cancel).ConfigureAwait(false);
            }
            earlier = create ? [] : await follower.EventIdsAsync(stackName, cancel).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationException or AwsException || (ex is OperationCanceledException && cancel.IsCancellationRequested))
        {
            // Declined, unconfirmed, interrupted or failed before the change set ran: it goes,
            // and so does a stack this deploy made for it, so nothing is left behind.
            await DiscardAsync(reference, changeSet.Id, madeByUs).ConfigureAwait(false);
            if (ex is OperationCanceledException)
            {
                throw new OperationInterruptedException("interrupted before the change set ran; it was deleted and nothing was changed");
            }
            throw;
        }
        messages.WriteLine($"{(create ? "Creating" : "Updating")} the stack {stackName} in {session.Region}");
        var doing = $"{(create ? "creating" : "updating")} the stack {stackName}";
        try
        {
            await _cloudFormation.ExecuteChangeSetAsync(stackName, changeSet.Id, NewToken(), cancel).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            await InterruptedWhileExecutingAsync(reference, changeSet.Id, madeByUs, doing).ConfigureAwait(false);
        }
        // Every service of the template is watched: a new task definition revision rolls each
        // service that uses it, whether or not the change set lists the service itself.
        var services = ((proposed["Resources"] as JsonObject) ?? [])
            .Where(r => r.Value is JsonObject resource && resource["Type"] is JsonValue type && type.TryGetValue<string>(out var t) && t == "AWS::ECS::Service")
            .Select(r => r.Key).ToList();
        var final = await follower.FollowAsync(stackName, earlier, planned.Changes.Count, services, doing, cancel).ConfigureAwait(false);
        if (final is not { Status: "CREATE_COMPLETE" or "UPDATE_COMPLETE" })
        {
            throw new OperationException($"the deploy of {stackName} failed ({final?.Status ?? "stack gone"}): {await follower.FirstFailureAsync(stackName, earlier, cancel).ConfigureAwait(false)}");
        }
        await ProtectAsync(final, settings, cancel).ConfigureAwait(false);
        messages.WriteLine($"Deployed {stackName} ({final.Status})");
        PrintOutputs(final);
    }

    /// <summary>Deletes the stack and waits until it is gone, after the user typed its name (or --yes); a stack that is not there is nothing to do.</summary>
    /// <param name="configured">The logical IDs the configuration's template holds (for stacks made before the mark existed).</param>
    public async Task RemoveAsync(string stackName, IReadOnlySet<string> configured, DeploySettings settings, CancellationToken cancel)
    {
        var stack = await _cloudFormation.DescribeStackAsync(stackName, cancel).ConfigureAwait(false);
        if (stack is null or { Status: "DELETE_COMPLETE" })
        {
            messages.WriteLine($"The stack {stackName} does not exist in {session.Region}; nothing to remove.");
            return;
        }
        if (stack is { IsSettled: false, Status: not "REVIEW_IN_PROGRESS" })
        {
            throw new OperationException($"the stack {stackName} is busy ({stack.Status}); wait for that operation to finish");
        }
        var resources = await _cloudFormation.ListStackResourcesAsync(stack.Reference, cancel).ConfigureAwait(false);
        var body = stack.Status == "REVIEW_IN_PROGRESS" ? "" : await _cloudFormation.GetTemplateAsync(stack.Reference, cancel).ConfigureAwait(false);
        var changeSets = stack.Status == "REVIEW_IN_PROGRESS" ? await _cloudFormation.ListChangeSetsAsync(stack.Reference, cancel).ConfigureAwait(false) : [];
        if (StackOwnership.Refusal(stack, body, resources, changeSets, configured, "removing it") is { } refusal)
        {
            throw new OperationException(refusal);
        }
        if (stack.TerminationProtection)
        {
            throw new OperationException($"the stack {stackName} has termination protection on; turn it off first " +
                $"(aws cloudformation update-termination-protection --no-enable-termination-protection --stack-name {stackName} --region {session.Region}), then remove it again");
        }
        if (!settings.Yes)
        {
            var what = $"the stack {stackName} and its {resources.Count} resource{(resources.Count == 1 ? "" : "s")}";
            if (settings.Ask is null)
            {
                throw new OperationException($"remove deletes {what}; confirm on a terminal (type the stack's name) or pass --yes. Nothing was removed", isUsage: true);
            }
            messages.WriteLine($"This deletes {what}:");
            foreach (var group in resources.GroupBy(r => r.Type).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                messages.WriteLine($"  {group.Key}: {string.Join(", ", group.Select(r => r.LogicalId).Order(StringComparer.Ordinal))}");
            }
            string? typed;
            try
            {
                typed = await settings.Ask($"Type the stack's name ({stackName}) to delete it: ", cancel).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
                throw new OperationInterruptedException("interrupted at the question; nothing was removed");
            }
            if (typed?.Trim() != stackName)
            {
                throw new OperationException("the name typed is not the stack's; nothing was removed", isUsage: true);
            }
        }
        messages.WriteLine($"Removing the stack {stackName} from {session.Region}");
        await DeleteAndWaitAsync(stack, settings, cancel).ConfigureAwait(false);
        messages.WriteLine($"Removed {stackName}");
    }

    private async Task DeleteAndWaitAsync(Stack stack, DeploySettings settings, CancellationToken cancel)
    {
        // Later lookups by name find nothing once the stack is gone; its id still answers.
        var id = stack.Reference;
        var follower = new StackFollower(session, messages, settings);
        var earlier = await follower.EventIdsAsync(id, cancel).ConfigureAwait(false);
        var count = (await _cloudFormation.ListStackResourcesAsync(id, cancel).ConfigureAwait(false)).Count;
        try
        {
            await _cloudFormation.DeleteStackAsync(id, NewToken(), cancel).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            await InterruptedWhileAskingAsync(id, $"deleting the stack {stack.Name}", "removed", s => s is null or { Status: "DELETE_IN_PROGRESS" or "DELETE_COMPLETE" })
                .ConfigureAwait(false);
        }
        var final = await follower.FollowAsync(id, earlier, count, [], $"deleting the stack {stack.Name}", cancel).ConfigureAwait(false);
        if (final is { Status: "DELETE_FAILED" })
        {
            throw new OperationException(DeleteFailed(final, await _cloudFormation.ListStackResourcesAsync(id, cancel).ConfigureAwait(false)));
        }
        if (final is not null and not { Status: "DELETE_COMPLETE" })
        {
            throw new OperationException($"the removal of {stack.Name} failed ({final.Status}): {await follower.FirstFailureAsync(id, earlier, cancel).ConfigureAwait(false)}");
        }
    }

    /// <summary>
    /// Ctrl-C while a stack write (DeleteStack, ContinueUpdateRollback) was on its way: CloudFormation
    /// may have begun. Ask it (with a short wait of our own), and say what goes on.
    /// </summary>
    private async Task InterruptedWhileAskingAsync(string stack, string doing, string nothingWas, Func<Stack?, bool> begun)
    {
        using var look = Cleanup.Token();
        Stack? current;
        try
        {
            current = await _cloudFormation.DescribeStackAsync(stack, look.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AwsException or OperationCanceledException)
        {
            throw new OperationInterruptedException($"interrupted while CloudFormation was asked to start {doing}; it may have begun, and then goes on to its end (sls-fargate status, or the CloudFormation console, shows how it ends)");
        }
        throw new OperationInterruptedException(begun(current)
            ? $"interrupted; CloudFormation goes on {doing} to its end (sls-fargate status, or the CloudFormation console, shows how it ends)"
            : $"interrupted before CloudFormation began {doing}; nothing was {nothingWas}");
    }

    /// <summary>
    /// Asks before a plan that removes or risks something is carried out: y/N on a terminal, --yes
    /// off one; declined or unconfirmed, an <see cref="OperationException"/> (the caller deletes
    /// its change set, so nothing is left behind).
    /// </summary>
    private static async Task ConfirmAsync(DeploySettings settings, Plan plan, bool recreate, CancellationToken cancel)
    {
        if (settings.Yes || !(plan.NeedsConfirmation || recreate))
        {
            return;
        }
        var why = recreate ? "deletes the failed stack" : Consequences(plan);
        if (settings.Ask is null)
        {
            throw new OperationException($"the plan {why}; confirm on a terminal or pass --yes. Nothing was deployed", isUsage: true);
        }
        var answer = (await settings.Ask($"The plan {why}. Deploy? [y/N] ", cancel).ConfigureAwait(false))?.Trim();
        if (answer is not ("y" or "Y" or "yes" or "Yes" or "YES"))
        {
            throw new OperationException("not confirmed; nothing was deployed", isUsage: true);
        }
    }

    /// <summary>What makes a plan need confirming, in a few words: "removes 2 resources and risks data-loss (OrdersTable)".</summary>
    private static string Consequences(Plan plan)
    {
        var parts = new List<string>();
        var removed = plan.Changes.Count(c => c.Action == "remove");
        if (removed > 0)
        {
            parts.Add($"removes {removed} resource{(removed == 1 ? "" : "s")}");
        }
        foreach (var risk in new[] { "data-loss", "downtime", "update-fails" })
        {
            // The question is printed as it is (it is ours), so the IDs in it are escaped here.
            var ids = plan.Changes.Where(c => c.Risks.Contains(risk)).Select(c => TerminalText.EscapeLine(c.LogicalId)).ToList();
            if (ids.Count > 0)
            {
                parts.Add($"risks {risk} ({string.Join(", ", ids)})");
            }
        }
        var unknown = plan.Unknown.Select(c => TerminalText.EscapeLine(c.LogicalId)).ToList();
        if (unknown.Count > 0)
        {
            parts.Add($"changes what may be replaced, for all anyone can tell ({string.Join(", ", unknown)})");
        }
        return string.Join(" and ", parts);
    }

    /// <summary>
    /// Ctrl-C while ExecuteChangeSet was on its way: CloudFormation may have started. Ask it, and
    /// say what goes on; a change set that did not run is deleted, so nothing is left behind.
    /// </summary>
    private async Task InterruptedWhileExecutingAsync(string stack, string changeSetId, bool stackMadeForIt, string doing)
    {
        ChangeSet? changeSet;
        using (var look = Cleanup.Token())
        {
            try
            {
                changeSet = await _cloudFormation.FindChangeSetAsync(stack, changeSetId, look.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is AwsException or OperationCanceledException)
            {
                throw new OperationInterruptedException($"interrupted while CloudFormation was asked to start {doing}; it may have started, and then goes on to its end (sls-fargate status, or the CloudFormation console, shows how it ends)");
            }
        }
        if (changeSet is { ExecutionStatus: "AVAILABLE" })
        {
            await DiscardAsync(stack, changeSetId, stackMadeForIt).ConfigureAwait(false);
            throw new OperationInterruptedException("interrupted before CloudFormation started the change set; it was deleted and nothing was changed");
        }
        throw new OperationInterruptedException($"interrupted; CloudFormation goes on {doing} to its end (sls-fargate status, or the CloudFormation console, shows how it ends)");
    }

    /// <summary>Deletes an unused change set and, when this deploy created the stack for it (REVIEW_IN_PROGRESS, empty), that stack too.</summary>
    /// <remarks>
    /// Tidying up never hides why it was needed: when it fails, it says so in a line and what to
    /// run by hand, and the original error or interruption goes on.
    /// </remarks>
    private async Task DiscardAsync(string stack, string changeSet, bool stackMadeForIt)
    {
        using var cleanup = Cleanup.Token();
        try
        {
            await _cloudFormation.DeleteChangeSetAsync(stack, changeSet, cleanup.Token).ConfigureAwait(false);
            if (stackMadeForIt && await _cloudFormation.DescribeStackAsync(stack, cleanup.Token).ConfigureAwait(false) is { Status: "REVIEW_IN_PROGRESS" } empty)
            {
                await _cloudFormation.DeleteStackAsync(empty.Reference, NewToken(), cleanup.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is AwsException or OperationCanceledException)
        {
            messages.WriteLine($"Could not delete the change set {changeSet} ({(ex is AwsException ? ex.Message : "no answer within " + Durations.Format(Cleanup.Limit))}); " +
                $"delete it with: aws cloudformation delete-change-set --stack-name {stack} --change-set-name {changeSet} --region {session.Region}");
        }
    }

    /// <summary>Creates a change set for the template (through S3 when it is large) and waits until CloudFormation has worked it out.</summary>
    private async Task<ChangeSet> PrepareChangeSetAsync(Stack? stack, string stackName, string template, bool create, DeploySettings settings, CancellationToken cancel)
    {
        string? templateUrl = null;
        var size = Size(template);
        if (size > StackLimits.InlineBodyBytes)
        {
            templateUrl = await UploadAsync(stackName, template, size, settings.Bucket, cancel).ConfigureAwait(false);
        }
        var name = StackOwnership.ChangeSetPrefix + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture);
        // A stack sls-fargate creates carries its mark as a tag; an existing stack keeps its tags.
        var tags = create ? new Dictionary<string, string> { [StackOwnership.TagKey] = StackOwnership.TagValue } : [];
        var reference = stack?.Reference ?? stackName;
        var id = name;
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromMinutes(30);
        try
        {
            // By name: moto, unlike CloudFormation, finds no stack by its id here.
            id = await _cloudFormation.CreateChangeSetAsync(stack?.Name ?? stackName, name, create, templateUrl is null ? template : null, templateUrl, tags, NewToken(), cancel)
                .ConfigureAwait(false);
            while (true)
            {
                var changeSet = await _cloudFormation.DescribeChangeSetAsync(reference, id, cancel).ConfigureAwait(false);
                if (changeSet.Status is "CREATE_COMPLETE" or "FAILED")
                {
                    return changeSet with { Id = id };
                }
                if (DateTimeOffset.UtcNow > deadline)
                {
                    throw new OperationException($"the change set for {stackName} was still {changeSet.Status} after 30m");
                }
                await Task.Delay(session.Pace(DeploySettings.PollInterval), cancel).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or AwsException or OperationException)
        {
            // Also when CreateChangeSet's own answer was lost or cut short: the change set may
            // exist all the same, and it is deleted by its name.
            await DiscardAsync(reference, id, stack is null).ConfigureAwait(false);
            if (ex is OperationCanceledException && cancel.IsCancellationRequested)
            {
                throw new OperationInterruptedException($"interrupted while CloudFormation prepared the change set; it was deleted and nothing was changed");
            }
            throw;
        }
    }

    private async Task<Stack> ContinueRollbackAsync(Stack stack, DeploySettings settings, CancellationToken cancel)
    {
        messages.WriteLine($"Continuing the rollback of {stack.Name}");
        var follower = new StackFollower(session, messages, settings);
        var earlier = await follower.EventIdsAsync(stack.Reference, cancel).ConfigureAwait(false);
        try
        {
            await _cloudFormation.ContinueUpdateRollbackAsync(stack.Reference, NewToken(), cancel).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            await InterruptedWhileAskingAsync(stack.Reference, $"rolling back the stack {stack.Name}", "changed",
                s => s is { Status: "UPDATE_ROLLBACK_IN_PROGRESS" or "UPDATE_ROLLBACK_COMPLETE" }).ConfigureAwait(false);
        }
        var final = await follower.FollowAsync(stack.Reference, earlier, 0, [], $"rolling back the stack {stack.Name}", cancel).ConfigureAwait(false);
        return final is { Status: "UPDATE_ROLLBACK_COMPLETE" }
            ? final
            : throw new OperationException($"the rollback of {stack.Name} did not complete ({final?.Status ?? "stack gone"}): {await follower.FirstFailureAsync(stack.Reference, earlier, cancel).ConfigureAwait(false)}");
    }

    private string RollbackFailed(Stack stack, IReadOnlyList<StackResource> resources)
    {
        var failed = resources.Where(r => r.Status.EndsWith("_FAILED", StringComparison.Ordinal)).Select(Failed).ToList();
        return $"the stack {stack.Name} is UPDATE_ROLLBACK_FAILED: CloudFormation could not roll back " +
            (failed.Count > 0 ? string.Join("; ", failed) : stack.StatusReason ?? "some resources") +
            $". Fix what stops them, then `sls-fargate deploy --continue-rollback` rolls back and deploys " +
            $"(or: aws cloudformation continue-update-rollback --stack-name {stack.Name} --region {session.Region})";
    }

    private static string DeleteFailed(Stack stack, IReadOnlyList<StackResource> resources)
    {
        var failed = resources.Where(r => r.Status == "DELETE_FAILED").Select(Failed).ToList();
        return $"the stack {stack.Name} is DELETE_FAILED: CloudFormation could not delete " +
            (failed.Count > 0 ? string.Join("; ", failed) : stack.StatusReason ?? "some resources") +
            ". Delete or empty them (an S3 bucket must be empty), then run sls-fargate remove again";
    }

    private static string Failed(StackResource r) => $"{r.LogicalId} ({r.Type}){(r.StatusReason is { Length: > 0 } why ? ": " + why.TrimEnd('.') : "")}";

    private static bool NoChanges(ChangeSet changeSet) =>
        changeSet.StatusReason is { } reason && (reason.Contains("didn't contain changes", StringComparison.Ordinal) || reason.Contains("No updates", StringComparison.Ordinal));

    /// <summary>--termination-protection: turned on once the stack is as the template says, also when nothing else changed.</summary>
    private async Task ProtectAsync(Stack stack, DeploySettings settings, CancellationToken cancel)
    {
        if (settings.TerminationProtection && !stack.TerminationProtection)
        {
            await _cloudFormation.UpdateTerminationProtectionAsync(stack.Reference, true, cancel).ConfigureAwait(false);
            messages.WriteLine($"Termination protection is on for {stack.Name}.");
        }
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
            throw new OperationException($"the template is {size:N0} bytes, over CloudFormation's {StackLimits.InlineBodyBytes:N0}-byte limit for templates sent inline: " +
                "name an S3 bucket to upload it to with --bucket");
        }
        var key = $"sls-fargate/{stackName}/{DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture)}/cloudformation-template.json";
        string url;
        try
        {
            var account = await new StsClient(session).AccountAsync(cancel).ConfigureAwait(false);
            url = await new S3Client(session).PutObjectAsync(bucket, key, template, "application/json", account, cancel).ConfigureAwait(false);
        }
        catch (AwsException ex)
        {
            throw new OperationException($"cannot upload the template to s3://{bucket}/{key}: {ex.Message}");
        }
        messages.WriteLine($"Uploaded the template ({size:N0} bytes) to s3://{bucket}/{key}");
        return url;
    }

    /// <summary>The logical IDs of a template's resources.</summary>
    public static IReadOnlySet<string> ResourceIds(JsonObject? template) =>
        template?["Resources"] is JsonObject resources ? resources.Select(r => r.Key).ToHashSet(StringComparer.Ordinal) : new HashSet<string>(StringComparer.Ordinal);

    /// <summary>A template body as JSON, or null when it is not JSON (a stack made from YAML).</summary>
    public static JsonObject? ParseTemplate(string body)
    {
        try
        {
            return JsonNode.Parse(body, documentOptions: new JsonDocumentOptions { MaxDepth = 256 }) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static int Size(string template) => System.Text.Encoding.UTF8.GetByteCount(template);

    /// <summary>A client token: one per write, reused by every retry of that write.</summary>
    private static string NewToken() => Guid.NewGuid().ToString("N");
}
