using System.CommandLine;
using ServerlessFargate.Integration;

namespace ServerlessFargate.Cli.Commands;

/// <summary>
/// The Serverless Framework plugin's side of the exchange: a JSON request on stdin (the resolved
/// configuration), a JSON response on stdout (resources, outputs, diagnostics). The contract is in
/// docs/plugin-contract.md.
/// </summary>
internal static class CompileCommand
{
    public static Command Create(ConsoleIo io)
    {
        var stdin = new Option<bool>("--stdin")
        {
            Description = "Read the request from standard input (the only input this command takes).",
            Required = true,
        };
        var command = new Command("compile", "Compile a configuration the Serverless Framework resolved, for the plugin: JSON in on stdin, JSON out on stdout.")
        {
            stdin,
        };
        command.SetAction(result =>
        {
            var request = io.Input.ReadToEnd();
            var options = io.Options(null, null);
            ResolvedConfigOrError(request, options, out var config);
            var outcome = Engine.CompileResolved(config);
            io.Out.Write(PluginExchange.WriteResponse(outcome));
            return outcome.Succeeded ? ExitCodes.Ok : ExitCodes.InputErrors;
        });
        return command;
    }

    private static void ResolvedConfigOrError(string request, EngineOptions options, out Variables.ResolvedConfig config)
    {
        try
        {
            config = PluginExchange.ReadRequest(request, options);
        }
        catch (PluginExchange.ContractException ex)
        {
            throw new UsageException($"compile --stdin: {ex.Message}");
        }
    }
}
