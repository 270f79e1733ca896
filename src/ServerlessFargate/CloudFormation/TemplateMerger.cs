using System.Text.Json.Nodes;

namespace ServerlessFargate.CloudFormation;

/// <summary>
/// Adds our parameters, resources and outputs to an existing template (such as the Serverless
/// Framework's), leaving every other section and entry as it was. Collisions are checked before.
/// </summary>
public static class TemplateMerger
{
    public static JsonObject Merge(JsonObject baseTemplate, Template template)
    {
        Append(baseTemplate, "Parameters", template.Parameters.Count > 0 ? template.ParametersJson() : null);
        Append(baseTemplate, "Resources", template.ResourcesJson());
        Append(baseTemplate, "Outputs", template.Outputs.Count > 0 ? template.OutputsJson() : null);
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
