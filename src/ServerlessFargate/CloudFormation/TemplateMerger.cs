using System.Text.Json.Nodes;

namespace ServerlessFargate.CloudFormation;

/// <summary>
/// Adds our parameters, resources and outputs to an existing template (such as the Serverless
/// Framework's), leaving every other section and entry as it was. Collisions are checked before.
/// </summary>
public static class TemplateMerger
{
    /// <param name="exportPrefix">
    /// The framework gives every output of its stack the export name
    /// <c>sls-SERVICE-STAGE-OUTPUT</c> when it finalizes the template, which happens before we
    /// merge; we name ours the same way, so stacks that import the reference's exports keep working.
    /// </param>
    public static JsonObject Merge(JsonObject baseTemplate, Template template, string? exportPrefix)
    {
        Append(baseTemplate, "Parameters", template.Parameters.Count > 0 ? template.ParametersJson() : null);
        Append(baseTemplate, "Resources", template.ResourcesJson());
        var outputs = template.Outputs.Count > 0 ? template.OutputsJson() : null;
        if (outputs is not null && exportPrefix is not null)
        {
            foreach (var (id, output) in outputs)
            {
                output!["Export"] = new JsonObject { ["Name"] = exportPrefix + id };
            }
        }
        Append(baseTemplate, "Outputs", outputs);
        return baseTemplate;
    }

    /// <summary>
    /// Adds the service's own <c>resources</c> section to a standalone template, as the framework
    /// adds it to its own: entries of the template sections are appended, other keys
    /// (Description, Transform, Metadata) are taken when the template has none.
    /// </summary>
    public static void AddUserResources(JsonObject template, JsonObject resources)
    {
        foreach (var (key, value) in resources.ToList())
        {
            resources.Remove(key);
            if (key is "Parameters" or "Mappings" or "Conditions" or "Resources" or "Outputs" && value is JsonObject entries)
            {
                Append(template, key, entries);
            }
            else if (!template.ContainsKey(key))
            {
                template[key] = value;
            }
        }
    }

    private static void Append(JsonObject root, string section, JsonObject? additions)
    {
        if (additions is null)
        {
            return;
        }
        if (root[section] is not JsonObject target)
        {
            root[section] = target = [];
        }
        foreach (var (id, value) in additions.ToList())
        {
            additions.Remove(id);
            target[id] = value;
        }
    }
}
