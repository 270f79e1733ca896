using System.CommandLine;
using ServerlessFargate.Compilation;
using ServerlessFargate.Diagnostics;

namespace ServerlessFargate.Cli.Commands;

internal static class ValidateCommand
{
    public static Command Create(ConsoleIo io)
    {
        var path = CommonOptions.Path();
        var stage = CommonOptions.Stage();
        var region = CommonOptions.Region();
        var format = new Option<string>("--format", "-f")
        {
            Description = "How to print diagnostics: text (file:line:col with the source line), json, or sarif.",
            DefaultValueFactory = _ => "text",
        };
        format.AcceptOnlyFromAmong("text", "json", "sarif");

        var strict = CommonOptions.WarningsAsErrors();
        var command = new Command("validate", "Check serverless.yml's fargate block and report every problem with its line and column.")
        {
            path, stage, region, format, strict,
        };
        command.SetAction(result =>
        {
            var config = ConfigLocator.Locate(result.GetValue(path), io.Environment.WorkingDirectory);
            var options = io.Options(result.GetValue(stage), result.GetValue(region));
            var outcome = Engine.Validate(config, options);
            switch (result.GetValue(format))
            {
                case "json":
                    io.Out.Write(DiagnosticFormatter.Json(outcome.Diagnostics,
                        outcome.Model is { } model && outcome.Succeeded ? writer => TaskRoleReport.Write(writer, model) : null));
                    break;
                case "sarif":
                    io.Out.Write(DiagnosticFormatter.Sarif(outcome.Diagnostics, CliApp.Version));
                    break;
                default:
                    io.Out.Write(DiagnosticFormatter.Text(outcome.Diagnostics));
                    io.Out.WriteLine(Summary(options.DisplayPath(config), outcome));
                    break;
            }
            return CommonOptions.Failed(outcome, result.GetValue(strict)) ? ExitCodes.InputErrors : ExitCodes.Ok;
        });
        return command;
    }

    internal static string Summary(string config, EngineResult outcome)
    {
        var errors = outcome.Diagnostics.Count(d => d.IsError);
        var warnings = outcome.Diagnostics.Count(d => d.Severity == Severity.Warning);
        if (errors > 0)
        {
            return $"{config}: {Plural(errors, "error")}, {Plural(warnings, "warning")}";
        }
        var tasks = outcome.Model?.Tasks.Count ?? 0;
        return $"{config}: valid, {Plural(tasks, "task")}" + (warnings > 0 ? $", {Plural(warnings, "warning")}" : "");
    }

    internal static string Plural(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";
}
