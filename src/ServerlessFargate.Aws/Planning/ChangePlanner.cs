using System.Text.Json.Nodes;

namespace ServerlessFargate.Aws.Planning;

/// <summary>
/// What a deploy will do, per resource: from the deployed and the proposed template, the resource
/// schemas' create-only properties (resource-replacement.json) and, when one was made,
/// CloudFormation's change set, which has the last word. Makes no AWS calls.
/// </summary>
public static class ChangePlanner
{
    /// <param name="deployed">The stack's current template (null when there is no stack, or when its body is not JSON).</param>
    /// <param name="proposed">The template about to be deployed.</param>
    /// <param name="changeSet">CloudFormation's view when a change set was made (null otherwise).</param>
    public static Plan Build(string stack, bool exists, JsonObject? deployed, JsonObject proposed, IReadOnlyList<ChangeSetEntry>? changeSet)
    {
        var next = TemplateResource.ReadAll(proposed, out _) ?? [];
        if (!exists)
        {
            return new Plan(stack, false, Sort(next.Values.Select(r => new PlannedChange(r.LogicalId, r.Type ?? "", PlanWords.Add, PlanWords.Never, [], [], []))));
        }
        var previous = TemplateResource.ReadAll(deployed, out var problem);
        var entries = changeSet is null ? null : Merge(changeSet);
        if (previous is null && entries is null)
        {
            var why = $"the deployed template could not be read ({problem ?? "its body is not JSON"}) and no change set was made: whether and how this resource changes is unknown";
            return new Plan(stack, true, Sort(next.Values.Select(r =>
                new PlannedChange(r.LogicalId, r.Type ?? "", PlanWords.Modify, PlanWords.Unknown, [], [], [why]))));
        }
        return new Plan(stack, true, Sort(Propagate(ReplacementData.Shipped, previous, next, entries, problem)));
    }

    /// <summary>
    /// Plans every resource, then again with the replaced ones known, until nothing new is
    /// replaced: a replaced resource gets a new physical ID, so every value that refers to it
    /// changes, and that change may replace the next resource. Each round replaces at least one
    /// more resource (or upgrades "conditional" to "always"), so the rounds are bounded by twice
    /// the resource count.
    /// </summary>
    private static List<PlannedChange> Propagate(ReplacementData data, Dictionary<string, TemplateResource>? previous,
        Dictionary<string, TemplateResource> next, Dictionary<string, ChangeSetEntry>? entries, string? problem)
    {
        var diff = previous is null ? null : new ResourceDiff(data, previous, next);
        IEnumerable<string> none = [];
        var ids = (previous?.Keys ?? none).Union(next.Keys).Union(entries?.Keys ?? none).Order(StringComparer.Ordinal).ToList();
        var risks = new ChangeRisks(data, problem);
        var replaced = new Dictionary<string, string>(StringComparer.Ordinal);
        var changes = new List<PlannedChange>();
        for (var round = 0; round <= 2 * ids.Count + 1; round++)
        {
            changes.Clear();
            foreach (var id in ids)
            {
                var assessment = Assess(id, diff, entries, replaced, next);
                if (assessment is not null)
                {
                    changes.Add(risks.Weigh(id, assessment, previous?.GetValueOrDefault(id), next.GetValueOrDefault(id), entries?.GetValueOrDefault(id)));
                }
            }
            var now = changes.Where(c => c.Action == PlanWords.Replace).ToDictionary(c => c.LogicalId, c => c.Replacement, StringComparer.Ordinal);
            if (now.Count == replaced.Count && now.All(r => replaced.GetValueOrDefault(r.Key) == r.Value))
            {
                break;
            }
            replaced = now;
        }
        return changes;
    }

    /// <summary>
    /// With a change set, its entries decide which resources change: one the templates' diff
    /// shows but CloudFormation does not list does not change (a value that resolves the same);
    /// one CloudFormation lists that the diff does not show changes (a Dynamic reference, a
    /// parameter). Where CloudFormation says whether it replaces, that wins over the schemas.
    /// </summary>
    private static Assessment? Assess(string id, ResourceDiff? diff, Dictionary<string, ChangeSetEntry>? entries,
        IReadOnlyDictionary<string, string> replaced, Dictionary<string, TemplateResource> next)
    {
        var fromDiff = diff?.Assess(id, replaced);
        if (entries is null)
        {
            return fromDiff;
        }
        if (!entries.TryGetValue(id, out var entry))
        {
            return null;
        }
        var type = entry.Type is { Length: > 0 } ? entry.Type : fromDiff?.Type ?? next.GetValueOrDefault(id)?.Type ?? "";
        var properties = (fromDiff?.Properties ?? []).Union(entry.Properties.Order(StringComparer.Ordinal), StringComparer.Ordinal).ToList();
        var reasons = (fromDiff?.Reasons ?? []).ToList();
        switch (entry.Action)
        {
            case "Add":
                return new(type, PlanWords.Add, PlanWords.Never, properties, reasons);
            case "Import":
                return new(type, PlanWords.Add, PlanWords.Never, properties, [.. reasons, "imported: an existing resource joins the stack as it is"]);
            case "Remove":
                return new(type, PlanWords.Remove, PlanWords.Never, properties, reasons);
        }
        var diffSaw = fromDiff is { Action: PlanWords.Modify or PlanWords.Replace };
        if (!diffSaw)
        {
            reasons.Add(entry.Action == "Dynamic"
                ? "CloudFormation lists a Dynamic change: a value it resolves during the deploy may change"
                : "CloudFormation lists a change the templates do not show (a parameter or a resolved value)");
        }
        var replacement = entry.Replacement switch
        {
            "True" => PlanWords.Always,
            "False" => PlanWords.Never,
            "Conditional" => PlanWords.Conditional,
            _ => diffSaw ? fromDiff!.Replacement : PlanWords.Unknown,
        };
        if (entry.Replacement is "True" or "False" or "Conditional")
        {
            reasons.Add($"CloudFormation's change set decides: Replacement {entry.Replacement}" +
                (diffSaw && fromDiff!.Replacement != replacement ? $" (the resource schema alone says {fromDiff.Replacement})" : ""));
        }
        else if (!diffSaw)
        {
            reasons.Add("CloudFormation did not say whether it replaces the resource; treat it as possibly replaced");
        }
        var action = replacement is PlanWords.Always or PlanWords.Conditional ? PlanWords.Replace : PlanWords.Modify;
        return new(type, action, replacement, properties, reasons, fromDiff?.TypeChanged ?? false);
    }

    /// <summary>One entry per logical ID; CloudFormation lists each once, but the parsed input is not ours to trust.</summary>
    private static Dictionary<string, ChangeSetEntry> Merge(IReadOnlyList<ChangeSetEntry> changeSet) =>
        changeSet.GroupBy(e => e.LogicalId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Aggregate((a, b) => a with
        {
            Type = a.Type is { Length: > 0 } ? a.Type : b.Type,
            Replacement = ReplacementRank(a.Replacement) >= ReplacementRank(b.Replacement) ? a.Replacement : b.Replacement,
            Properties = [.. a.Properties.Union(b.Properties, StringComparer.Ordinal)],
        }), StringComparer.Ordinal);

    private static int ReplacementRank(string? replacement) => replacement switch
    {
        "True" => 3,
        "Conditional" => 2,
        "False" => 1,
        _ => 0,
    };

    /// <summary>
    /// Removals first, then replacements, modifications, additions: what a deploy deletes cannot
    /// be undone and must not scroll out of sight below a long list of additions. Within an
    /// action, by logical ID.
    /// </summary>
    private static List<PlannedChange> Sort(IEnumerable<PlannedChange> changes) =>
        [.. changes.OrderBy(c => c.Action switch
        {
            PlanWords.Remove => 0,
            PlanWords.Replace => 1,
            PlanWords.Modify => 2,
            _ => 3,
        }).ThenBy(c => c.LogicalId, StringComparer.Ordinal)];
}
