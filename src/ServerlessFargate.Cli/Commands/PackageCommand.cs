using System.CommandLine;
using ServerlessFargate.Diagnostics;

namespace ServerlessFargate.Cli.Commands;

internal static class PackageCommand
{
    public const string TemplateFileName = "cloudformation-template.json";

    public static Command Create(ConsoleIo io)
    {
        var path = CommonOptions.Path();
        var stage = CommonOptions.Stage();
        var region = CommonOptions.Region();
        var output = new Option<string?>("--out", "-o")
        {
            Description = $"Folder to write {TemplateFileName} into (default: .serverless-fargate/ beside the configuration); - prints it to stdout.",
        };
        var mergeInto = new Option<string?>("--merge-into")
        {
            Description = "A CloudFormation template (e.g. .serverless/cloudformation-template-update-stack.json) to add the Fargate resources and outputs to; everything else in it is kept as it is.",
        };

        var strict = CommonOptions.WarningsAsErrors();
        var command = new Command("package", $"Validate, then write the CloudFormation template ({TemplateFileName}).")
        {
            path, stage, region, output, mergeInto, strict,
        };
        command.SetAction(result =>
        {
            var config = ConfigLocator.Locate(result.GetValue(path), io.Environment.WorkingDirectory);
            if (result.GetValue(output) is { Length: 0 })
            {
                throw new UsageException("--out needs a folder, or - for standard output");
            }
            var merge = result.GetValue(mergeInto);
            var options = io.Options(result.GetValue(stage), result.GetValue(region), merge);
            if (merge is not null && !File.Exists(Path.GetFullPath(merge, options.BaseDirectory)))
            {
                throw new UsageException($"--merge-into {merge}: no such file");
            }
            var outcome = Engine.Package(config, options);
            io.Error.Write(DiagnosticFormatter.PackageText(outcome.Diagnostics));
            if (CommonOptions.Failed(outcome, result.GetValue(strict)))
            {
                io.Error.WriteLine(ValidateCommand.Summary(options.DisplayPath(config), outcome) + "; nothing was written" +
                    (outcome.Succeeded ? " (--warnings-as-errors)" : ""));
                return ExitCodes.InputErrors;
            }
            if (outcome.TemplateJson is null)
            {
                io.Error.WriteLine($"{options.DisplayPath(config)}: no Fargate tasks, nothing to package");
                return ExitCodes.Ok;
            }

            var outDir = result.GetValue(output) is { } given
                ? given == "-" ? given : Path.GetFullPath(given, options.BaseDirectory)
                : Path.Combine(Path.GetDirectoryName(config)!, ".serverless-fargate");
            if (outDir == "-")
            {
                try
                {
                    io.Out.Write(outcome.TemplateJson);
                    io.Out.Flush();
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ObjectDisposedException)
                {
                    throw new UsageException($"cannot write the template to standard output: {ex.Message}");
                }
                return ExitCodes.Ok;
            }
            var target = Path.Combine(outDir, TemplateFileName);
            WriteAtomically(target, outcome.TemplateJson);

            var model = outcome.Model!;
            io.Error.WriteLine($"Packaged {ValidateCommand.Plural(model.Tasks.Count, "task")} into {options.DisplayPath(target)}" +
                (merge is null ? "" : $" (merged into a copy of {options.DisplayPath(merge)})"));
            foreach (var parameter in model.ImageParameters)
            {
                io.Error.WriteLine($"The template takes the parameter {parameter.LogicalId}: the URI of image `{parameter.ImageName}`, which the Serverless Framework builds from {parameter.BuildPath}.");
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>
    /// Writes through a temporary file and a rename, so a failure never leaves a half-written
    /// template; a folder this call created is removed again if the write fails.
    /// </summary>
    private static void WriteAtomically(string target, string content)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(target))!;
        var created = !Directory.Exists(directory);
        var temporary = target + $".{Environment.ProcessId}.tmp";
        try
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(temporary, content);
            File.Move(temporary, target, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Leave nothing behind; the clean-up may fail for the same reason the write did.
            try
            {
                File.Delete(temporary);
                if (created && Directory.Exists(directory) && !Directory.EnumerateFileSystemEntries(directory).Any())
                {
                    Directory.Delete(directory);
                }
            }
            catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException)
            {
                // Nothing was created that could be removed.
            }
            throw new UsageException($"cannot write {target}: {ex.Message}");
        }
    }
}
