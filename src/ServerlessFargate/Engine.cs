using System.Text.Json.Nodes;
using ServerlessFargate.CloudFormation;
using ServerlessFargate.Compilation;
using ServerlessFargate.Diagnostics;
using ServerlessFargate.Model;
using ServerlessFargate.Rules;
using ServerlessFargate.Schema;
using ServerlessFargate.Variables;
using ServerlessFargate.Yaml;

namespace ServerlessFargate;

/// <summary>What a run of the engine gives: every diagnostic, and the template when there was no error.</summary>
public sealed record EngineResult(IReadOnlyList<Diagnostic> Diagnostics, ServiceModel? Model, string? TemplateJson)
{
    /// <summary>Our part of the template (without a merged-into template or the service's resources), when compiled.</summary>
    public Template? Template { get; init; }

    public bool Succeeded => !Diagnostics.Any(d => d.IsError);
}

/// <summary>
/// The pipeline: load → resolve variables → schema → model → compile → rules → write → rules on
/// the written template.
/// Each stage adds diagnostics; the run stops after a stage that found errors, because later
/// stages rely on what earlier ones checked.
/// </summary>
public static class Engine
{
    public static readonly string[] ConfigFileNames = ["serverless.yml", "serverless.yaml", "serverless.json"];

    /// <summary>
    /// Every check <see cref="Package"/> makes, the template's too (references, stack limits), so
    /// a configuration validate calls valid packages; gives no template.
    /// </summary>
    public static EngineResult Validate(string configPath, EngineOptions options) => Checked(Run(Read(configPath, options), options));

    /// <summary>Validates, then compiles; with <see cref="EngineOptions.MergeInto"/> the result is that template plus ours.</summary>
    public static EngineResult Package(string configPath, EngineOptions options) => Run(Read(configPath, options), options);

    /// <summary>Validates configuration text that is not in a file; <c>${file()}</c> paths are relative to the working folder.</summary>
    public static EngineResult ValidateText(string text, EngineOptions options, string fileName = "serverless.yml") =>
        Checked(Run((new SourceFile(fileName, text), options.BaseDirectory), options));

    /// <summary>Packages configuration text that is not in a file (see <see cref="ValidateText"/>).</summary>
    public static EngineResult PackageText(string text, EngineOptions options, string fileName = "serverless.yml") =>
        Run((new SourceFile(fileName, text), options.BaseDirectory), options);

    private static (SourceFile File, string Directory) Read(string configPath, EngineOptions options)
    {
        var fullPath = Path.GetFullPath(configPath, options.BaseDirectory);
        return (new SourceFile(options.DisplayPath(fullPath), ReadInput(fullPath)), Path.GetDirectoryName(fullPath)!);
    }

    /// <summary>Reads an input the command names, with the limits <c>${file()}</c> has.</summary>
    private static string ReadInput(string fullPath) => InputFile.Read(fullPath) switch
    {
        InputFile.Result.Found found => found.Text,
        InputFile.Result.Refused refused => throw new InputUnreadableException($"{fullPath} {refused.Reason}"),
        _ => throw new InputUnreadableException($"{fullPath}: no such file"),
    };

    private static EngineResult Checked(EngineResult packaged) => packaged with { TemplateJson = null, Template = null };

    private static EngineResult Run((SourceFile File, string Directory) input, EngineOptions options)
    {
        var diagnostics = new DiagnosticBag();
        var (file, baseDirectory) = input;
        if (YamlLoader.Load(file, diagnostics) is not YMapping root || diagnostics.HasErrors)
        {
            return Done(diagnostics);
        }

        var variables = new VariableOptions(options.Stage, options.Region, options.Environment);
        var resolver = new VariableResolver(root, baseDirectory, variables, diagnostics,
            (full, text) => new SourceFile(options.DisplayPath(full), text) { Confidential = true });
        var config = ResolvedConfig.Resolve(file, root, resolver, EmbeddedSchemas.ProviderKeys);
        if (diagnostics.HasErrors)
        {
            return Done(diagnostics);
        }

        var taken = new List<TakenId>(config.TakenIds);
        JsonObject? baseTemplate = null;
        string? templateName = null;
        if (options.MergeInto is not null)
        {
            templateName = options.DisplayPath(options.MergeInto);
            var mergeFile = new SourceFile(templateName, ReadInput(Path.GetFullPath(options.MergeInto, options.BaseDirectory)));
            baseTemplate = MergeTemplate.Load(mergeFile, diagnostics, taken);
            if (baseTemplate is null)
            {
                return Done(diagnostics);
            }
            config = config with { ListParameters = new HashSet<string>(config.ListParameters.Concat(StackParameters.ListsIn(baseTemplate["Parameters"])), StringComparer.Ordinal) };
        }

        var checkedConfig = Check(config, taken, (baseTemplate, templateName), diagnostics);
        if (checkedConfig is not var (model, compiled) || diagnostics.HasErrors || model.Tasks.Count == 0)
        {
            return Done(diagnostics, checkedConfig?.Model);
        }

        JsonObject json;
        if (baseTemplate is not null)
        {
            json = TemplateMerger.Merge(baseTemplate, compiled.Template,
                model.ServiceName is null ? null : $"sls-{model.ServiceName}-{model.Stage}-");
        }
        else
        {
            json = compiled.Template.ToJson();
            var userResources = ResolvedConfig.UserResources(resolver);
            if (diagnostics.HasErrors)
            {
                return Done(diagnostics, model);
            }
            if (userResources is not null && YNodeJson.ToJsonNode(userResources) is JsonObject user)
            {
                TemplateMerger.AddUserResources(json, user);
            }
        }
        EventsCompiler.SendBucketEvents(json, model);
        var text = WriteChecked(json, model, compiled, StackCounts.None, standalone: baseTemplate is null, config, diagnostics);
        return Done(diagnostics, model, text, compiled.Template);
    }

    /// <summary>
    /// Writes the stack's template and runs the rule phases on it, one after the other, stopping
    /// after one that found errors.
    /// </summary>
    private static string WriteChecked(JsonObject json, ServiceModel model, CompiledTemplate compiled, StackCounts existing,
        bool standalone, ResolvedConfig config, DiagnosticBag diagnostics)
    {
        var template = new TemplateContext(model, compiled, json, TemplateWriter.Write(json), existing, standalone, LimitSpan(config));
        foreach (var phase in RuleSet.TemplatePhases)
        {
            phase.Run(template, diagnostics);
            if (diagnostics.HasErrors)
            {
                break;
            }
        }
        return template.Text;
    }

    /// <summary>Limits belong to the whole task list: point at <c>tasks:</c>.</summary>
    private static SourceSpan LimitSpan(ResolvedConfig config) =>
        ((config.Fargate as YMapping)?.GetEntry("tasks")?.Key.Span) ?? config.FargateKey?.Span ?? config.File.Start;

    /// <summary>
    /// Compiles a configuration the Serverless Framework has already resolved (the plugin's
    /// exchange, <c>sls-fargate compile --stdin</c>): the same schema, rules and compiler as
    /// <see cref="Package"/>, giving the Fargate resources, outputs and parameters to add to the
    /// framework's template.
    /// </summary>
    public static EngineResult CompileResolved(ResolvedConfig config)
    {
        var diagnostics = new DiagnosticBag();
        var checkedConfig = Check(config, config.TakenIds, (null, null), diagnostics);
        if (checkedConfig is not var (model, compiled) || diagnostics.HasErrors || model.Tasks.Count == 0)
        {
            return Done(diagnostics, checkedConfig?.Model);
        }
        var text = WriteChecked(compiled.Template.ToJson(), model, compiled, config.ExistingCounts, standalone: false, config, diagnostics);
        return Done(diagnostics, model, text, compiled.Template);
    }

    /// <summary>
    /// Schema, model, compilation and rules. The template is compiled even to validate: the
    /// logical-ID rules read the IDs the compiler actually writes. Null when the schema found a
    /// problem that leaves nothing to check.
    /// </summary>
    internal static (ServiceModel Model, CompiledTemplate Compiled)? Check(ResolvedConfig config, IReadOnlyList<TakenId> taken,
        (JsonObject? Json, string? Name) baseTemplate, DiagnosticBag diagnostics)
    {
        var hasFargate = config.Fargate is not (null or YScalar { Kind: ScalarKind.Null });
        var schemaDiagnostics = new DiagnosticBag();
        if (hasFargate)
        {
            SchemaValidator.Validate(EmbeddedSchemas.Fargate.Value, config.Fargate!, "fargate", schemaDiagnostics);
        }
        SchemaValidator.Validate(EmbeddedSchemas.Provider.Value, config.Provider, "provider", schemaDiagnostics);
        DeprecatedKeys.Check(config.Fargate, schemaDiagnostics);
        foreach (var diagnostic in schemaDiagnostics.Items)
        {
            diagnostics.Add(diagnostic);
        }

        // Schema errors inside one task leave the other tasks checkable: the rules still run on
        // them, so one run reports as much as it can. So does an error in a fargate-level key:
        // the key is left out, and tasks that would inherit it are left out too. An error
        // anywhere else (provider) stops here.
        HashSet<string> brokenKeys = [];
        var brokenTasks = hasFargate ? BrokenTasks(config.Fargate!, schemaDiagnostics, out brokenKeys) : [];
        if (brokenTasks is null)
        {
            return null;
        }
        if (brokenKeys.Count > 0 && config.Fargate is YMapping fargate)
        {
            config = config with { Fargate = new YMapping(fargate.Span, [.. fargate.Entries.Where(e => !brokenKeys.Contains(e.Key.Value))]) };
        }

        var model = ModelBuilder.Build(config, brokenTasks);
        if (baseTemplate.Json is not null)
        {
            model = ImageBinding.BindFromTemplate(model, config.FunctionImages, baseTemplate.Json);
        }
        var compiled = TemplateCompiler.Compile(model);
        var stackIds = taken.Concat(ExistingIdCollisionRule.FunctionIds(config.Functions)).ToList();
        RuleSet.Model.Run(new RuleContext(model, compiled, stackIds, baseTemplate.Name), diagnostics);
        return (model, compiled);
    }

    /// <summary>
    /// The keys of tasks that hold a schema error or inherit a broken fargate-level key, and the
    /// broken fargate-level keys; null when some error lies outside the fargate block's keys.
    /// Which fargate-level keys tasks inherit is read from the schema: those a task may also set.
    /// </summary>
    private static HashSet<string>? BrokenTasks(YNode fargate, DiagnosticBag schemaDiagnostics, out HashSet<string> brokenKeys)
    {
        var broken = new HashSet<string>(StringComparer.Ordinal);
        brokenKeys = new HashSet<string>(StringComparer.Ordinal);
        var taskKeys = ((fargate as YMapping)?.Get("tasks") as YMapping)?.Entries.Select(e => e.Key.Value).ToList() ?? [];
        var fargateKeys = (fargate as YMapping)?.Entries.Select(e => e.Key.Value).Where(k => k != "tasks").ToList() ?? [];
        foreach (var diagnostic in schemaDiagnostics.Items.Where(d => d.IsError))
        {
            var owner = taskKeys.Find(key => IsUnder(diagnostic.Path, $"fargate.tasks.{key}"));
            if (owner is not null)
            {
                broken.Add(owner);
                continue;
            }
            var key = fargateKeys.Find(key => IsUnder(diagnostic.Path, $"fargate.{key}"));
            if (key is null)
            {
                return null;
            }
            brokenKeys.Add(key);
        }
        if (brokenKeys.Any(EmbeddedSchemas.TaskKeys.Contains))
        {
            broken.UnionWith(taskKeys);
        }
        return broken;
    }

    private static bool IsUnder(string? path, string prefix) =>
        path is not null && path.StartsWith(prefix, StringComparison.Ordinal)
        && (path.Length == prefix.Length || path[prefix.Length] is '.' or '[');

    private static EngineResult Done(DiagnosticBag diagnostics, ServiceModel? model = null, string? json = null, Template? template = null) =>
        diagnostics.HasErrors ? new(diagnostics.Sorted(), model, null) : new(diagnostics.Sorted(), model, json) { Template = template };
}

/// <summary>A file the command names cannot be read (missing, a device, too large): a usage error, not an input problem.</summary>
public sealed class InputUnreadableException(string message) : Exception(message);
