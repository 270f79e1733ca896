using System.Text.Json.Nodes;

using ServerlessFargate.Variables;

namespace ServerlessFargate.Model;

/// <summary>
/// When merging into the framework's template, an image the framework builds (<c>path:</c>) is
/// already pushed, and a function that uses the same image carries its URI with digest in
/// <c>Code.ImageUri</c>. Tasks then use that URI, and the template needs no parameter for it.
/// </summary>
public static class ImageBinding
{
    public static ServiceModel BindFromTemplate(ServiceModel model, IReadOnlyDictionary<string, string> functionImages, JsonObject template)
    {
        var uris = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var parameter in model.ImageParameters)
        {
            if (functionImages.TryGetValue(parameter.ImageName, out var function)
                && template["Resources"]?[LogicalIds.LambdaFunction(function)]?["Properties"]?["Code"]?["ImageUri"] is JsonValue value
                && value.TryGetValue<string>(out var uri))
            {
                uris[parameter.LogicalId] = uri;
            }
        }
        if (uris.Count == 0)
        {
            return model;
        }
        return model with
        {
            ImageParameters = [.. model.ImageParameters.Where(p => !uris.ContainsKey(p.LogicalId))],
            Tasks = [.. model.Tasks.Select(task => task.Image is TaskImage.Parameter p && uris.TryGetValue(p.Image.LogicalId, out var uri)
                ? task with { Image = new TaskImage.Uri(uri) }
                : task)],
        };
    }
}
