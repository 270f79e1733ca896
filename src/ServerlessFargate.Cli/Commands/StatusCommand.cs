using System.CommandLine;
using ServerlessFargate.Aws.Operations;

namespace ServerlessFargate.Cli.Commands;

internal sealed class StatusCommand : AwsCommand
{
    private readonly Option<string> _format = new("--format") { Description = "text (a table) or json.", DefaultValueFactory = _ => "text" };

    public StatusCommand()
        : base("status", "Show every task of the deployed stack: services' counts and deployments, schedules and their next runs, last runs and failures.")
    {
        _format.AcceptOnlyFromAmong("text", "json");
        AddShared();
        Command.Add(_format);
    }

    protected override int Act(ParseResult result, ConsoleIo io)
    {
        var model = Model(io, result);
        return OnDeployedStack(io, result, model, async (session, deployed, interrupt) =>
        {
            var rows = await new StatusReport(session, deployed).BuildAsync(DateTimeOffset.UtcNow, interrupt).ConfigureAwait(false);
            io.Out.Write(result.GetValue(_format) == "json"
                ? StatusReport.Json(deployed.Stack.Name, session.Region, rows)
                : StatusReport.Text(deployed.Stack.Name, session.Region, rows));
            return ExitCodes.Ok;
        });
    }
}
