using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using ServerlessFargate.CloudFormation;
using ServerlessFargate.Compilation;
using ServerlessFargate.Diagnostics;
using ServerlessFargate.Model;
using ServerlessFargate.Schema;
using ServerlessFargate.Variables;
using ServerlessFargate.Yaml;

namespace ServerlessFargate.Benchmarks;

/// <summary>
/// Each stage of the engine's pipeline on generated services (scripts/generate-service.sh) of 10,
/// 100 and 1,000 tasks, each stage fed the previous stage's output made once in the setup.
/// Run: dotnet run -c Release --project benchmarks/ServerlessFargate.Benchmarks -- --filter '*'
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 7)]
public class PipelineStages
{
    private string _folder = "";
    private SourceFile _file = null!;
    private YMapping _root = null!;
    private ResolvedConfig _config = null!;
    private ServiceModel _model = null!;
    private Template _template = null!;

    [Params(10, 100, 1000)]
    public int Tasks { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _folder = Path.Combine(Path.GetTempPath(), $"sls-fargate-bench-{Tasks}-{Environment.ProcessId}");
        var script = Path.Combine(RepositoryRoot(), "scripts", "generate-service.sh");
        using (var process = Process.Start("bash", [script, Tasks.ToString(System.Globalization.CultureInfo.InvariantCulture), _folder]))
        {
            process.WaitForExit();
        }
        _file = new SourceFile("serverless.yml", File.ReadAllText(Path.Combine(_folder, "serverless.yml")));
        _root = (YMapping)Load()!;
        _config = Resolve();
        _model = Validate()?.Model ?? throw new InvalidOperationException("the generated service does not validate");
        _template = Compile();
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_folder, recursive: true);

    [Benchmark]
    public YNode? Load() => YamlLoader.Load(_file, new DiagnosticBag());

    [Benchmark]
    public ResolvedConfig Resolve()
    {
        var diagnostics = new DiagnosticBag();
        var resolver = new VariableResolver(_root, _folder, new VariableOptions(Environment: _ => null), diagnostics);
        return ResolvedConfig.Resolve(_file, _root, resolver, EmbeddedSchemas.ProviderKeys);
    }

    /// <summary>Schema, model, compilation and rules.</summary>
    [Benchmark]
    public (ServiceModel Model, CompiledTemplate Compiled)? Validate() => Engine.Check(_config, _config.TakenIds, (null, null), new DiagnosticBag());

    [Benchmark]
    public Template Compile() => TemplateCompiler.Compile(_model).Template;

    [Benchmark]
    public string Write() => TemplateWriter.Write(_template.ToJson());

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ServerlessFargate.sln")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("ServerlessFargate.sln not found");
    }
}
