using Mono.Cecil;
using Mono.Cecil.Cil;

namespace ServerlessFargate.Tests;

/// <summary>
/// Which namespace may use which, read from the compiled assemblies (Mono.Cecil): every type a
/// type's signatures, fields, attributes and method bodies name, lambdas and async state
/// machines counted as their outer type's. The engine is a one-way pipeline; the AWS layer is
/// session, then protocol, then clients, then operations, and never reaches into the engine's
/// rules; the CLI never speaks an AWS protocol itself.
/// </summary>
public sealed class DependencyDirectionTests
{
    /// <summary>The engine's stages in pipeline order; Diagnostics is shared by all, the root namespace (Engine) sits on top.</summary>
    private static readonly string[] Engine =
        ["Diagnostics", "Yaml", "Variables", "Schema", "Model", "CloudFormation", "Compilation", "Rules", "Integration"];

    /// <summary>The AWS layer's namespaces in order: the session (root), wire formats, plans (no AWS call), clients, operations.</summary>
    private static readonly string[] Aws = ["", "Protocol", "Planning", "Clients", "Operations"];

    private static readonly Lazy<Dictionary<string, HashSet<string>>> Uses = new(() =>
    {
        var uses = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var name in new[] { "ServerlessFargate", "ServerlessFargate.Aws", "sls-fargate" })
        {
            using var module = ModuleDefinition.ReadModule(Path.Combine(AppContext.BaseDirectory, name + ".dll"));
            foreach (var type in module.GetTypes())
            {
                var outer = type;
                while (outer.DeclaringType is not null)
                {
                    outer = outer.DeclaringType;
                }
                var from = outer.Namespace;
                if (!from.StartsWith("ServerlessFargate", StringComparison.Ordinal))
                {
                    continue; // compiler-made types outside any namespace (<PrivateImplementationDetails>)
                }
                var set = uses.TryGetValue(from, out var found) ? found : uses[from] = new HashSet<string>(StringComparer.Ordinal);
                foreach (var used in Referenced(type))
                {
                    set.Add(used);
                }
            }
        }
        return uses;
    });

    /// <summary>The types (namespace.name) a type names anywhere in its definition and code.</summary>
    private static IEnumerable<string> Referenced(TypeDefinition type)
    {
        var found = new List<TypeReference?> { type.BaseType };
        found.AddRange(type.Interfaces.Select(i => i.InterfaceType));
        found.AddRange(type.Fields.Select(f => f.FieldType));
        found.AddRange(type.Properties.Select(p => p.PropertyType));
        found.AddRange(type.CustomAttributes.Select(a => a.AttributeType));
        foreach (var method in type.Methods)
        {
            found.Add(method.ReturnType);
            found.AddRange(method.Parameters.Select(p => p.ParameterType));
            if (!method.HasBody)
            {
                continue;
            }
            found.AddRange(method.Body.Variables.Select(v => v.VariableType));
            foreach (var instruction in method.Body.Instructions)
            {
                switch (instruction.Operand)
                {
                    case TypeReference t:
                        found.Add(t);
                        break;
                    case MethodReference m:
                        found.Add(m.DeclaringType);
                        found.Add(m.ReturnType);
                        found.AddRange(m.Parameters.Select(p => p.ParameterType));
                        break;
                    case FieldReference f:
                        found.Add(f.DeclaringType);
                        found.Add(f.FieldType);
                        break;
                }
            }
        }
        return found.OfType<TypeReference>().SelectMany(Expand).Select(t => $"{Namespace(t)}.{t.Name}").Distinct();
    }

    /// <summary>The named types in a type: itself, or a generic's definition and arguments, an array's or a by-ref's element.</summary>
    private static IEnumerable<TypeReference> Expand(TypeReference type) => type switch
    {
        GenericInstanceType generic => Expand(generic.ElementType).Concat(generic.GenericArguments.SelectMany(Expand)),
        TypeSpecification specification => Expand(specification.ElementType),
        GenericParameter => [],
        _ => [type],
    };

    private static string Namespace(TypeReference type)
    {
        while (type.DeclaringType is not null)
        {
            type = type.DeclaringType;
        }
        return type.Namespace;
    }

    /// <summary>What namespaces under <paramref name="prefix"/> <paramref name="user"/> uses, as their names after the prefix.</summary>
    private static IEnumerable<string> Used(string user, string prefix) =>
        (Uses.Value.TryGetValue(user, out var used) ? used : [])
            .Select(t => t[..t.LastIndexOf('.')])
            .Where(ns => ns == prefix || ns.StartsWith(prefix + ".", StringComparison.Ordinal))
            .Select(ns => ns == prefix ? "" : ns[(prefix.Length + 1)..])
            .Distinct();

    [Fact]
    public void No_engine_stage_uses_a_stage_after_it()
    {
        var backwards = new List<string>();
        foreach (var stage in Engine)
        {
            foreach (var used in Used($"ServerlessFargate.{stage}", "ServerlessFargate").Where(n => n.Length > 0 && !n.StartsWith("Aws", StringComparison.Ordinal)))
            {
                var position = Array.IndexOf(Engine, used.Split('.')[0]);
                if (position < 0 || position > Array.IndexOf(Engine, stage))
                {
                    backwards.Add($"{stage} uses {used}");
                }
            }
        }
        Assert.Empty(backwards);
    }

    [Fact]
    public void The_aws_layer_goes_one_way_session_protocol_planning_clients_operations()
    {
        var backwards = new List<string>();
        foreach (var layer in Aws)
        {
            var name = layer.Length == 0 ? "ServerlessFargate.Aws" : $"ServerlessFargate.Aws.{layer}";
            foreach (var used in Used(name, "ServerlessFargate.Aws"))
            {
                if (Array.IndexOf(Aws, used) > Array.IndexOf(Aws, layer))
                {
                    backwards.Add($"{(layer.Length == 0 ? "(root)" : layer)} uses {used}");
                }
            }
        }
        Assert.Empty(backwards);
    }

    [Fact]
    public void The_aws_layer_never_reaches_into_the_engines_rules_and_takes_from_compilation_only_how_a_task_is_started()
    {
        var aws = Uses.Value.Where(u => u.Key.StartsWith("ServerlessFargate.Aws", StringComparison.Ordinal)).SelectMany(u => u.Value).ToHashSet();

        Assert.DoesNotContain(aws, t => t.StartsWith("ServerlessFargate.Rules.", StringComparison.Ordinal));
        Assert.Equal(["ServerlessFargate.Compilation.RunTaskParameters"], aws.Where(t => t.StartsWith("ServerlessFargate.Compilation.", StringComparison.Ordinal)).Order());
    }

    [Fact]
    public void The_cli_never_speaks_an_aws_protocol_nor_calls_a_client()
    {
        var cli = Uses.Value.Where(u => u.Key.StartsWith("ServerlessFargate.Cli", StringComparison.Ordinal)).SelectMany(u => u.Value).ToHashSet();

        Assert.DoesNotContain(cli, t => t.StartsWith("ServerlessFargate.Aws.Protocol.", StringComparison.Ordinal));
        Assert.DoesNotContain(cli, t => t.StartsWith("ServerlessFargate.Aws.Clients.", StringComparison.Ordinal) && t.EndsWith("Client", StringComparison.Ordinal));
    }

    [Fact]
    public void The_reading_sees_a_use_inside_a_lambda_of_a_method_body()
    {
        // Given the tests' own assembly: this class's lambdas (compiler-made nested types) name Mono.Cecil.
        using var module = ModuleDefinition.ReadModule(typeof(DependencyDirectionTests).Assembly.Location);
        var self = module.GetType(typeof(DependencyDirectionTests).FullName);

        var inLambdas = self.NestedTypes.SelectMany(Referenced).ToList();

        Assert.Contains("Mono.Cecil.ModuleDefinition", inLambdas);
    }
}
