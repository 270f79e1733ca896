using System.Formats.Tar;
using System.IO.Compression;

namespace ServerlessFargate.Tests;

/// <summary>
/// Installing the plugin as a Serverless user does: a plain `npm install` of the tarballs that
/// scripts/pack-npm.sh writes, offline, into a fresh service, on a machine where nothing but Node.js
/// is on PATH (no .NET, no SERVERLESS_FARGATE_CLI), then `serverless package` under serverless@3.40.0
/// and osls@4.3.1. .ci/run packs the tarballs with the native engine it published and sets
/// SLS_FARGATE_NPM_PACKAGES; without it these skip.
/// </summary>
public sealed class PluginInstallTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("sls-fargate-install-");

    public void Dispose() => _root.Delete(recursive: true);

    internal static string Reference =>
        Environment.GetEnvironmentVariable("SLS_FARGATE_REFERENCE_DIR") ?? Path.Combine(RepositoryPaths.Root, ".reference");

    public static TheoryData<string> Frameworks() => new()
    {
        "node_modules/serverless/bin/serverless.js",
        "osls/node_modules/osls/bin/serverless.js",
    };

    private const string Service = """
        service: installed
        frameworkVersion: '>=3'
        provider:
          name: aws
          region: eu-west-1
        plugins:
          - serverless-fargate-dotnet
        fargate:
          tasks:
            worker:
              image: public.ecr.aws/docker/library/busybox:1.36
        """;

    [SkippableTheory]
    [MemberData(nameof(Frameworks))]
    public void A_plain_npm_install_brings_the_native_engine_and_packages_with_only_node_on_path(string framework)
    {
        var packages = Environment.GetEnvironmentVariable("SLS_FARGATE_NPM_PACKAGES");
        Skip.If(string.IsNullOrEmpty(packages), "SLS_FARGATE_NPM_PACKAGES is not set (.ci/run packs the npm tarballs)");

        // Given a fresh service with the plugin and its platform package installed offline
        var service = Directory.CreateDirectory(Path.Combine(_root.FullName, "service")).FullName;
        File.WriteAllText(Path.Combine(service, "package.json"), """{"private": true}""");
        File.WriteAllText(Path.Combine(service, "serverless.yml"), Service);
        var tarballs = Directory.GetFiles(packages, "serverless-fargate-dotnet-*.tgz");
        var install = ProcessRunner.Run("npm", ["install", "--offline", "--no-audit", "--no-fund", "--loglevel=error", .. tarballs], null, service);
        Assert.True(install.ExitCode == 0, install.Output);
        Assert.False(Directory.Exists(Path.Combine(service, "node_modules", "serverless")), "installing the plugin pulled in a framework");

        // When the framework packages it with nothing but Node.js on PATH
        var run = Package(service, framework, OnlyNode());

        // Then the engine from the platform package compiled the tasks into the framework's template
        Assert.True(run.ExitCode == 0, run.Output);
        var template = File.ReadAllText(Path.Combine(service, ".serverless", "cloudformation-template-update-stack.json"));
        Assert.Contains("\"WorkerService\"", template, StringComparison.Ordinal);
        Assert.Contains("\"FargateVpc\"", template, StringComparison.Ordinal);

        // And the commands that call AWS run from the same package: sls-fargate hands them to
        // sls-fargate-aws beside it. Nothing answers on port 9, so the AWS executable's own error
        // shows it ran (without it, sls-fargate says where it looked).
        var status = Serverless(service, framework, OnlyNode(), ["fargate", "status"], "http://127.0.0.1:9");
        Assert.True(status.ExitCode == 3, status.Output);
        Assert.Contains("cannot reach CloudFormation at http://127.0.0.1:9/", status.Output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Without_an_engine_the_error_names_the_platform_package_to_install()
    {
        var packages = Environment.GetEnvironmentVariable("SLS_FARGATE_NPM_PACKAGES");
        Skip.If(string.IsNullOrEmpty(packages), "SLS_FARGATE_NPM_PACKAGES is not set (.ci/run packs the npm tarballs)");
        var service = Directory.CreateDirectory(Path.Combine(_root.FullName, "no-engine")).FullName;
        File.WriteAllText(Path.Combine(service, "package.json"), """{"private": true}""");
        File.WriteAllText(Path.Combine(service, "serverless.yml"), Service);
        var shim = Directory.GetFiles(packages, "serverless-fargate-dotnet-*.tgz").Single(f => !System.Text.RegularExpressions.Regex.IsMatch(Path.GetFileName(f), "-(linux|darwin|win32)-"));
        var install = ProcessRunner.Run("npm", ["install", "--offline", "--omit=optional", "--no-audit", "--no-fund", "--loglevel=error", shim], null, service);
        Assert.True(install.ExitCode == 0, install.Output);

        var run = Package(service, "node_modules/serverless/bin/serverless.js", OnlyNode());

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("npm install --save-dev serverless-fargate-dotnet-linux-x64@", run.Output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void With_the_engine_only_as_a_dotnet_local_tool_the_plugin_runs_it_through_the_tool_manifest()
    {
        var packages = Environment.GetEnvironmentVariable("SLS_FARGATE_NPM_PACKAGES");
        Skip.If(string.IsNullOrEmpty(packages), "SLS_FARGATE_NPM_PACKAGES is not set (.ci/run packs the npm tarballs)");
        var dotnet = ProcessRunner.Run("bash", ["-c", "command -v dotnet"]).Out.Trim();

        // Given the .NET tool package, installed as a local tool of the service, and the plugin without its platform package
        var nupkg = Path.Combine(_root.FullName, "nupkg");
        var pack = ProcessRunner.Run("dotnet", ["pack", Path.Combine(RepositoryPaths.Root, "src", "ServerlessFargate.Cli"), "-c", "Release", "-o", nupkg, "--nologo"]);
        Assert.True(pack.ExitCode == 0, pack.Output);
        var service = Directory.CreateDirectory(Path.Combine(_root.FullName, "local-tool")).FullName;
        File.WriteAllText(Path.Combine(service, "package.json"), """{"private": true}""");
        File.WriteAllText(Path.Combine(service, "serverless.yml"), Service);
        Assert.Equal(0, ProcessRunner.Run("dotnet", ["new", "tool-manifest"], null, service).ExitCode);
        var tool = ProcessRunner.Run("dotnet", ["tool", "install", "--local", "ServerlessFargate.Cli", "--add-source", nupkg], null, service);
        Assert.True(tool.ExitCode == 0, tool.Output);
        var shim = Directory.GetFiles(packages, "serverless-fargate-dotnet-*.tgz").Single(f => !System.Text.RegularExpressions.Regex.IsMatch(Path.GetFileName(f), "-(linux|darwin|win32)-"));
        var install = ProcessRunner.Run("npm", ["install", "--offline", "--omit=optional", "--no-audit", "--no-fund", "--loglevel=error", shim], null, service);
        Assert.True(install.ExitCode == 0, install.Output);

        // When the framework packages it with Node.js and dotnet on PATH, and nothing else
        var path = OnlyNode();
        var link = Path.Combine(path, "dotnet");
        if (!File.Exists(link))
        {
            File.CreateSymbolicLink(link, dotnet);
        }
        var run = Package(service, "node_modules/serverless/bin/serverless.js", path);

        // Then `dotnet tool run sls-fargate` compiled the tasks
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("\"WorkerService\"", File.ReadAllText(Path.Combine(service, ".serverless", "cloudformation-template-update-stack.json")), StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Npm_pack_of_the_plugin_packs_the_current_schemas_and_leaves_the_folder_as_it_was()
    {
        Skip.IfNot(ProcessRunner.IsOnPath("npm"), "npm is not installed");
        var plugin = Path.Combine(RepositoryPaths.Root, "integrations", "serverless-plugin");
        var before = Directory.GetFileSystemEntries(plugin).Order(StringComparer.Ordinal).ToList();

        var pack = ProcessRunner.Run("npm", ["pack", "--silent", "--pack-destination", _root.FullName], null, plugin);

        Assert.True(pack.ExitCode == 0, pack.Output);
        Assert.Equal(before, Directory.GetFileSystemEntries(plugin).Order(StringComparer.Ordinal));
        var tarball = Directory.GetFiles(_root.FullName, "*.tgz").Single();
        using var gzip = new GZipStream(File.OpenRead(tarball), CompressionMode.Decompress);
        using var tar = new TarReader(gzip);
        var schemas = new Dictionary<string, string>(StringComparer.Ordinal);
        while (tar.GetNextEntry() is { } entry)
        {
            if (entry.Name.EndsWith(".schema.json", StringComparison.Ordinal))
            {
                using var reader = new StreamReader(entry.DataStream!);
                schemas[entry.Name] = reader.ReadToEnd();
            }
        }
        // The plugin reads both: the fargate block's schema, and the provider keys tasks inherit.
        foreach (var name in new[] { "fargate.schema.json", "provider.schema.json" })
        {
            Assert.Equal(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "schema", name)), schemas.GetValueOrDefault($"package/{name}"));
        }
    }

    [Fact]
    public void Every_package_takes_the_version_set_in_Directory_Build_props()
    {
        var props = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "Directory.Build.props"));
        var version = System.Text.RegularExpressions.Regex.Match(props, "<Version>(.*)</Version>").Groups[1].Value;
        var manifest = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "integrations", "serverless-plugin", "package.json")))!;

        Assert.Equal(version, manifest["version"]!.GetValue<string>());
        Assert.All(manifest["optionalDependencies"]!.AsObject(), dependency => Assert.Equal(version, dependency.Value!.GetValue<string>()));
        Assert.Equal(version, Cli.CliApp.Version.Split('+')[0]);
    }

    private ProcessResult Package(string service, string framework, string path) =>
        Serverless(service, framework, path, ["package"]);

    private ProcessResult Serverless(string service, string framework, string path, string[] args, string? awsEndpoint = null)
    {
        var environment = new Dictionary<string, string>(Configs.OfflineFramework(Path.Combine(_root.FullName, "home")))
        {
            ["PATH"] = path,
            ["SERVERLESS_FARGATE_CLI"] = "",
            // The .NET CLI's own home, where the local tool was restored when the test installed
            // it (the framework's HOME above is a fresh folder).
            ["DOTNET_CLI_HOME"] = Environment.GetEnvironmentVariable("DOTNET_CLI_HOME")
                ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile),
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
        };
        if (awsEndpoint is not null)
        {
            environment["AWS_ENDPOINT_URL"] = awsEndpoint;
        }
        return ProcessRunner.Run(Path.Combine(path, "node"), [Path.Combine(Reference, framework), .. args], environment, service);
    }

    /// <summary>A PATH holding Node.js and nothing else: no dotnet, no sls-fargate.</summary>
    private string OnlyNode()
    {
        var bin = Directory.CreateDirectory(Path.Combine(_root.FullName, "only-node")).FullName;
        var node = ProcessRunner.Run("bash", ["-c", "command -v node"]).Out.Trim();
        var link = Path.Combine(bin, "node");
        if (!File.Exists(link))
        {
            File.CreateSymbolicLink(link, node);
        }
        return bin;
    }
}
