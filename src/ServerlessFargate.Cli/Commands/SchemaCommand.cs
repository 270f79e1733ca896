using System.CommandLine;
using ServerlessFargate.Schema;

namespace ServerlessFargate.Cli.Commands;

internal static class SchemaCommand
{
    public static Command Create(ConsoleIo io)
    {
        var command = new Command("schema", "Print the JSON Schema (draft-07) of the fargate block, for editors and the Serverless Framework.");
        command.SetAction(_ =>
        {
            io.Out.Write(EmbeddedSchemas.FargateSchemaText);
            return ExitCodes.Ok;
        });
        return command;
    }
}
