namespace ServerlessFargate.Aws.Planning;

/// <summary>
/// The risks of a change: <c>data-loss</c> (a stateful resource deleted, with nothing that keeps
/// it), <c>downtime</c> (a resource that serves traffic replaced), <c>update-fails</c> (a
/// replacement CloudFormation cannot make). Each risk, and each policy that averts one, is
/// named in the reasons.
/// </summary>
/// <param name="problem">Why the deployed template could not be read, when it could not.</param>
internal sealed class ChangeRisks(ReplacementData data, string? problem)
{
    public PlannedChange Weigh(string id, Assessment change, TemplateResource? old, TemplateResource? now, ChangeSetEntry? entry)
    {
        var risks = new SortedSet<string>(Comparer<string>.Create((a, b) => Order(a).CompareTo(Order(b))));
        var reasons = change.Reasons.ToList();
        if (change.TypeChanged)
        {
            risks.Add(PlanWords.UpdateFails);
        }
        else if (change.Action == PlanWords.Remove)
        {
            Removal(change.Type, old, risks, reasons);
        }
        else if (change.Action == PlanWords.Replace)
        {
            Replacement(change, old, now, entry, risks, reasons);
        }
        return new PlannedChange(id, change.Type, change.Action, change.Replacement, change.Properties, [.. risks], [.. reasons.Distinct(StringComparer.Ordinal)]);
    }

    private static int Order(string risk) => risk switch
    {
        PlanWords.DataLoss => 0,
        PlanWords.Downtime => 1,
        _ => 2,
    };

    private void Removal(string type, TemplateResource? old, SortedSet<string> risks, List<string> reasons)
    {
        if (!data.Stateful.TryGetValue(type, out var stateful) || !stateful.AppliesTo(old))
        {
            return;
        }
        if (old is null)
        {
            risks.Add(PlanWords.DataLoss);
            reasons.Add($"removing deletes it unless its DeletionPolicy keeps it, and the deployed template could not be read ({problem ?? "its body is not JSON"}) to tell: {stateful.Reason}");
            return;
        }
        var policy = TemplateResource.Text(old.DeletionPolicy);
        if (policy is "Retain" or "RetainExceptOnCreate" or "Snapshot")
        {
            reasons.Add(policy == "Snapshot"
                ? "DeletionPolicy: Snapshot keeps its data: CloudFormation takes a snapshot before deleting it"
                : $"DeletionPolicy: {policy} keeps it: CloudFormation removes it from the stack without deleting it");
            return;
        }
        if (old.DeletionPolicy is null && data.DefaultDeletion.TryGetValue(type, out var fallback))
        {
            reasons.Add($"with no DeletionPolicy, CloudFormation applies {fallback} to a {type}: it takes a snapshot before deleting it");
            return;
        }
        risks.Add(PlanWords.DataLoss);
        reasons.Add($"removing deletes it: {stateful.Reason}; to keep it, deploy it with DeletionPolicy: Retain first, then remove it");
    }

    private void Replacement(Assessment change, TemplateResource? old, TemplateResource? now, ChangeSetEntry? entry, SortedSet<string> risks, List<string> reasons)
    {
        var type = change.Type;
        var may = change.Replacement == PlanWords.Conditional ? "if CloudFormation replaces it, " : "";
        if (data.Benign.TryGetValue(type, out var benign))
        {
            reasons.Add(benign.Reason);
            return;
        }
        if (data.Stateful.TryGetValue(type, out var stateful) && stateful.AppliesTo(old))
        {
            var policy = TemplateResource.Text(now?.UpdateReplacePolicy);
            if (policy is "Retain" or "Snapshot")
            {
                reasons.Add($"{may}UpdateReplacePolicy: {policy} keeps the old one" + (policy == "Snapshot" ? " as a snapshot" : ", outside the stack"));
            }
            else
            {
                risks.Add(PlanWords.DataLoss);
                reasons.Add($"{may}a new, empty {type} takes its place and the old one is deleted: {stateful.Reason}; set UpdateReplacePolicy: Retain to keep the old one");
            }
        }
        if (data.Downtime.TryGetValue(type, out var downtime))
        {
            risks.Add(PlanWords.Downtime);
            reasons.Add(may + downtime.Reason);
        }
        if (data.Rules(type)?.NameProperty is { } name && now is not null)
        {
            Name(type, name, may, old, now, entry, risks, reasons);
        }
    }

    /// <summary>
    /// CloudFormation creates the new resource before it deletes the old one, so a custom name
    /// that stays the same is taken: "CloudFormation cannot update a stack when a custom-named
    /// resource requires replacing". A new name (or none, so CloudFormation generates one) works.
    /// </summary>
    private static void Name(string type, string name, string may, TemplateResource? old, TemplateResource now, ChangeSetEntry? entry,
        SortedSet<string> risks, List<string> reasons)
    {
        var after = now.Properties[name];
        // Without the deployed template, the change set tells whether the name changed.
        var same = old is not null
            ? old.Properties.ContainsKey(name) && after is not null && JsonTree.Compare(old.Properties[name], after) == Sameness.Same
            : after is not null && entry is not null && !entry.Properties.Contains(name, StringComparer.Ordinal);
        if (same)
        {
            risks.Add(PlanWords.UpdateFails);
            reasons.Add($"{may}the update fails: {name} stays {JsonTree.Brief(after)}, and CloudFormation cannot update a stack when a custom-named resource requires replacing; " +
                $"change {name} (or remove it, so CloudFormation generates one) in the same deploy");
        }
        else if (type == "AWS::ECS::Service" && after is not null)
        {
            reasons.Add($"a changed ServiceName creates a new service, {JsonTree.Brief(after)}, and deletes the old one");
        }
        else if (after is not null)
        {
            reasons.Add($"{name} becomes {JsonTree.Brief(after)}, so the new resource takes the new name and the replacement can succeed");
        }
        else if (old?.Properties.ContainsKey(name) == true)
        {
            reasons.Add($"{name} is removed, so CloudFormation generates a name for the new resource");
        }
    }
}
