using System.CommandLine;
using ServerlessFargate.Aws.Operations;

namespace ServerlessFargate.Cli.Commands;

internal static class StatusCommand
{
    public static Command Create(ConsoleIo io)
    {
        var aws = new AwsCommand();
        var format = new Option<string>("--format") { Description = "text (a table) or json.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var command = new Command("status", "Show every task of the deployed stack: services' counts and deployments, schedules and their next runs, last runs and failures.");
        aws.Add(command);
        command.Add(format);
        if (!AwsHandOff.InProcess)
        {
            return AwsHandOff.Delegate(command, io);
        }
        aws.SetAction(command, io, (result, io) =>
        {
            var model = aws.Model(io, result);
            return aws.OnDeployedStack(io, result, model, async (session, deployed, interrupt) =>
            {
                var rows = await new StatusReport(session, deployed).BuildAsync(DateTimeOffset.UtcNow, interrupt).ConfigureAwait(false);
                io.Out.Write(result.GetValue(format) == "json"
                    ? StatusReport.Json(deployed.Stack.Name, session.Region, rows)
                    : StatusReport.Text(deployed.Stack.Name, session.Region, rows));
                return ExitCodes.Ok;
            });
        });
        return command;
    }
}
