using System.CommandLine;
using ServerlessFargate.Schema;

namespace ServerlessFargate.Cli.Commands;

internal static class SchemaCommand
{
    public static Command Create(ConsoleIo io)
    {
        var editor = new Option<bool>("--editor")
        {
            Description = "Print the schema for editors instead: a whole serverless.yml (SchemaStore's serverless schema, with the fargate block, variables accepted wherever a value goes).",
        };
        var command = new Command("schema", "Print the JSON Schema (draft-07) of the fargate block, for editors and the Serverless Framework.")
        {
            editor,
        };
        command.SetAction(result =>
        {
            io.Out.Write(result.GetValue(editor) ? EditorSchema.Build() : EmbeddedSchemas.FargateSchemaText);
            return ExitCodes.Ok;
        });
        return command;
    }
}
