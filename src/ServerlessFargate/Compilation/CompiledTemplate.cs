using ServerlessFargate.CloudFormation;

namespace ServerlessFargate.Compilation;

/// <summary>Two parts of the compilation that produced the same logical ID; null is the shared resources.</summary>
public sealed record IdClash(string Id, string? FirstTask, string? SecondTask);

/// <summary>
/// The template the compiler made, with the task that made each logical ID. The logical-ID rules
/// read collisions from here, so they see exactly the IDs the compiler writes.
/// </summary>
public sealed class CompiledTemplate
{
    private readonly Dictionary<string, string?> _owners = new(StringComparer.Ordinal);
    private readonly List<IdClash> _clashes = [];

    public Template Template { get; }

    internal CompiledTemplate(Template template) => Template = template;

    /// <summary>Every ID in the template (parameters, resources, outputs) and the task key that made it, or null for shared ones.</summary>
    public IReadOnlyDictionary<string, string?> Owners => _owners;

    /// <summary>IDs made twice; the template keeps the first.</summary>
    public IReadOnlyList<IdClash> Clashes => _clashes;

    /// <summary>The task whose resources are being added; null while adding shared ones.</summary>
    internal string? CurrentTask { get; set; }

    internal void Add(string id, Parameter parameter)
    {
        if (Claim(id, Template.Parameters.ContainsKey(id) || Template.Resources.ContainsKey(id)))
        {
            Template.Parameters.Add(id, parameter);
        }
    }

    internal void Add(string id, Resource resource)
    {
        if (Claim(id, Template.Parameters.ContainsKey(id) || Template.Resources.ContainsKey(id)))
        {
            Template.Resources.Add(id, resource);
        }
    }

    internal void Add(string id, Output output)
    {
        if (Claim(id, Template.Outputs.ContainsKey(id)))
        {
            Template.Outputs.Add(id, output);
        }
    }

    private bool Claim(string id, bool taken)
    {
        if (taken)
        {
            _clashes.Add(new IdClash(id, _owners.GetValueOrDefault(id), CurrentTask));
            return false;
        }
        _owners.TryAdd(id, CurrentTask);
        return true;
    }
}
