namespace ServerlessFargate.Aws.Planning;

/// <summary>
/// What a deploy does to one resource. Action: "add", "modify", "remove" or "replace".
/// Replacement: "always", "conditional", "never" or "unknown" (an added or removed resource is
/// "never": nothing is replaced). Risks: any of "data-loss", "downtime", "update-fails", in that order.
/// </summary>
public sealed record PlannedChange(string LogicalId, string Type, string Action, string Replacement,
    IReadOnlyList<string> Properties, IReadOnlyList<string> Risks, IReadOnlyList<string> Reasons);

/// <summary>Every resource a deploy of <see cref="Stack"/> adds, changes or deletes, most destructive first.</summary>
public sealed record Plan(string Stack, bool Exists, IReadOnlyList<PlannedChange> Changes)
{
    /// <summary>
    /// True when anything is removed, any change carries a risk, or a resource changes in a way
    /// nobody could tell (replacement unknown: a type without data, a custom resource, a template
    /// that could not be read), which is never taken for safe: deploy then asks (or needs --yes).
    /// </summary>
    public bool NeedsConfirmation => Changes.Any(c => c.Action == PlanWords.Remove || c.Risks.Count > 0
        || (c.Replacement == PlanWords.Unknown && c.Action != PlanWords.Add));

    /// <summary>The changes that make <see cref="NeedsConfirmation"/> true for want of knowledge alone.</summary>
    public IEnumerable<PlannedChange> Unknown => Changes.Where(c => c.Replacement == PlanWords.Unknown && c.Action != PlanWords.Add);
}

/// <summary>One resource change as CloudFormation's DescribeChangeSet reports it.</summary>
/// <param name="Action">Add, Modify, Remove, Dynamic or Import.</param>
/// <param name="Replacement">"True", "False", "Conditional", or null when the service gave none (moto gives none).</param>
/// <param name="Properties">Top-level property names from the details whose Target.Attribute is Properties.</param>
public sealed record ChangeSetEntry(string LogicalId, string Type, string Action, string? Replacement, IReadOnlyList<string> Properties);

/// <summary>The words a plan is made of; the JSON output and the other commands read them.</summary>
internal static class PlanWords
{
    public const string Add = "add";
    public const string Modify = "modify";
    public const string Remove = "remove";
    public const string Replace = "replace";

    public const string Always = "always";
    public const string Conditional = "conditional";
    public const string Never = "never";
    public const string Unknown = "unknown";

    public const string DataLoss = "data-loss";
    public const string Downtime = "downtime";
    public const string UpdateFails = "update-fails";
}
