using System.CommandLine;
using ServerlessFargate.Aws.Operations;
using ServerlessFargate.Diagnostics;

namespace ServerlessFargate.Cli.Commands;

/// <summary><c>deploy</c> and <c>remove</c>, for services that do not use the Serverless Framework.</summary>
internal static class DeployCommand
{
    public static Command Create(ConsoleIo io)
    {
        var aws = new AwsCommand();
        var bucket = new Option<string?>("--bucket") { Description = "An S3 bucket for templates over 51,200 bytes, which CloudFormation takes only from S3." };
        var command = new Command("deploy", "Package, then create or update the stack through a change set, printing its events and outputs. Images must be URIs here.");
        aws.Add(command);
        command.Add(bucket);
        if (!AwsHandOff.InProcess)
        {
            return AwsHandOff.Delegate(command, io);
        }
        aws.SetAction(command, io, (result, io) =>
        {
            if (result.GetValue(aws.Stdin))
            {
                throw new UsageException("deploy reads serverless.yml itself; with the framework, use serverless deploy");
            }
            var config = ConfigLocator.Locate(result.GetValue(aws.Path), io.Environment.WorkingDirectory);
            var options = io.Options(result.GetValue(aws.Stage), result.GetValue(aws.Region));
            var outcome = Engine.Package(config, options);
            io.Error.Write(DiagnosticFormatter.PackageText(outcome.Diagnostics));
            if (!outcome.Succeeded || outcome.Model is not { } model)
            {
                io.Error.WriteLine(ValidateCommand.Summary(options.DisplayPath(config), outcome) + "; nothing was deployed");
                return ExitCodes.InputErrors;
            }
            if (outcome.TemplateJson is null)
            {
                io.Error.WriteLine($"{options.DisplayPath(config)}: no Fargate tasks, nothing to deploy");
                return ExitCodes.Ok;
            }
            if (model.ImageParameters.Count > 0)
            {
                var names = string.Join(", ", model.ImageParameters.Select(p => $"`{p.ImageName}` (built from {p.BuildPath})"));
                var what = model.ImageParameters.Count == 1 ? $"the image {names} is" : $"the images {names} are";
                throw new UsageException($"{what} built by the Serverless Framework, which sls-fargate deploy does not do: deploy with serverless deploy, or give the task an image URI");
            }
            using var session = aws.Session(io, result, model);
            var settings = new DeploySettings(result.GetValue(bucket));
            if (io.Environment.PollInterval is { } interval)
            {
                settings = settings with { PollInterval = interval };
            }
            return AwsCommand.WithInterrupt(io, async interrupt =>
            {
                await new Deployer(session, io.Out, io.Error).DeployAsync(model.StackName, outcome.TemplateJson, settings, interrupt)
                    .ConfigureAwait(false);
                return ExitCodes.Ok;
            });
        });
        return command;
    }
}

internal static class RemoveCommand
{
    public static Command Create(ConsoleIo io)
    {
        var aws = new AwsCommand();
        var command = new Command("remove", "Delete the service's stack and everything in it, printing its events.");
        aws.Add(command);
        if (!AwsHandOff.InProcess)
        {
            return AwsHandOff.Delegate(command, io);
        }
        aws.SetAction(command, io, (result, io) =>
        {
            var model = aws.Model(io, result);
            using var session = aws.Session(io, result, model);
            var settings = new DeploySettings(null);
            if (io.Environment.PollInterval is { } interval)
            {
                settings = settings with { PollInterval = interval };
            }
            return AwsCommand.WithInterrupt(io, async interrupt =>
            {
                await new Deployer(session, io.Out, io.Error).RemoveAsync(model.StackName, settings, interrupt).ConfigureAwait(false);
                return ExitCodes.Ok;
            });
        });
        return command;
    }
}
