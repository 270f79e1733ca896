using System.CommandLine;
using System.Text.Json.Nodes;
using ServerlessFargate.Cli;
using ServerlessFargate.Cli.Commands;

namespace ServerlessFargate.Tests;

/// <summary>
/// The plugin's `serverless fargate` commands against the engine's: the plugin passes each option
/// on as the engine's option of the same name, so the two tables must agree, option by option
/// and kind by kind. The plugin's table is read from integrations/serverless-plugin/index.js.
/// </summary>
public sealed class PluginCommandTests
{
    /// <summary>The engine's options the plugin does not offer, because the framework gives them (or the plugin sets them itself).</summary>
    private static readonly Dictionary<string, string> FromTheFramework = new()
    {
        ["stage"] = "the framework's --stage, passed by the plugin",
        ["region"] = "the framework's region, in the request",
        ["aws-profile"] = "the framework's credentials, in the environment",
        ["stdin"] = "how the plugin hands over the configuration",
    };

    /// <summary>Options of one command the plugin leaves out, and why.</summary>
    private static readonly Dictionary<(string Command, string Option), string> LeftOut = new()
    {
        [("plan", "template")] = "the plugin passes the template the framework packaged",
        [("plan", "bucket")] = "the framework's deployment bucket is its own to fill",
    };

    private static JsonObject PluginCommands()
    {
        var plugin = Path.Combine(RepositoryPaths.Root, "integrations", "serverless-plugin", "index.js");
        var node = ProcessRunner.Run("node", ["-e", "console.log(JSON.stringify(require(process.argv[1]).FARGATE_COMMANDS))", plugin]);
        Assert.True(node.ExitCode == 0, node.Error);
        return JsonNode.Parse(node.Out)!.AsObject();
    }

    private static Dictionary<string, Command> EngineCommands()
    {
        var io = new ConsoleIo(TextWriter.Null, TextWriter.Null, new CliEnvironment(Path.GetTempPath(), _ => null), TextReader.Null);
        return AwsCommands.Create(io).ToDictionary(c => c.Name, StringComparer.Ordinal);
    }

    /// <summary>The plugin's name for an option's kind: boolean, multiple (repeated), or string.</summary>
    private static string Kind(Option option) =>
        option.ValueType == typeof(bool) ? "boolean" : option.ValueType == typeof(string[]) ? "multiple" : "string";

    /// <summary>Where the plugin's table and the engine's commands disagree, one line each.</summary>
    private static List<string> Differences(JsonObject plugin, Dictionary<string, Command> engine)
    {
        var differences = new List<string>();
        foreach (var (name, node) in plugin)
        {
            if (!engine.TryGetValue(name, out var command))
            {
                differences.Add($"fargate {name}: the engine has no such command");
                continue;
            }
            var offered = node!["options"]!.AsObject().ToDictionary(o => o.Key, o => o.Value!["type"]!.GetValue<string>());
            var expected = command.Options.Where(o => o.Name.StartsWith("--", StringComparison.Ordinal))
                .Select(o => (Name: o.Name[2..], Kind: Kind(o)))
                .Where(o => !FromTheFramework.ContainsKey(o.Name) && !LeftOut.ContainsKey((name, o.Name)))
                .ToDictionary(o => o.Name, o => o.Kind);
            differences.AddRange(offered.Where(o => !expected.TryGetValue(o.Key, out var kind) || kind != o.Value)
                .Select(o => $"fargate {name}: --{o.Key} ({o.Value}) is not the engine's"));
            differences.AddRange(expected.Where(o => !offered.ContainsKey(o.Key)).Select(o => $"fargate {name}: the engine's --{o.Key} is not offered"));
            var takesTask = command.Arguments.Any(a => a.Name == "task");
            if ((node["task"]?.GetValue<bool>() ?? false) != takesTask)
            {
                differences.Add($"fargate {name}: the engine {(takesTask ? "takes" : "takes no")} task argument");
            }
        }
        return differences;
    }

    [Fact]
    public void Every_plugin_command_offers_exactly_the_engines_options_of_the_same_names_and_kinds()
    {
        Assert.Empty(Differences(PluginCommands(), EngineCommands()));
    }

    [Fact]
    public void The_comparison_sees_an_option_the_engine_lacks_one_left_out_and_a_kind_that_differs()
    {
        // Given the plugin's table with an option the engine's run does not have, one gone, one of another kind
        var commands = PluginCommands();
        var run = commands["run"]!["options"]!.AsObject();
        run["detached"] = new JsonObject { ["type"] = "boolean" };
        run.Remove("timeout");
        run["detach"] = new JsonObject { ["type"] = "string" };

        var differences = Differences(commands, EngineCommands());

        Assert.Equal(
        [
            "fargate run: --detach (string) is not the engine's",
            "fargate run: --detached (boolean) is not the engine's",
            "fargate run: the engine's --timeout is not offered",
        ], differences.Order(StringComparer.Ordinal));
    }
}
